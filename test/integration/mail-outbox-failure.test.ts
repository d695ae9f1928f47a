// Writing mail fails because the outbox folder cannot be written: each failure
// is recorded with its reason and retried; once the folder is fixed every
// recipient gets exactly one message — never lost, never twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { drainRun } from '../../src/domain/digest/deliver.ts';
import { claimDigestRun } from '../../src/domain/digest/run.ts';
import { createTestDatabase } from '../support/db.ts';
import { makeOperation, makeRoute } from '../support/factories.ts';
import { createOutboxMailer, deliveriesOf, drainDeps, makeSubscriber } from '../support/digest.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-outbox-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('digest to an outbox folder that cannot be written', () => {
  it('records the failure with its reason, retries, and sends each recipient exactly once', async () => {
    const database = await createTestDatabase();
    const operation = await makeOperation(database.db);
    await makeRoute(database.db, operation.id);
    for (let i = 0; i < 3; i++)
      await makeSubscriber(database, {
        operationId: operation.id,
        email: `outbox${i}@example.org`,
        language: 'ru',
      });

    // A file where the folder should be: no process, root included, can create the outbox.
    const blocker = path.join(tmp, 'blocked');
    fs.writeFileSync(blocker, 'not a folder');
    const outbox = path.join(blocker, 'outbox');
    const clock = fixedClock('2026-03-05T15:00:00Z');
    const deps = drainDeps(database, clock, createOutboxMailer(outbox));
    const claim = await claimDigestRun(deps, {
      operation,
      day: '2026-03-05',
      now: clock.now(),
      claimedBy: 't',
    });

    const first = await drainRun(deps, claim.run.id);
    expect(first.sent).toBe(0);
    expect(first.failed).toBeGreaterThanOrEqual(1);
    let rows = await deliveriesOf(database, claim.run.id);
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed).toHaveLength(first.failed);
    for (const r of failed) {
      expect(r.lastError).toMatch(/ENOTDIR|not a directory|EEXIST/i);
      expect(r.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
    }
    // Nobody was dropped: the rest still wait their turn.
    expect(rows.filter((r) => r.status === 'queued' || r.status === 'failed')).toHaveLength(3);

    // The operator fixes the folder; passes over time deliver everyone once.
    fs.rmSync(blocker);
    for (let pass = 0; pass < 6; pass++) {
      await drainRun(deps, claim.run.id);
      clock.advance(10 * 60_000);
    }
    rows = await deliveriesOf(database, claim.run.id);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    const files = fs.readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(3);
    const recipients = files.map(
      (f) => /^To: (.+)$/m.exec(fs.readFileSync(path.join(outbox, f), 'utf8'))?.[1],
    );
    expect(recipients.sort()).toEqual(['outbox0@example.org', 'outbox1@example.org', 'outbox2@example.org']);
    // No half-written leftovers.
    expect(fs.readdirSync(outbox).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
