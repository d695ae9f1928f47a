// The HTTP histogram in plain numbers (src/metrics-http.ts) must read exactly as
// prom-client's own Histogram would for the same requests: /metrics, dashboards and
// alerts (docs/operations.md) depend on its series, buckets, sums and counts.
import fc from 'fast-check';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HttpDurationHistogram } from '../../src/metrics-http.ts';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const NAME = 'corridor_http_request_duration_seconds';
const HELP = 'HTTP request duration by route pattern, method and status';

const request = fc.record({
  route: fc.constantFrom('/{lang}/', '/api/v1/status', '/robots.txt', 'unmatched', '/staff/movements/:id'),
  method: fc.constantFrom('GET', 'HEAD', 'POST'),
  status: fc.constantFrom(200, 302, 304, 404, 422, 500),
  // Bucket edges included: a value equal to a bound is counted in that bucket.
  seconds: fc.oneof(fc.constantFrom(...BUCKETS, 0, 10), fc.double({ min: 0, max: 20, noNaN: true })),
});

type Request = { route: string; method: string; status: number; seconds: number };

async function both(requests: Request[]) {
  const ours = new client.Registry();
  const theirs = new client.Registry();
  const histogram = new HttpDurationHistogram({
    name: NAME,
    help: HELP,
    buckets: BUCKETS,
    registers: [ours],
  });
  const reference = new client.Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['route', 'method', 'status'] as const,
    buckets: BUCKETS,
    registers: [theirs],
  });
  for (const r of requests) {
    histogram.observe(r.route, r.method, r.status, r.seconds);
    reference.labels(r.route, r.method, String(r.status)).observe(r.seconds);
  }
  return { ours: await ours.metrics(), theirs: await theirs.metrics(), histogram };
}

/** The exposition's lines, in an order that does not depend on which series came first. */
const lines = (text: string) => text.split('\n').sort();

describe('the HTTP duration histogram', () => {
  it('reads as prom-client’s histogram for the same requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(request, { maxLength: 60 }), async (requests) => {
        const { ours, theirs } = await both(requests);
        expect(lines(ours)).toEqual(lines(theirs));
      }),
      { numRuns: 150 },
    );
  });

  it('counts a series with cumulative buckets, +Inf, sum and count', async () => {
    const { ours } = await both([
      { route: '/{lang}/', method: 'GET', status: 200, seconds: 0.002 },
      { route: '/{lang}/', method: 'GET', status: 200, seconds: 0.3 },
      { route: '/{lang}/', method: 'GET', status: 200, seconds: 9 },
    ]);
    const series = `route="/{lang}/",method="GET",status="200"`;
    expect(ours).toContain(`${NAME}_bucket{le="0.001",${series}} 0`);
    expect(ours).toContain(`${NAME}_bucket{le="0.0025",${series}} 1`);
    expect(ours).toContain(`${NAME}_bucket{le="0.5",${series}} 2`);
    expect(ours).toContain(`${NAME}_bucket{le="+Inf",${series}} 3`);
    expect(ours).toContain(`${NAME}_count{${series}} 3`);
    expect(ours).toMatch(
      new RegExp(`${NAME}_sum\\{route="/\\{lang\\}/",method="GET",status="200"\\} 9\\.302`),
    );
  });

  it('starts again from nothing when reset', async () => {
    const { histogram } = await both([{ route: '/robots.txt', method: 'GET', status: 200, seconds: 0.001 }]);
    histogram.reset();
    expect((await histogram.get()).values).toEqual([]);
  });
});
