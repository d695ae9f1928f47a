// Renders started while an audited state is recorded in the disclosure ledger (issue 21:
// the page is rendered in the worker while the server's thread writes the ledger). They
// are published only with the build that holds that very projection, fresh: a state
// never recorded (a re-audit after another process published, a write that failed: the
// build then holds another projection) never reaches a reader, nor does a copy without the
// banner a degraded build must show.
import { describe, expect, it } from 'vitest';
import type { Build } from '../../src/public/build.ts';
import { createRenditionStore, variantKey } from '../../src/public/cache-renditions.ts';
import type { PublicProjection } from '../../src/domain/privacy.ts';
import { createMetrics } from '../../src/metrics.ts';
import { silentLogger } from '../../src/log.ts';
import type { Projector } from '../../src/public/projector.ts';
import { encodeRenderedSync } from '../../src/public/rendition.ts';

const at = new Date('2026-03-05T12:00:00Z');
const projection = (name: string) =>
  ({ name, validUntil: null, operations: [] }) as unknown as PublicProjection;

function store(metrics = createMetrics()) {
  const calls: string[] = [];
  const projector: Projector = {
    project: () => Promise.reject(new Error('not used')),
    renderEncoded(p, lang, format, meta) {
      const name = (p as unknown as { name: string }).name;
      const banner = meta.degradedAsOf ? ' (as of)' : '';
      calls.push(`${name} ${variantKey(lang, format)}${banner}`);
      const encoded = encodeRenderedSync({ body: `${name} ${lang}${banner}`, contentType: 'text/plain' });
      // As the worker reports them: 4 ms to render, 30 ms to compress.
      return Promise.resolve({ encoded, changedAt: at, renderMs: 4, compressMs: 30 });
    },
    close: () => Promise.resolve(),
  };
  const renditions = createRenditionStore({
    render: () => {
      throw new Error('rendered in the worker');
    },
    projector,
    logger: silentLogger,
    clock: { now: () => at },
    metrics,
  });
  for (const key of ['en:html', 'ru:html']) renditions.hot.add(key);
  return { renditions, calls };
}

const build = (gen: number, p: PublicProjection, degradedAsOf?: Date) =>
  ({
    gen,
    ready: new Map(),
    renditions: new Map(),
    projection: p,
    readAt: at,
    expiresAt: Infinity,
    degradedAsOf,
  }) as unknown as Build;

const bodies = async (b: Build) =>
  Promise.all(['en:html', 'ru:html'].map(async (k) => (await b.renditions.get(k))!.identity.toString()));

describe('renders started before their build lands', () => {
  it('are published with the build that holds the projection, each rendered once', async () => {
    const { renditions, calls } = store();
    const p = projection('p');
    renditions.early(p);
    await new Promise((r) => setImmediate(r));
    // Rendered, but nothing served before the build lands.
    expect(renditions.latest('en:html')).toBeUndefined();
    const b = build(1, p);
    renditions.prerender(b);
    expect(await bodies(b)).toEqual(['p en', 'p ru']);
    expect(calls).toEqual(['p en:html', 'p ru:html']);
  });

  it('are never published when the build holds another projection (a re-audit, a failed record)', async () => {
    const { renditions, calls } = store();
    renditions.early(projection('unrecorded'));
    const b = build(1, projection('recorded'));
    renditions.prerender(b);
    expect(await bodies(b)).toEqual(['recorded en', 'recorded ru']);
    expect(calls.filter((c) => c.startsWith('recorded'))).toEqual(['recorded en:html', 'recorded ru:html']);
    // The early renders are dropped: a later build of the unrecorded projection renders again.
    const later = build(2, projection('unrecorded'));
    renditions.prerender(later);
    await bodies(later);
    expect(calls.filter((c) => c.startsWith('unrecorded'))).toHaveLength(4);
  });

  it("are timed by the worker's own figures: never a negative render time", async () => {
    const metrics = createMetrics();
    const { renditions } = store(metrics);
    const p = projection('p');
    renditions.early(p);
    await new Promise((r) => setImmediate(r));
    // The build lands after the renders finished: the wait is ~0, less than the compression.
    const b = build(1, p);
    renditions.prerender(b);
    await bodies(b);
    const values = (await metrics.publicBuildSeconds.get()).values;
    const sum = (step: string) =>
      values.find((v) => v.metricName?.endsWith('_sum') && v.labels.step === step)?.value;
    expect(sum('render')).toBeGreaterThanOrEqual(2 * 0.004);
    expect(sum('compress')).toBeCloseTo(2 * 0.03, 6);
  });

  it('are not taken by a degraded build, which shows its banner', async () => {
    const { renditions } = store();
    const p = projection('p');
    renditions.early(p);
    const b = build(1, p, new Date('2026-03-05T11:00:00Z'));
    renditions.prerender(b);
    expect(await bodies(b)).toEqual(['p en (as of)', 'p ru (as of)']);
  });
});
