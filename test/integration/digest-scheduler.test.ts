// The scheduler's tick: due at the operation's local send time, claimed once,
// caught up after the process was down.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { claimDigestRun } from '../../src/domain/digest/run.ts';
import { startDigestScheduler } from '../../src/jobs/digest-scheduler.ts';
import type { Database } from '../../src/store/database.ts';
import { findRun } from '../../src/store/repositories/digest.ts';
import { createTestDatabase } from '../support/db.ts';
import { createOutboxMailer, drainDeps } from '../support/digest.ts';
import { makeOperation } from '../support/factories.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});

describe('digest scheduler', () => {
  it('claims at 20:00 local, once, and catches up a day missed while down', async () => {
    // Only this test's operation is active, so the tick's claims are its own.
    const operation = await makeOperation(database.db, { digestTime: '20:00' });
    const clock = fixedClock('2026-03-03T14:59:00Z'); // 19:59 in Almaty
    const deps = drainDeps(
      database,
      clock,
      createOutboxMailer(`${process.env.TMPDIR ?? '/tmp'}/corridor-sched-${process.pid}`),
    );
    await claimDigestRun(deps, { operation, day: '2026-03-02', now: clock.now(), claimedBy: 'yesterday' });
    const scheduler = startDigestScheduler(deps, { intervalMs: 3_600_000 });
    try {
      await scheduler.tick();
      expect(await findRun(database.db, operation.id, '2026-03-03')).toBeUndefined();
      clock.set('2026-03-03T15:00:00Z'); // 20:00
      await scheduler.tick();
      const run = await findRun(database.db, operation.id, '2026-03-03');
      expect(run).toBeDefined();
      clock.set('2026-03-03T15:01:00Z');
      await scheduler.tick();
      expect((await findRun(database.db, operation.id, '2026-03-03'))!.id).toBe(run!.id);
      // Down from before 20:00 on 4 March until 09:00 on 5 March: the 4th is sent on return.
      clock.set('2026-03-05T04:00:00Z');
      await scheduler.tick();
      expect(await findRun(database.db, operation.id, '2026-03-04')).toBeDefined();
      expect(await findRun(database.db, operation.id, '2026-03-05')).toBeUndefined();
    } finally {
      await scheduler.stop();
    }
  });

  it('honours an operation-specific send time in its own time zone', async () => {
    const operation = await makeOperation(database.db, { digestTime: '07:30', timeZone: 'Europe/London' });
    const clock = fixedClock('2026-03-10T07:29:00Z');
    const deps = drainDeps(
      database,
      clock,
      createOutboxMailer(`${process.env.TMPDIR ?? '/tmp'}/corridor-sched-${process.pid}`),
    );
    await claimDigestRun(deps, { operation, day: '2026-03-09', now: clock.now(), claimedBy: 'yesterday' });
    const scheduler = startDigestScheduler(deps, { intervalMs: 3_600_000 });
    try {
      await scheduler.tick();
      expect(await findRun(database.db, operation.id, '2026-03-10')).toBeUndefined();
      clock.set('2026-03-10T07:30:00Z');
      await scheduler.tick();
      expect(await findRun(database.db, operation.id, '2026-03-10')).toBeDefined();
    } finally {
      await scheduler.stop();
    }
  });
});
