// The app killed with SIGKILL in the middle of count updates: after a restart
// every change is complete with its history record, or absent. On PostgreSQL
// (PostgreSQL pass) and on the embedded database in its data folder (PGlite pass).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCountIntegrity } from '../../scripts/count-integrity.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import type { TestServer } from '../support/app.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { type AppProcess, startAppProcess } from '../support/processes.ts';
import { createStaffUser, signIn } from '../support/staff.ts';
import { waitFor } from '../support/wait.ts';

const processes: AppProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-kill-'));
afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function prepare(database: Database) {
  const op = await makeOperation(database.db);
  const { route } = await makeRoute(database.db, op.id);
  const source = await makeSource(database.db);
  const movements = [];
  for (let i = 0; i < 4; i++)
    movements.push(await makeMovement(database.db, route.id, {}, counts({ registered: { total: 10 } })));
  const user = await createStaffUser(database.db, 'officer');
  return { source, movements, user };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** Saves in 4 lanes, SIGKILL after 40 answers, restart; returns what the clients heard. */
async function killDuringSaves(env: Record<string, string>, { source, movements, user }: Prepared) {
  const first = await startAppProcess(env);
  processes.push(first);
  const officer = await signIn({ url: first.url } as TestServer, 'officer', { user });
  const accepted = new Set<string>();
  let inFlight = 0;
  let killed = false;
  const loop = async (movementId: number, lane: number) => {
    let version = 1;
    for (let n = 1; !killed; n++) {
      const reason = `lane ${lane} update ${n}`;
      inFlight++;
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
        inFlight--;
      }
    }
  };
  const lanes = movements.map((m, i) => loop(m.id, i));
  await waitFor('40 accepted saves', () => accepted.size >= 40, { timeoutMs: 60_000, intervalMs: 10 });
  killed = true;
  const pending = inFlight;
  first.child.kill('SIGKILL');
  await Promise.all(lanes);
  expect(await first.exited).toBeNull();

  const second = await startAppProcess(env);
  processes.push(second);
  expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
  // The restarted app takes saves again (at whatever version the history reached).
  const again = await signIn({ url: second.url } as TestServer, 'officer', { user });
  const page = await again.get(`/staff/movements/${movements[0]!.id}/counts`);
  const version = Number(/name="version" value="(\d+)"/.exec(await page.text())?.[1]);
  const res = await again.post(
    `/staff/movements/${movements[0]!.id}/counts`,
    { version, 'registered.total': 999, reason: 'after restart', source: source.id },
    { headers: { Accept: 'application/json' } },
  );
  expect(res.status).toBe(200);
  accepted.add('after restart');
  expect(await second.kill('SIGTERM')).toBe(0);
  return { accepted, pending };
}

function expectComplete(
  report: Awaited<ReturnType<typeof checkCountIntegrity>>,
  heard: { accepted: Set<string>; pending: number },
) {
  expect(report.problems).toEqual([]);
  // Every answered save is there exactly once; at most the ones cut off
  // mid-answer are there without the client having heard back.
  for (const reason of heard.accepted) expect(report.reasons.get(reason)).toBe(1);
  expect(report.changeSets).toBeGreaterThanOrEqual(heard.accepted.size);
  expect(report.changeSets - heard.accepted.size).toBeLessThanOrEqual(heard.pending);
}

describe('SIGKILL in the middle of count updates', () => {
  it.runIf(usingPostgres())(
    'on PostgreSQL: every change complete with its history, or absent',
    async () => {
      const database = await createTestDatabase();
      const url = testDatabaseUrl(database);
      const prepared = await prepare(database);
      const heard = await killDuringSaves({ DATABASE_URL: url, PORT: '0' }, prepared);
      expectComplete(
        await checkCountIntegrity(
          url,
          prepared.movements.map((m) => m.id),
        ),
        heard,
      );
    },
    120_000,
  );

  it.skipIf(usingPostgres())(
    'on the embedded database: every change complete with its history, or absent',
    async () => {
      const dataDir = path.join(tmp, 'data');
      const database = await openDatabase({ kind: 'pglite', dataDir });
      await migrateDatabase(database);
      const prepared = await prepare(database);
      await database.close();
      const heard = await killDuringSaves({ DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0' }, prepared);
      const pglite = new PGlite({ dataDir });
      try {
        expectComplete(
          await checkCountIntegrity(
            pglite,
            prepared.movements.map((m) => m.id),
          ),
          heard,
        );
      } finally {
        await pglite.close();
      }
    },
    180_000,
  );
});
