// A half-dead LISTEN connection (its backend frozen with SIGSTOP, as a NAT that
// silently drops an idle connection looks to us) is found out by the missed
// heartbeat: the listener reconnects and the public copy is re-read, so a save
// shows on the public page within a few seconds. Before the heartbeat, the page
// kept serving the old figures for up to a minute, saying nothing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from '../support/db.ts';
import { type ThrowawayApp, startThrowawayApp } from '../support/throwaway-app.ts';

describe.runIf(usingPostgres())('a frozen LISTEN backend', () => {
  let app: ThrowawayApp;
  const frozen: number[] = [];

  beforeAll(async () => {
    app = await startThrowawayApp({ registered: 1000 });
  }, 60_000);

  afterAll(async () => {
    for (const pid of frozen) app?.cluster.signalBackend(pid, 'SIGCONT');
    await app?.close();
  });

  it('is found out by its heartbeat; a change shows on the public page within a few seconds', async () => {
    expect(await app.registered()).toBe(1000);
    const raw = new pg.Client({ connectionString: app.url });
    await raw.connect();
    try {
      const { rows } = await raw.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'corridor-listener'",
      );
      expect(rows).toHaveLength(1);
      app.cluster.signalBackend(rows[0]!.pid, 'SIGSTOP');
      frozen.push(rows[0]!.pid);
      // A change committed with its signal, which the frozen listener never passes on.
      await raw.query('BEGIN');
      await raw.query('UPDATE passenger_counts SET registered_total = 1234 WHERE movement_id = $1', [
        app.movementId,
      ]);
      await raw.query("SELECT pg_notify('corridor_changes', '{}')");
      await raw.query('COMMIT');
      // Heartbeat 2 s, missed after 4–6 s, then re-read. Without the heartbeat the page kept
      // the old figure for a minute; 20 s leaves room for a busy machine.
      await expect.poll(() => app.registered(), { timeout: 20_000, interval: 100 }).toBe(1234);
      expect(app.logLines.some((l) => l.includes('missed its heartbeat'))).toBe(true);
      expect(app.logLines.some((l) => l.includes('change listener reconnected'))).toBe(true);
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
