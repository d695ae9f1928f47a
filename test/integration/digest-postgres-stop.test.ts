// PostgreSQL stopped in the middle of a digest run (a throwaway cluster this test
// starts and stops), at several points and for several lengths of time, with an
// SMTP sink that counts what each address receives: nobody ever gets two.
// Before the fix, a worker that could not record a send went on sending, and
// the rows it had sent were requeued: recipients got the digest twice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../scripts/pg-cluster.ts';
import type { Clock } from '../../src/clock.ts';
import { LEASE_MS, drainRun } from '../../src/domain/digest/deliver.ts';
import { claimDigestRun } from '../../src/domain/digest/run.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { findRun } from '../../src/store/repositories/digest.ts';
import { usingPostgres } from '../support/db.ts';
import {
  type TestSmtp,
  deliveriesOf,
  drainDeps,
  makeSubscriber,
  smtpMailer,
  startSmtp,
} from '../support/digest.ts';
import { makeOperation } from '../support/factories.ts';
import { killAll, spawnNode } from '../support/processes.ts';
import { holdFor, waitFor } from '../support/wait.ts';

/** Real time, which the test can move forward (past a lease) without waiting. */
const offsetClock = () => {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => void (offset += ms) };
};

/** Wait for so many messages, asking often: the test stops PostgreSQL right after. */
const messages = (smtp: TestSmtp, n: number, timeoutMs = 60_000) =>
  waitFor(`${n} messages`, () => smtp.received.length >= n, { timeoutMs, intervalMs: 5 });

afterEach(killAll);

describe.runIf(usingPostgres())('PostgreSQL stopped mid-run: nobody gets the digest twice', () => {
  let cluster: ThrowawayPostgres;
  let n = 0;
  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
  }, 60_000);
  afterAll(() => cluster?.destroy());

  async function setup(recipients: number) {
    const url = await cluster.createDatabase(`digest_stop_${++n}`);
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 6 });
    await migrateDatabase(database);
    const operation = await makeOperation(database.db);
    for (let i = 0; i < recipients; i++)
      await makeSubscriber(database, {
        operationId: operation.id,
        email: `r${i}@example.org`,
        language: 'en',
      });
    return { url, database, operation };
  }

  /** Every address at most once; what the database calls sent arrived exactly once; nothing left open. */
  async function checkNobodyTwice(
    database: Database,
    runId: number,
    smtp: TestSmtp,
    recipients: number,
    unsettled = ['uncertain'],
  ) {
    const got = new Map<string, number>();
    for (const r of smtp.received) for (const to of r.to) got.set(to, (got.get(to) ?? 0) + 1);
    const twice = [...got].filter(([, k]) => k > 1);
    expect(twice, `received twice: ${twice.map(([a]) => a).join(', ')}`).toEqual([]);
    const rows = await deliveriesOf(database, runId);
    expect(rows).toHaveLength(recipients);
    const byStatus: Record<string, number> = {};
    for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    for (const r of rows) {
      if (r.status === 'sent') expect(got.get(r.email!), r.email!).toBe(1);
      else expect(unsettled, `${r.email} is ${r.status}`).toContain(r.status);
    }
    // Uncertain ones were handed to the server: at most one per worker in flight at the stop.
    return { byStatus, received: smtp.received.length };
  }

  const points = [
    {
      name: 'early, one worker, back within the settle window',
      stopAfter: 7,
      concurrency: 1,
      downMs: 3_000,
      mode: 'fast',
    },
    {
      name: 'mid-run, four workers, crash-stop',
      stopAfter: 60,
      concurrency: 4,
      downMs: 2_000,
      mode: 'immediate',
    },
    { name: 'late, eight workers', stopAfter: 140, concurrency: 8, downMs: 1_500, mode: 'fast' },
    {
      name: 'down longer than the settle window',
      stopAfter: 30,
      concurrency: 4,
      downMs: 6_000,
      mode: 'fast',
      settleMs: 1_000,
    },
  ] as const;

  for (const point of points)
    it(`stopped ${point.name}`, async () => {
      const recipients = 200;
      const { database, operation } = await setup(recipients);
      const smtp = await startSmtp({ delayMs: 5 });
      const clock = offsetClock() as Clock & { advance(ms: number): void };
      const deps = drainDeps(database, clock, smtpMailer(smtp));
      const { run } = await claimDigestRun(deps, {
        operation,
        day: '2026-03-03',
        now: clock.now(),
        claimedBy: 'test',
      });
      const settleWithinMs = 'settleMs' in point ? point.settleMs : 30_000;
      const draining = drainRun(deps, run.id, { concurrency: point.concurrency, settleWithinMs });
      await messages(smtp, point.stopAfter);
      await cluster.stopAsync(point.mode);
      const atStop = smtp.received.length;
      // Kept down for a while on purpose: how long the database is away is what each case varies.
      await holdFor(point.downMs);
      // While the database is away nothing more is sent (a send in flight at the stop may land).
      expect(smtp.received.length).toBeLessThanOrEqual(atStop + point.concurrency);
      await cluster.startAsync();
      const first = await draining;
      expect(first).toMatchObject({ halted: true, stoppedBy: 'database' });
      if (!('settleMs' in point)) expect(first.unrecorded).toBe(0); // written once the database was back

      // The next run, after any lease left behind has run out, finishes the rest.
      clock.advance(LEASE_MS + 1_000);
      const second = await drainRun(deps, run.id, { concurrency: 4 });
      expect(second.halted).toBe(false);
      const { byStatus } = await checkNobodyTwice(database, run.id, smtp, recipients);
      expect(byStatus.sent ?? 0).toBeGreaterThanOrEqual(recipients - point.concurrency);
      expect(byStatus.uncertain ?? 0).toBeLessThanOrEqual(point.concurrency);
      if ('settleMs' in point) expect(byStatus.uncertain ?? 0).toBe(first.unrecorded);
      await deps.mailer.close();
      await smtp.close();
      await database.close();
    }, 120_000);

  it('the CLI stops at once, says so, and its rerun sends nobody twice', async () => {
    const recipients = 300;
    const { url, database, operation } = await setup(recipients);
    const smtp = await startSmtp({ delayMs: 20 });
    const cliRun = (extra: string[] = []) =>
      spawnNode('src/cli/digest.ts', ['--date', '2026-03-03', '--operation', operation.slug, ...extra], {
        DATABASE_URL: url,
        SMTP_URL: smtp.url,
        LOG_LEVEL: 'silent',
        SEED_ON_EMPTY: 'false',
      });
    const first = cliRun(['--concurrency', '1', '--settle-seconds', '2']);
    await messages(smtp, 100, 90_000);
    await cluster.stopAsync('fast');
    const atStop = smtp.received.length;
    expect(await first.exited, first.output()).toBe(1);
    // Stopped by the database; at most the one send in flight is left unrecorded.
    expect(first.output()).toMatch(/^digest=drained .* stopped=database unrecorded=[01] .*ok=false$/m);
    // It stopped at once: once the sink has nothing open, at most the one send in flight at
    // the stop (concurrency 1) landed after it.
    await waitFor('the SMTP sink idle', () => smtp.idle());
    expect(smtp.received.length).toBeLessThanOrEqual(atStop + 1);
    await cluster.startAsync();

    // A rerun right away: the stopped process's lease still holds its last row, and it says so.
    const second = cliRun();
    const secondCode = await second.exited;
    const left = await deliveriesOf(database, (await findRun(database.db, operation.id, '2026-03-03'))!.id);
    const held = left.filter((r) => r.status === 'sending').length;
    const claimed = left.filter((r) => r.status === 'claimed').length;
    if (held + claimed) {
      expect(secondCode).toBe(1);
      expect(second.output()).toMatch(
        new RegExp(
          `^digest=drained .* leased_sending=${held} leased_claimed=${claimed} leased_until=\\d{4}-`,
          'm',
        ),
      );
    }
    const runId = (await findRun(database.db, operation.id, '2026-03-03'))!.id;
    const { byStatus } = await checkNobodyTwice(database, runId, smtp, recipients, [
      'uncertain',
      'sending',
      'claimed',
    ]);
    expect((byStatus.sent ?? 0) + (byStatus.uncertain ?? 0) + held + claimed).toBe(recipients);
    expect(held).toBeLessThanOrEqual(1);
    // Once the stopped process's lease has run out, the rest goes, and still nobody twice.
    const clock = offsetClock();
    clock.advance(LEASE_MS + 1_000);
    const deps = drainDeps(database, clock, smtpMailer(smtp));
    await drainRun(deps, runId);
    await deps.mailer.close();
    const final = await checkNobodyTwice(database, runId, smtp, recipients);
    expect((final.byStatus.sent ?? 0) + (final.byStatus.uncertain ?? 0)).toBe(recipients);
    expect(final.byStatus.uncertain ?? 0).toBe(held);
    await smtp.close();
    await database.close();
  }, 180_000);
});
