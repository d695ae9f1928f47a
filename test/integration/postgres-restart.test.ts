// PostgreSQL restarted while the app serves (a throwaway cluster this test
// starts itself): the public outputs keep coming from the last good copy and
// say so, /readyz says not ready, a staff save answers 503 and writes nothing,
// and the pool and the LISTEN connection come back by themselves — with a
// re-read after reconnecting that makes up for a notification missed meanwhile.
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../scripts/pg-cluster.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { signIn, type StaffClient } from '../support/staff.ts';

type Status = {
  degraded: boolean;
  figuresAsOf: string | null;
  operations: { slug: string; totals: { registered: { value: number | null } } }[];
};

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} (${String(last)})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

// Needs the PostgreSQL server binaries; runs in the PostgreSQL pass of the suite.
describe.runIf(usingPostgres())('PostgreSQL restarted while the app serves', () => {
  let cluster: ThrowawayPostgres;
  let database: Database;
  let server: TestServer;
  let officer: StaffClient;
  let movementId: number;
  let opSlug: string;
  let sourceId: number;
  const logLines: string[] = [];

  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
    const url = await cluster.createDatabase('corridor');
    database = await openDatabase({ kind: 'postgres', url, poolSize: 5 });
    await migrateDatabase(database);
    const op = await makeOperation(database.db);
    opSlug = op.slug;
    sourceId = (await makeSource(database.db)).id;
    const { route } = await makeRoute(database.db, op.id);
    const m = await makeMovement(
      database.db,
      route.id,
      { status: 'departed', departedAt: new Date(Date.now() - 3_600_000) },
      // No departed figure: everyone on the list counts in the total (stage not reported).
      counts({ registered: { total: 4321 } }),
    );
    movementId = m.id;
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    server = await startTestServer(database, { deps: { logger } });
    officer = await signIn(server, 'officer');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await database?.close().catch(() => {});
    cluster?.destroy();
  });

  const status = async () => {
    const res = await fetch(`${server.url}/api/v1/status`);
    expect(res.status).toBe(200);
    return (await res.json()) as Status;
  };
  const registered = (s: Status) => s.operations.find((o) => o.slug === opSlug)?.totals.registered.value;
  const saveForm = (version: number, total: number) => ({
    version,
    'registered.total': total,
    reason: `restart test ${total}`,
    source: sourceId,
  });
  const changeSets = async () =>
    Number(
      (
        await database.rows<{ n: string }>(
          sql`SELECT count(*) AS n FROM count_change_sets WHERE movement_id = ${movementId}`,
        )
      )[0]!.n,
    );

  it('serves the last good copy with "figures as of", is not ready, and refuses saves with 503', async () => {
    const before = await status();
    expect(before.degraded).toBe(false);
    expect(registered(before)).toBe(4321);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const historyBefore = await changeSets();
    // A transaction holding a pooled connection between two queries when the server goes:
    // the connection's error must fail the transaction, not crash the process.
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    const open = database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      await paused;
      await tx.execute(sql`SELECT 1`);
    });
    open.catch(() => {});
    await new Promise((r) => setTimeout(r, 100));

    cluster.stop('fast');
    await new Promise((r) => setTimeout(r, 200));
    resume();
    await expect(open).rejects.toThrow();

    // Within the retry interval the copy can no longer be trusted and says so.
    const degraded = await eventually('a degraded copy', async () => {
      const s = await status();
      return s.degraded ? s : undefined;
    });
    expect(registered(degraded)).toBe(4321);
    expect(degraded.figuresAsOf).not.toBeNull();
    const page = await fetch(`${server.url}/?lang=en`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('These are the figures as of');
    expect(html).toContain('4,321');

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', reason: 'database_unreachable' });

    const json = await officer.post(`/staff/movements/${movementId}/counts`, saveForm(2, 5000), {
      headers: { Accept: 'application/json' },
    });
    expect(json.status).toBe(503);
    expect(json.headers.get('retry-after')).toBe('5');
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('db_unavailable');
    const htmlSave = await officer.post(`/staff/movements/${movementId}/counts`, saveForm(2, 5001));
    expect(htmlSave.status).toBe(503);
    expect(await htmlSave.text()).toContain('Nothing was saved; please try again shortly.');

    cluster.start();

    // The pool comes back by itself…
    await eventually('ready again', async () =>
      (await fetch(`${server.url}/readyz`)).status === 200 ? true : undefined,
    );
    // …nothing of the refused saves was written…
    expect(await changeSets()).toBe(historyBefore);
    const [m] = await database.rows<{ version: number }>(
      sql`SELECT version FROM movements WHERE id = ${movementId}`,
    );
    expect(m!.version).toBe(1);
    // …the public copy is fresh again, and a save now goes through.
    await eventually('a fresh copy', async () => ((await status()).degraded ? undefined : true));
    const ok = await officer.post(`/staff/movements/${movementId}/counts`, saveForm(1, 4400));
    expect(ok.status, await ok.clone().text()).toBe(303);
    expect(await changeSets()).toBe(historyBefore + 1);
    await eventually('the saved figure on the public page', async () =>
      registered(await status()) === 4400 ? true : undefined,
    );

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/corridor_public_cache_total\{outcome="stale"\} [1-9]/);
  }, 90_000);

  it('re-reads after the LISTEN connection comes back, making up for a missed notification', async () => {
    expect(registered(await status())).toBe(4400);
    const listenersBack = () => logLines.filter((l) => l.includes('change listener back')).length;
    const backBefore = listenersBack();
    // Cut only the listener's connection, then commit a change (with its signal)
    // before it can reconnect: that notification is lost for this process.
    const raw = new pg.Client({ connectionString: cluster.url('corridor') });
    await raw.connect();
    try {
      await raw.query('BEGIN');
      await raw.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'corridor-listener'",
      );
      await raw.query('UPDATE passenger_counts SET registered_total = 4500 WHERE movement_id = $1', [
        movementId,
      ]);
      await raw.query("SELECT pg_notify('corridor_changes', '{}')");
      await raw.query('COMMIT');
    } finally {
      await raw.end();
    }
    await eventually('the listener reconnecting', () => (listenersBack() > backBefore ? true : undefined));
    await eventually('the missed change on the public page', async () =>
      registered(await status()) === 4500 ? true : undefined,
    );
  }, 60_000);
});
