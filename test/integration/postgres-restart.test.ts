// PostgreSQL restarted while the app serves (a throwaway cluster this test
// starts itself): the public outputs keep coming from the last good copy and
// say so, /readyz says not ready, a staff save answers 503 and writes nothing,
// and the pool and the LISTEN connection come back by themselves — with a
// re-read after reconnecting that makes up for a notification missed meanwhile.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from '../support/db.ts';
import { makeSource } from '../support/factories.ts';
import { signIn, type StaffClient } from '../support/staff.ts';
import { type PublicStatus, type ThrowawayApp, startThrowawayApp } from '../support/throwaway-app.ts';

const POLL = { timeout: 20_000, interval: 150 };

// Needs the PostgreSQL server binaries; runs in the PostgreSQL pass of the suite.
describe.runIf(usingPostgres())('PostgreSQL restarted while the app serves', () => {
  let app: ThrowawayApp;
  let officer: StaffClient;
  let sourceId: number;

  beforeAll(async () => {
    app = await startThrowawayApp({ registered: 4321 });
    sourceId = (await makeSource(app.database.db)).id;
    officer = await signIn(app.server, 'officer');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  const status = async () => {
    const res = await fetch(`${app.server.url}/api/v1/status`);
    expect(res.status).toBe(200);
    return (await res.json()) as PublicStatus;
  };
  const registered = (s: PublicStatus) =>
    s.operations.find((o) => o.slug === app.slug)?.totals.registered.value;
  const saveForm = (version: number, total: number) => ({
    version,
    'registered.total': total,
    reason: `restart test ${total}`,
    source: sourceId,
  });
  const changeSets = async () =>
    Number(
      (
        await app.database.rows<{ n: string }>(
          sql`SELECT count(*) AS n FROM count_change_sets WHERE movement_id = ${app.movementId}`,
        )
      )[0]!.n,
    );

  it('serves the last good copy with "figures as of", is not ready, and refuses saves with 503', async () => {
    const before = await status();
    expect(before.degraded).toBe(false);
    expect(registered(before)).toBe(4321);
    expect((await fetch(`${app.server.url}/readyz`)).status).toBe(200);
    const historyBefore = await changeSets();
    // A transaction holding a pooled connection between two queries when the server goes:
    // the connection's error must fail the transaction, not crash the process.
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const open = app.database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      entered();
      await paused;
      await tx.execute(sql`SELECT 1`);
    });
    open.catch(() => {}); // awaited below, after the server has gone
    await inside;

    app.cluster.stop('fast'); // returns once the server has shut down
    resume();
    await expect(open).rejects.toThrow();

    // Within the retry interval the copy can no longer be trusted and says so.
    await expect.poll(async () => (await status()).degraded, POLL).toBe(true);
    const degraded = await status();
    expect(registered(degraded)).toBe(4321);
    expect(degraded.figuresAsOf).not.toBeNull();
    const page = await fetch(`${app.server.url}/?lang=en`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-state="degraded"');
    expect(html).toContain('4,321');

    const ready = await fetch(`${app.server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', reason: 'database_unreachable' });

    const json = await officer.post(`/staff/movements/${app.movementId}/counts`, saveForm(2, 5000), {
      headers: { Accept: 'application/json' },
    });
    expect(json.status).toBe(503);
    expect(json.headers.get('retry-after')).toBe('5');
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('db_unavailable');
    const htmlSave = await officer.post(`/staff/movements/${app.movementId}/counts`, saveForm(2, 5001));
    expect(htmlSave.status).toBe(503);
    expect(await htmlSave.text()).toContain('data-error="db_unavailable"');

    app.cluster.start();

    // The pool comes back by itself…
    await expect.poll(async () => (await fetch(`${app.server.url}/readyz`)).status, POLL).toBe(200);
    // …nothing of the refused saves was written…
    expect(await changeSets()).toBe(historyBefore);
    const [m] = await app.database.rows<{ version: number }>(
      sql`SELECT version FROM movements WHERE id = ${app.movementId}`,
    );
    expect(m!.version).toBe(1);
    // …the public copy is fresh again, and a save now goes through.
    await expect.poll(async () => (await status()).degraded, POLL).toBe(false);
    const ok = await officer.post(`/staff/movements/${app.movementId}/counts`, saveForm(1, 4400));
    expect(ok.status, await ok.clone().text()).toBe(303);
    expect(await changeSets()).toBe(historyBefore + 1);
    await expect.poll(async () => registered(await status()), POLL).toBe(4400);

    const metrics = await (await fetch(`${app.server.url}/metrics`)).text();
    expect(metrics).toMatch(/corridor_public_cache_total\{outcome="stale"\} [1-9]/);
  }, 90_000);

  it('re-reads after the LISTEN connection comes back, making up for a missed notification', async () => {
    expect(registered(await status())).toBe(4400);
    const listenersBack = () => app.logLines.filter((l) => l.includes('change listener back')).length;
    const backBefore = listenersBack();
    // Cut only the listener's connection, then commit a change (with its signal)
    // before it can reconnect: that notification is lost for this process.
    const raw = new pg.Client({ connectionString: app.url });
    await raw.connect();
    try {
      await raw.query('BEGIN');
      await raw.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'corridor-listener'",
      );
      await raw.query('UPDATE passenger_counts SET registered_total = 4500 WHERE movement_id = $1', [
        app.movementId,
      ]);
      await raw.query("SELECT pg_notify('corridor_changes', '{}')");
      await raw.query('COMMIT');
    } finally {
      await raw.end();
    }
    await expect.poll(listenersBack, POLL).toBeGreaterThan(backBefore);
    await expect.poll(async () => registered(await status()), POLL).toBe(4500);
  }, 60_000);
});
