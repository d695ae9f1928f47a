// npm run start:cluster: workers share a port, a dead worker is replaced, and
// SIGTERM stops them all cleanly; the embedded database refuses.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/app.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { killAll, spawnNode } from '../support/processes.ts';
import { createStaffUser, signIn } from '../support/staff.ts';
import { waitFor } from '../support/wait.ts';

afterEach(killAll);

const startCluster = (env: Record<string, string>) =>
  spawnNode('src/cluster.ts', [], { LOG_LEVEL: 'info', HOST: '127.0.0.1', DATABASE_URL: '', ...env });

const workerPids = (output: string) =>
  [...output.matchAll(/"code":"worker_started","worker":(\d+)/g)].map((m) => Number(m[1]));
const listeningPids = (output: string) =>
  new Set([...output.matchAll(/"pid":(\d+)[^\n]*"code":"listening"/g)].map((m) => Number(m[1])));

describe('start:cluster', () => {
  it('refuses the embedded database with a clear message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-cluster-'));
    try {
      const c = startCluster({ DATA_DIR: dir });
      expect(await c.exited).toBe(1);
      expect(c.output()).toContain('error=cluster_needs_postgres');
      expect(fs.existsSync(path.join(dir, 'PG_VERSION'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a port another process holds before opening the database, instead of restarting workers', async () => {
    // Its workers died of EADDRINUSE and were started again for ever (audit, 6 December).
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      // Never reached: the port is checked first.
      const c = startCluster({ DATABASE_URL: 'postgres://127.0.0.1:1/none', PORT: String(port) });
      expect(await c.exited).toBe(1);
      expect(c.output()).toContain('error=port_in_use');
      expect(c.output()).not.toContain('worker_started');
    } finally {
      holder.close();
    }
  });

  it.runIf(usingPostgres())(
    'runs two workers on one port sharing sessions and cache invalidation, replaces a killed one, stops on SIGTERM',
    async () => {
      const database = await createTestDatabase();
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      const c = startCluster({ DATABASE_URL: testDatabaseUrl(database), WORKERS: '2', PORT: String(port) });
      await waitFor('two workers listening', () => listeningPids(c.output()).size >= 2, {
        timeoutMs: 60_000,
      });
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      // The database is prepared once, by the primary: it was migrated by the test (so it is
      // not new and is not seeded), and only the primary says so.
      expect(c.output().match(/"code":"seed_skipped"/g)?.length).toBe(1);
      expect(c.output()).not.toContain('"code":"seeded"');

      // Sessions and cache invalidation go through PostgreSQL: a session made on one
      // worker is good on the other, and a save on one drops every worker's public copy.
      const op = await makeOperation(database.db, { slug: `cluster-${port}` });
      const { route } = await makeRoute(database.db, op.id);
      const source = await makeSource(database.db);
      const m = await makeMovement(
        database.db,
        route.id,
        { status: 'departed', departedAt: new Date(Date.now() - 3_600_000) },
        counts({ registered: { total: 700 } }),
      );
      const officer = await signIn({ url } as TestServer, 'officer', {
        user: await createStaffUser(database.db, 'officer'),
      });
      const registered = async () => {
        const s = (await (await fetch(`${url}/api/v1/status`)).json()) as {
          operations: { slug: string; totals: { registered: { value: number } } }[];
        };
        return s.operations.find((o) => o.slug === op.slug)?.totals.registered.value;
      };
      for (let i = 0; i < 4; i++) expect(await registered()).toBe(700);
      for (let i = 0; i < 6; i++) expect((await officer.get('/staff/account')).status).toBe(200);
      const save = await officer.post(
        `/staff/movements/${m.id}/counts`,
        { version: 1, 'registered.total': 750, reason: 'cluster', source: source.id },
        { headers: { Accept: 'application/json' } },
      );
      expect(save.status).toBe(200);
      await waitFor('every worker showing the save', async () => {
        for (let i = 0; i < 6; i++) if ((await registered()) !== 750) return false;
        return true;
      });

      const [first] = workerPids(c.output());
      process.kill(first!, 'SIGKILL');
      await waitFor('a replacement worker', () => listeningPids(c.output()).size >= 3, { timeoutMs: 60_000 });
      expect(c.output()).toContain('"code":"worker_died"');
      for (let i = 0; i < 10; i++) expect((await fetch(`${url}/healthz`)).status).toBe(200);

      c.child.kill('SIGTERM');
      expect(await c.exited).toBe(0);
      expect(c.output()).toContain('"code":"cluster_stopped"');
      expect(c.output().match(/"code":"stopped"/g)!.length).toBeGreaterThanOrEqual(2); // each worker
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    },
    90_000,
  );
});
