// Prometheus metrics, one registry per app (tests build their own). Every area
// records into the same named metrics; GET /metrics exposes the registry.
import client from 'prom-client';
import { HttpDurationHistogram } from './metrics-http.ts';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new HttpDurationHistogram({
    name: 'corridor_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const served = { hit: 0, stale: 0 };
  return {
    registry,
    /** Records one request (labels are bounded: route patterns, not URLs). */
    observeHttp(route: string, method: string, status: number, seconds: number) {
      httpDuration.observe(route, method, status, seconds);
    },
    publicCache: new client.Counter({
      name: 'corridor_public_cache_total',
      help: 'Public page/feed cache lookups by outcome (hit, rebuild, stale)',
      labelNames: ['outcome'] as const,
      registers: [registry],
      collect() {
        for (const outcome of ['hit', 'stale'] as const)
          if (served[outcome] > 0) {
            this.inc({ outcome }, served[outcome]);
            served[outcome] = 0;
          }
      },
    }),
    /**
     * A copy answered from the public cache, on every public read: counted in a number and
     * added to corridor_public_cache_total when the registry is read (prom-client's labelled
     * inc hashes its labels on each call).
     */
    publicCacheServed(degraded: boolean) {
      if (degraded) served.stale++;
      else served.hit++;
    },
    /** Public build steps (read, project, record, render, compress), wherever they run (src/public/build.ts). */
    publicBuildSeconds: new client.Histogram({
      name: 'corridor_public_build_seconds',
      help: 'Public build time by step (read, project, record, render, compress)',
      labelNames: ['step'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    countUpdates: new client.Counter({
      name: 'corridor_count_updates_total',
      help: 'Saves of passenger figures by outcome (accepted, unchanged, conflict, invalid, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    signupConfirmations: new client.Counter({
      name: 'corridor_signup_confirmations_total',
      help: 'Sign-up confirmation mails by outcome (sent, deferred: over the hourly ceiling, queued; sent_later: from the queue; failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    digestDeliveries: new client.Counter({
      name: 'corridor_digest_deliveries_total',
      help: 'Digest delivery attempts by outcome (sent, failed, uncertain)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}
