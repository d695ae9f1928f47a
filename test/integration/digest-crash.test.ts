// A digest run killed halfway (SIGKILL, mid-SMTP) is finished by the next run
// without sending anyone the day's digest twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { LEASE_MS, drainRun } from '../../src/domain/digest/deliver.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { findRun } from '../../src/store/repositories/digest.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import {
  deliveriesOf,
  drainDeps,
  makeSubscriber,
  perRecipient,
  smtpMailer,
  startSmtp,
} from '../support/digest.ts';
import { makeOperation, makeRoute } from '../support/factories.ts';
import { killAll, spawnNode } from '../support/processes.ts';
import { waitFor } from '../support/wait.ts';

const tempDirs: string[] = [];
afterEach(killAll);
afterAll(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

const RECIPIENTS = 30;

describe('a run killed halfway', () => {
  it('resumes in the next run: everyone else gets it, the in-flight ones are never resent', async () => {
    let database: Database;
    let env: Record<string, string>;
    if (usingPostgres()) {
      database = await createTestDatabase();
      env = { DATABASE_URL: testDatabaseUrl(database) };
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-crash-'));
      tempDirs.push(dir);
      database = await openDatabase({ kind: 'pglite', dataDir: dir });
      await migrateDatabase(database);
      env = { DATABASE_URL: '', DATA_DIR: dir };
    }
    const operation = await makeOperation(database.db);
    await makeRoute(database.db, operation.id);
    for (let i = 0; i < RECIPIENTS; i++)
      await makeSubscriber(database, {
        operationId: operation.id,
        email: `k${i}@example.org`,
        language: 'en',
      });
    if (!usingPostgres()) await database.close(); // one process per data folder

    const smtp = await startSmtp({ delayMs: 80 });
    const cli = spawnNode(
      'src/cli/digest.ts',
      ['--date', '2026-03-10', '--operation', operation.slug, '--concurrency', '2'],
      { ...env, SMTP_URL: smtp.url, LOG_LEVEL: 'silent', SEED_ON_EMPTY: 'false' },
    );
    await waitFor('ten messages received', () => smtp.received.length >= 10 || cli.child.exitCode !== null, {
      timeoutMs: 60_000,
      intervalMs: 5,
    });
    expect(cli.child.exitCode, cli.output()).toBeNull();
    await cli.kill('SIGKILL');
    const receivedAtKill = smtp.received.length;
    expect(receivedAtKill).toBeLessThan(RECIPIENTS);

    if (!usingPostgres()) database = await openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR });
    const run = (await findRun(database.db, operation.id, '2026-03-10'))!;
    expect(run).toBeDefined();
    // The next run, once the dead process's leases have run out.
    const clock = fixedClock(new Date(Date.now() + LEASE_MS + 60_000));
    const deps = drainDeps(database, clock, smtpMailer(smtp));
    const stats = await drainRun(deps, run.id, { concurrency: 3 });
    await deps.mailer.close();

    const rows = await deliveriesOf(database, run.id);
    expect(rows).toHaveLength(RECIPIENTS);
    const sent = rows.filter((r) => r.status === 'sent');
    const uncertain = rows.filter((r) => r.status === 'uncertain');
    expect(sent.length + uncertain.length).toBe(RECIPIENTS);
    expect(uncertain.length).toBe(stats.uncertain);
    expect(uncertain.length).toBeLessThanOrEqual(2); // at most the dead process's in-flight sends
    const counts = perRecipient(smtp);
    expect([...counts.values()].every((n) => n === 1)).toBe(true); // nobody twice
    for (const r of sent) expect(counts.get(r.email!)).toBe(1);
    expect(stats.sent).toBeGreaterThan(0);
    await smtp.close();
    if (!usingPostgres()) await database.close();
  }, 120_000);
});
