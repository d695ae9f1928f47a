// The projection worker thread (issue 21.1): it computes the same projection as the inline
// projector while the event loop keeps turning, renders and compresses what the main thread
// would, and on PostgreSQL reads the figures from its own pool: a save shows through a cache
// built that way. A slow file (vitest.config.ts): each worker starts TypeScript through tsx.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { toPublicProjection } from '../../src/domain/privacy.ts';
import { printedValues } from '../../src/domain/disclosure.ts';
import { AppError } from '../../src/errors.ts';
import { createPublicCache } from '../../src/public/cache.ts';
import { contentChangedAt } from '../../src/public/last-modified.ts';
import { workerProjector } from '../../src/public/projector.ts';
import { publicRenderer } from '../../src/public/render.ts';
import { entityTag } from '../../src/public/rendition.ts';
import { createRenderer } from '../../src/views.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { makeDepartedMovement, saveDeparted } from '../support/public.ts';
import { NOW, counts, movement, route, snapshot } from '../support/snapshots.ts';

describe('the projection worker thread', () => {
  it('computes in the worker thread what the inline projector computes, the event loop turning meanwhile', async () => {
    const routes = Array.from({ length: 12 }, (_, r) =>
      route(
        Array.from({ length: 12 }, (_, i) =>
          movement({
            id: 1000 + r * 100 + i,
            status: 'departed',
            counts: counts({
              registered: { total: 20 + ((r * 7 + i * 3) % 30) },
              departed: { total: 20 + ((r * 7 + i * 3) % 30) - (i % 4 === 0 ? 2 : 0) },
            }),
          }),
        ),
        { id: 50 + r },
      ),
    );
    const snap = snapshot(routes);
    const projector = workerProjector({ logger: silentLogger });
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const started = performance.now();
      const fromWorker = await projector.project({ snapshots: [snap], at: NOW });
      const elapsed = performance.now() - started;
      clearInterval(timer);
      const inline = toPublicProjection(snap, NOW);
      expect(fromWorker.operations[0]!.totals).toEqual(inline.operations[0]!.totals);
      expect(fromWorker.operations[0]!.routes.map((r) => r.figures)).toEqual(
        inline.operations[0]!.routes.map((r) => r.figures),
      );
      expect(fromWorker.disclosure.ok).toBe(inline.disclosure.ok);
      // What the ledger records, made in the worker, is what the server would make of the
      // releases itself (build.ts records it without reading the releases back).
      const records = fromWorker.disclosure.records!;
      expect(records.map((r) => r.operationId)).toEqual(inline.disclosure.releases.map((r) => r.operationId));
      expect(records.map((r) => r.text)).toEqual(
        fromWorker.disclosure.releases.map((r) => JSON.stringify(r)),
      );
      expect(records.map((r) => r.printed)).toEqual(inline.disclosure.releases.map((r) => printedValues(r)));
      expect(records[0]!.printed.cells.length).toBeGreaterThan(100);
      expect(fromWorker.generatedAt).toBeInstanceOf(Date);
      // The loop was free while the worker worked (a tick every 5 ms; allow a loaded machine 4×).
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 5 / 4) - 1);
    } finally {
      await projector.close();
    }
  }, 60_000);

  it('renders in the worker what the main thread renders, and says not_found for a route page that does not exist', async () => {
    const snap = snapshot([
      route([movement({ id: 7001, status: 'departed', counts: counts({ registered: { total: 40 } }) })], {
        id: 71,
        slug: 'by-bus',
      }),
    ]);
    const baseUrl = 'http://corridor.test';
    const projector = workerProjector({ logger: silentLogger, render: { baseUrl } });
    try {
      const projection = await projector.project({ snapshots: [snap], at: NOW });
      const inline = publicRenderer({ renderer: createRenderer(), baseUrl });
      for (const format of ['html', 'json', 'csv', 'routes/by-bus'] as const) {
        const fromWorker = await projector.render!(projection, 'ru', format, {});
        const here = inline(projection, 'ru', format, {});
        expect(fromWorker?.body).toBe(here.body);
        expect(fromWorker?.contentType).toBe(here.contentType);
        // Dated in the worker as the server would date it.
        expect(fromWorker?.changedAt).toEqual(contentChangedAt(projection, format, NOW));
        // Compressed and hashed there too, the bytes moved back: the same bytes, each encoding whole.
        const encoded = await projector.renderEncoded!(projection, 'ru', format, {});
        expect(encoded?.encoded.identity.toString()).toBe(here.body);
        expect(encoded?.encoded.etag).toBe(entityTag(Buffer.from(here.body)));
        expect(gunzipSync(encoded!.encoded.gzip).toString()).toBe(here.body);
        expect(brotliDecompressSync(encoded!.encoded.br).toString()).toBe(here.body);
        expect(encoded?.encoded.etagBr).toBe(entityTag(encoded!.encoded.br));
        expect(encoded?.changedAt).toEqual(fromWorker?.changedAt);
      }
      const missing = projector.render!(projection, 'en', 'routes/no-such-route', {});
      await expect(missing).rejects.toBeInstanceOf(AppError);
      await expect(missing).rejects.toMatchObject({ code: 'not_found' });
      // A projection the worker did not make is rendered by the caller.
      expect(await projector.render!(toPublicProjection(snap, NOW), 'en', 'html', {})).toBeUndefined();
      expect(await projector.renderEncoded!(toPublicProjection(snap, NOW), 'en', 'html', {})).toBeUndefined();
    } finally {
      await projector.close();
    }
  }, 60_000);

  it.runIf(usingPostgres())(
    'reads the figures in the worker from its own pool on PostgreSQL, and a save shows through it',
    async () => {
      const database = await createTestDatabase();
      const m = await makeDepartedMovement(database.db);
      const baseUrl = 'http://corridor.test';
      const projector = workerProjector({
        logger: silentLogger,
        render: { baseUrl },
        read: { url: testDatabaseUrl(database), poolSize: 1 },
      });
      const cache = createPublicCache({
        database,
        clock: systemClock,
        logger: silentLogger,
        metrics: createMetrics(),
        render: publicRenderer({ renderer: createRenderer(), baseUrl }),
        projector,
      });
      try {
        const read = await projector.read!(NOW);
        expect(read.operationIds).toHaveLength(1);
        // A build reads once and projects what it read; the next read replaces that set
        // (builds run one at a time), so the worker never holds two.
        const first = await projector.project({ snapshots: read, at: NOW });
        expect(first.operations).toHaveLength(1);
        const again = await projector.read!(NOW);
        await expect(projector.project({ snapshots: read, at: NOW })).rejects.toThrow(/no longer held/);
        const second = await projector.project({ snapshots: again, at: NOW });
        expect(second.operations).toEqual(first.operations);
        expect(second.disclosure.releases).toEqual(first.disclosure.releases);
        await cache.start();
        expect((await cache.get('en', 'html')).identity.toString()).toContain('>400<');
        await saveDeparted(database.db, m.id, m.version, 987);
        await expect
          .poll(async () => (await cache.get('en', 'html')).identity.toString(), { timeout: 10_000 })
          .toContain('>987<');
      } finally {
        await cache.close();
      }
    },
    60_000,
  );
});
