// The public cache across processes and failures: an update made through one
// app instance shows on another's page within a second (each on its own
// database connection, the signal going through PostgreSQL LISTEN/NOTIFY or
// PGlite's listen); a rebuild that fails because the database is gone serves
// the last good copy marked "figures as of …"; a reconnected listener refreshes.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createPublicCache } from '../../src/public/cache.ts';
import { publicRenderer } from '../../src/public/render.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { CHANGE_CHANNEL } from '../../src/store/notify.ts';
import { createRenderer } from '../../src/views.ts';
import { startTestServer } from '../support/app.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { makeDepartedMovement, saveDeparted } from '../support/public.ts';

const seedOne = (database: Database) => makeDepartedMovement(database.db);
const save = (database: Database, movementId: number, version: number, departed: number) =>
  saveDeparted(database.db, movementId, version, departed);

const page = async (url: string) => (await fetch(`${url}/?lang=en`)).text();

describe('public cache', () => {
  it.runIf(usingPostgres())(
    'shows an update made through one app instance on the other within one second',
    async () => {
      const database = await createTestDatabase();
      const m = await seedOne(database);
      // A second instance with its own pool and its own LISTEN connection, as a second process would have.
      const other = await openDatabase({ kind: 'postgres', url: testDatabaseUrl(database), poolSize: 4 });
      try {
        const a = await startTestServer(database);
        const b = await startTestServer(other);
        expect(await page(b.url)).toContain('400');
        expect(await page(a.url)).toContain('400');
        let version = m.version;
        for (const departed of [4321, 4567, 4789]) {
          version = (await save(database, m.id, version, departed)).version;
          const expected = departed.toLocaleString('en-GB');
          // Within one second of the commit (the poll's deadline).
          await expect.poll(() => page(b.url), { timeout: 1000, interval: 10 }).toContain(`>${expected}<`);
        }
        await b.close();
        await a.close();
      } finally {
        await other.close();
      }
    },
    20_000,
  );

  it('shows an update through a second app instance on the same embedded database at once', async () => {
    const database = await createTestDatabase();
    const m = await seedOne(database);
    const a = await startTestServer(database);
    const b = await startTestServer(database);
    expect(await page(b.url)).toContain('400');
    await save(database, m.id, m.version, 987);
    await expect.poll(() => page(b.url), { timeout: 1000, interval: 10 }).toContain('>987<');
    expect(await page(a.url)).toContain('>987<');
  });

  it('keeps serving the last good copy, marked with its time, while the database is down', async () => {
    const database = await createTestDatabase({ autoClose: false });
    await seedOne(database);
    const metrics = createMetrics();
    const clock = fixedClock('2026-03-05T10:00:00Z');
    const publicCache = createPublicCache({
      database,
      clock,
      logger: silentLogger,
      metrics,
      render: publicRenderer({ renderer: createRenderer(), baseUrl: 'http://corridor.test' }),
      retryMs: 50,
    });
    const server = await startTestServer(database, { clock, deps: { publicCache, metrics } });
    const good = await fetch(`${server.url}/?lang=en`);
    expect(good.status).toBe(200);
    expect(await good.text()).not.toContain('data-state="degraded"');

    await database.close();
    clock.advance(60_000);
    publicCache.invalidate();
    const res = await fetch(`${server.url}/?lang=en`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('400');
    expect(html).toContain('data-state="degraded" data-as-of="2026-03-05T10:00:00.000Z"');
    expect(res.headers.get('cache-control')).toMatch(/max-age=5\b/);
    const json = (await (await fetch(`${server.url}/api/v1/status`)).json()) as {
      degraded: boolean;
      figuresAsOf: string;
    };
    expect(json).toMatchObject({ degraded: true, figuresAsOf: '2026-03-05T10:00:00.000Z' });
    const ru = await (await fetch(`${server.url}/?lang=ru`)).text();
    expect(ru).toContain('по состоянию на 5 марта 2026');
    const stale = (await metrics.registry.getSingleMetricAsString('corridor_public_cache_total')).match(
      /outcome="stale"} (\d+)/,
    );
    expect(Number(stale?.[1])).toBeGreaterThanOrEqual(3);
    await server.close();
    await publicCache.close();
  });

  it('answers 503 when the database is down before any copy was built', async () => {
    const database = await createTestDatabase({ autoClose: false });
    const server = await startTestServer(database);
    await database.close();
    const res = await fetch(`${server.url}/?lang=en`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    await server.close();
  });

  it('rebuilds after the change listener reconnects', async () => {
    const database = await createTestDatabase();
    const m = await seedOne(database);
    let reconnect: (() => void) | undefined;
    // The real listener, with its reconnect callback captured so the test can fire it.
    const listening: Database = {
      ...database,
      listen: async (channel, onMessage, onReconnect) => {
        reconnect = onReconnect;
        return database.listen(channel, () => {}, onReconnect); // signals are "lost"
      },
    };
    const server = await startTestServer(listening);
    expect(await page(server.url)).toContain('400');
    // A second listener on the channel tells when the save's signal has gone out.
    let heard!: () => void;
    const signalled = new Promise<void>((resolve) => (heard = resolve));
    const probe = await database.listen(CHANGE_CHANNEL, () => heard());
    await save(database, m.id, m.version, 555);
    await signalled;
    await probe.close();
    expect(await page(server.url)).toContain('400'); // the signal was missed
    reconnect!();
    await expect.poll(() => page(server.url), { timeout: 1000, interval: 10 }).toContain('>555<');
  });
});
