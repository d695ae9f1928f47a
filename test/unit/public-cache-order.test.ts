// The order a new build's outputs are rendered in (cache-renditions.ts, issue 21): the
// page families first, then the data outputs, then pages with a parameter; within each,
// the variants readers asked for most since the last build first, so a person checking
// their own save in one language does not wait for the page in every other language.
// And what it renders at all: only the variants asked for in the last HOT_FOR_MS.
import { describe, expect, it } from 'vitest';
import type { Build, PublicFormat } from '../../src/public/build.ts';
import { HOT_FOR_MS, createRenditionStore, variantKey } from '../../src/public/cache-renditions.ts';
import { fixedClock } from '../../src/clock.ts';
import { notFound } from '../../src/errors.ts';
import { capturedLogger } from '../support/log-capture.ts';
import type { Lang } from '../../src/i18n/index.ts';
import { createMetrics } from '../../src/metrics.ts';
import { silentLogger } from '../../src/log.ts';

function store(clock = fixedClock('2026-03-05T12:00:00Z')) {
  const order: string[] = [];
  const renditions = createRenditionStore({
    render: (_p, lang, format) => {
      order.push(variantKey(lang, format));
      return {
        body: `${lang} ${format}`,
        contentType: 'text/plain',
        changedAt: new Date('2026-03-05T12:00:00Z'),
      };
    },
    projector: { project: () => Promise.reject(new Error('not used')), close: () => Promise.resolve() },
    logger: silentLogger,
    clock,
    metrics: createMetrics(),
  });
  return { renditions, order };
}

const build = (gen: number) =>
  ({
    gen,
    ready: new Map(),
    renditions: new Map(),
    projection: { validUntil: null, operations: [] },
    readAt: new Date('2026-03-05T12:00:00Z'),
    expiresAt: Infinity,
  }) as unknown as Build;

const ask = (r: ReturnType<typeof store>['renditions'], lang: Lang, format: PublicFormat, times = 1) => {
  const key = variantKey(lang, format);
  r.hot.add(key);
  for (let i = 0; i < times; i++) r.asked(key);
};

describe('the rendition store: what a new build renders first', () => {
  it('renders the page readers are waiting for first, then the other pages, then data', async () => {
    const { renditions, order } = store();
    ask(renditions, 'kk', 'json');
    ask(renditions, 'kk', 'html');
    ask(renditions, 'ru', 'html', 2);
    ask(renditions, 'en', 'html', 5);
    const b = build(1);
    renditions.prerender(b);
    await Promise.all(b.renditions.values());
    expect(order).toEqual(['en:html', 'ru:html', 'kk:html', 'kk:json']);
  });

  it('counts demand from recent builds most, and never for a variant that is not served', async () => {
    const { renditions, order } = store();
    ask(renditions, 'en', 'html', 8);
    ask(renditions, 'ru', 'html', 1);
    const first = build(1);
    renditions.prerender(first);
    await Promise.all(first.renditions.values());
    // Since then, Russian readers ask more: halved, the old English demand counts less.
    ask(renditions, 'ru', 'html', 6);
    renditions.asked(variantKey('en', 'routes/no-such-route'));
    order.splice(0);
    const b = build(2);
    renditions.prerender(b);
    await Promise.all(b.renditions.values());
    expect(order).toEqual(['ru:html', 'en:html']);
    expect(renditions.hot.has(variantKey('en', 'routes/no-such-route'))).toBe(false);
  });
});

describe('the rendition store: what a new build renders at all', () => {
  it('renders only the variants asked for in the last HOT_FOR_MS; one asked again is hot again', async () => {
    const clock = fixedClock('2026-03-05T12:00:00Z');
    const { renditions, order } = store(clock);
    // A crawler walks a route's pages once; a crowd keeps asking for the Russian page.
    ask(renditions, 'en', 'routes/dubai-muscat');
    ask(renditions, 'en', 'routes/dubai-muscat/2');
    ask(renditions, 'ru', 'html');
    const first = build(1);
    renditions.prerender(first);
    await Promise.all(first.renditions.values());
    expect(renditions.latest(variantKey('en', 'routes/dubai-muscat'))).toBeDefined();
    order.splice(0);
    clock.advance(HOT_FOR_MS - 1_000);
    ask(renditions, 'ru', 'html');
    clock.advance(2_000);
    const b = build(2);
    renditions.prerender(b);
    await Promise.all(b.renditions.values());
    expect(order).toEqual(['ru:html']);
    expect(renditions.hot.has(variantKey('en', 'routes/dubai-muscat'))).toBe(false);
    expect(renditions.hot.size).toBe(1);
    // Its copy is dropped with it: a reader never gets a state minutes old, and the bytes go.
    expect(renditions.latest(variantKey('en', 'routes/dubai-muscat'))).toBeUndefined();
    expect(renditions.latest(variantKey('ru', 'html'))).toBeDefined();
    // Asked for again: rendered by the next build.
    ask(renditions, 'en', 'routes/dubai-muscat');
    order.splice(0);
    const next = build(3);
    renditions.prerender(next);
    await Promise.all(next.renditions.values());
    expect(order).toEqual(['ru:html', 'en:routes/dubai-muscat']);
    // Nobody asks for anything for HOT_FOR_MS: nothing is hot, so a change waits for a reader.
    clock.advance(HOT_FOR_MS);
    expect(renditions.hot.size).toBe(0);
  });
});

describe('the rendition store: a page that does not exist', () => {
  it("is the reader's 404, not a render failure logged at error level; a real failure is", async () => {
    const { logger, lines } = capturedLogger('debug');
    const renditions = createRenditionStore({
      render: (_p, _lang, format) => {
        if (format === 'routes/no-such-route') throw notFound('Route');
        throw new Error('template broke');
      },
      projector: { project: () => Promise.reject(new Error('not used')), close: () => Promise.resolve() },
      logger,
      clock: fixedClock('2026-03-05T12:00:00Z'),
      metrics: createMetrics(),
    });
    const b = build(1);
    await expect(renditions.of(b, 'en', 'routes/no-such-route')).rejects.toMatchObject({ code: 'not_found' });
    await expect(renditions.of(b, 'en', 'html')).rejects.toThrow('template broke');
    const errors = lines
      .map((l) => JSON.parse(l) as { level: number; key?: string })
      .filter((l) => l.level >= 50);
    expect(errors.map((l) => l.key)).toEqual(['en:html']);
    // Neither failure is kept: the next request renders again.
    expect(b.renditions.size).toBe(0);
  });
});

describe('the rendition store: a variant that went cold', () => {
  it('dates its next copy after the one it forgot, when the bytes differ (no wrong 304)', async () => {
    const clock = fixedClock('2026-03-05T12:00:00Z');
    const contentAt = new Date('2026-03-05T10:00:00Z');
    const renditions = createRenditionStore({
      // The bytes change from build to build; the content's own time does not (a banner, say).
      render: (p) => ({
        body: (p as unknown as { name: string }).name,
        contentType: 'text/plain',
        changedAt: contentAt,
      }),
      projector: { project: () => Promise.reject(new Error('not used')), close: () => Promise.resolve() },
      logger: silentLogger,
      clock,
      metrics: createMetrics(),
    });
    const landed = async (gen: number, name: string) => {
      const b = {
        ...build(gen),
        projection: { name, validUntil: null, operations: [] },
        readAt: clock.now(),
      } as unknown as Build;
      renditions.prerender(b);
      await Promise.all(b.renditions.values());
    };
    const key = variantKey('en', 'routes/dubai-muscat');
    renditions.hot.add(key);
    await landed(1, 'one');
    clock.advance(5_000);
    await landed(2, 'two');
    const held = renditions.latest(key)!;
    // Other bytes, same content time: dated when read, after the first copy.
    expect(held.lastModified.getTime()).toBe(clock.now().getTime());
    // Nobody asks for a minute: forgotten (its bytes dropped) at the next build.
    clock.advance(HOT_FOR_MS);
    await landed(3, 'three');
    expect(renditions.latest(key)).toBeUndefined();
    // A reader asks again: the new copy is dated after the one a client may hold.
    clock.advance(5_000);
    renditions.hot.add(key);
    await landed(4, 'four');
    expect(renditions.latest(key)!.lastModified.getTime()).toBeGreaterThan(held.lastModified.getTime());
  });
});
