// A half-dead LISTEN connection (its backend frozen with SIGSTOP, as a NAT that
// silently drops an idle connection looks to us) is found out by the missed
// heartbeat: the listener reconnects and the public copy is re-read, so a save
// shows on the public page within a few seconds. Before the heartbeat, the page
// kept serving the old figures for up to a minute, saying nothing.
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../scripts/pg-cluster.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

type Status = {
  degraded: boolean;
  operations: { slug: string; totals: { registered: { value: number | null } } }[];
};

describe.runIf(usingPostgres())('a frozen LISTEN backend', () => {
  let cluster: ThrowawayPostgres;
  let database: Database;
  let server: TestServer;
  let url: string;
  let slug: string;
  let movementId: number;
  const frozen: number[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
    url = await cluster.createDatabase('corridor');
    database = await openDatabase({ kind: 'postgres', url, poolSize: 5 });
    await migrateDatabase(database);
    const op = await makeOperation(database.db);
    slug = op.slug;
    const { route } = await makeRoute(database.db, op.id);
    const m = await makeMovement(
      database.db,
      route.id,
      { status: 'departed', departedAt: new Date(Date.now() - 3_600_000) },
      // No departed figure: everyone on the list counts in the total (stage not reported).
      counts({ registered: { total: 1000 } }),
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
    // Re-opened with the logger, so the listener's warnings are captured.
    await database.close();
    database = await openDatabase({ kind: 'postgres', url, poolSize: 5, logger });
    server = await startTestServer(database, { deps: { logger } });
  }, 60_000);

  afterAll(async () => {
    for (const pid of frozen) cluster.signalBackend(pid, 'SIGCONT');
    await server?.close();
    await database?.close().catch(() => {});
    cluster?.destroy();
  });

  const registered = async () => {
    const s = (await (await fetch(`${server.url}/api/v1/status`)).json()) as Status;
    return s.operations.find((o) => o.slug === slug)?.totals.registered.value;
  };

  it('is found out by its heartbeat; a change shows on the public page within a few seconds', async () => {
    expect(await registered()).toBe(1000);
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    try {
      const { rows } = await raw.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'corridor-listener'",
      );
      expect(rows).toHaveLength(1);
      cluster.signalBackend(rows[0]!.pid, 'SIGSTOP');
      frozen.push(rows[0]!.pid);
      await new Promise((r) => setTimeout(r, 300));
      // A change committed with its signal, which the frozen listener never passes on.
      const changedAt = Date.now();
      await raw.query('BEGIN');
      await raw.query('UPDATE passenger_counts SET registered_total = 1234 WHERE movement_id = $1', [
        movementId,
      ]);
      await raw.query("SELECT pg_notify('corridor_changes', '{}')");
      await raw.query('COMMIT');
      let shownAfterMs = -1;
      while (Date.now() - changedAt < 30_000) {
        if ((await registered()) === 1234) {
          shownAfterMs = Date.now() - changedAt;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(shownAfterMs).toBeGreaterThan(0);
      expect(shownAfterMs).toBeLessThan(9_000); // heartbeat 2 s, missed after 4–6 s, then re-read
      expect(logLines.some((l) => l.includes('missed its heartbeat'))).toBe(true);
      expect(logLines.some((l) => l.includes('change listener reconnected'))).toBe(true);
      // A new listener backend is listening again.
      const after = await raw.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'corridor-listener' AND state IS NOT NULL",
      );
      expect(after.rows.map((r) => r.pid)).toContain(after.rows.find((r) => !frozen.includes(r.pid))?.pid);
    } finally {
      await raw.end();
    }
  }, 60_000);
});
