// The app killed with SIGKILL in the middle of count updates: after a restart
// every change is complete with its history record, or absent.
import { afterAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from '../../scripts/app-process.ts';
import { checkCountIntegrity } from '../../scripts/count-integrity.ts';
import type { TestServer } from '../support/app.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { createStaffUser, signIn } from '../support/staff.ts';

const processes: AppProcess[] = [];
afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL');
});

describe.runIf(usingPostgres())('SIGKILL in the middle of count updates', () => {
  it('leaves every change complete with its history, or absent', async () => {
    const database = await createTestDatabase();
    const url = testDatabaseUrl(database);
    const op = await makeOperation(database.db);
    const { route } = await makeRoute(database.db, op.id);
    const source = await makeSource(database.db);
    const movements = [];
    for (let i = 0; i < 4; i++)
      movements.push(await makeMovement(database.db, route.id, {}, counts({ registered: { total: 10 } })));
    const user = await createStaffUser(database.db, 'officer');

    const env = { DATABASE_URL: url, PORT: '0' };
    const first = await startAppProcess(env);
    processes.push(first);
    const officer = await signIn({ url: first.url } as TestServer, 'officer', { user });

    const accepted = new Set<string>();
    let inFlightWhenKilled = 0;
    let killed = false;
    const loop = async (movementId: number, lane: number) => {
      let version = 1;
      for (let n = 1; !killed; n++) {
        const reason = `lane ${lane} update ${n}`;
        inFlightWhenKilled++;
        try {
          const res = await officer.post(
            `/staff/movements/${movementId}/counts`,
            { version, 'registered.total': 10 + n, reason, source: source.id },
            { headers: { Accept: 'application/json' } },
          );
          if (res.status !== 200) throw new Error(`save answered ${res.status}: ${await res.text()}`);
          version = ((await res.json()) as { version: number }).version;
          accepted.add(reason);
        } catch (err) {
          if (!killed) throw err;
          return;
        } finally {
          inFlightWhenKilled--;
        }
      }
    };
    const lanes = movements.map((m, i) => loop(m.id, i));
    // Kill once the updates are well under way.
    while (accepted.size < 40) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    const pending = inFlightWhenKilled;
    first.child.kill('SIGKILL');
    await Promise.all(lanes);
    expect(await first.exited).toBeNull();

    const second = await startAppProcess(env);
    processes.push(second);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);

    const report = await checkCountIntegrity(
      url,
      movements.map((m) => m.id),
    );
    expect(report.problems).toEqual([]);
    // Every answered save is there exactly once; at most the ones cut off
    // mid-answer are there without the client having heard back.
    for (const reason of accepted) expect(report.reasons.get(reason)).toBe(1);
    expect(report.changeSets).toBeGreaterThanOrEqual(accepted.size);
    expect(report.changeSets - accepted.size).toBeLessThanOrEqual(pending);

    // The restarted app takes saves again.
    const again = await signIn({ url: second.url } as TestServer, 'officer', { user });
    const [m] = await database.rows<{ version: number }>(
      (await import('drizzle-orm')).sql`SELECT version FROM movements WHERE id = ${movements[0]!.id}`,
    );
    const res = await again.post(
      `/staff/movements/${movements[0]!.id}/counts`,
      { version: m!.version, 'registered.total': 999, reason: 'after restart', source: source.id },
      { headers: { Accept: 'application/json' } },
    );
    expect(res.status).toBe(200);
    await second.kill('SIGTERM');
  }, 120_000);
});
