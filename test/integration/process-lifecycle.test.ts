// The embedded database's folder lock, persistence across restarts, and a
// graceful stop — exercised on real processes.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnApp } from '../../scripts/app-process.ts';
import { PORT_UNAVAILABLE_EXIT } from '../../src/http-server.ts';
import { DataDirLockedError, lockDataDir } from '../../src/store/data-dir-lock.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { countOperations } from '../../src/store/repositories/catalog.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { holdFor } from '../support/wait.ts';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const tempDirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-lc-'));
  tempDirs.push(d);
  return d;
}

/** The server on an embedded database (never the suite's PostgreSQL), on a free port. */
function startServer(env: Record<string, string>) {
  const app = spawnApp({ PORT: '0', DATABASE_URL: '', ...env });
  children.push(app.child);
  return app;
}

describe('data folder lock', () => {
  it('refuses a second holder while the first lives, and frees the lock on release', async () => {
    const dir = tempDir();
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(DataDirLockedError);
    await expect(lockDataDir(dir)).rejects.toMatchObject({
      code: 'data_dir_locked',
      holder: String(process.pid),
    });
    await release(); // resolves once the helper holding the lock has exited
    const again = await lockDataDir(dir);
    await again();
  });

  it('is free the moment a release resolves: no helper still holds it', async () => {
    // flock(1)'s child inherits the locked file: a release that only killed flock left the
    // child holding the lock for a moment, and a reopen right after was refused.
    const dir = tempDir();
    for (let i = 0; i < 30; i++) {
      const release = await lockDataDir(dir);
      await release();
      const probe = spawnSync('flock', [
        '--nonblock',
        '--exclusive',
        path.join(dir, 'corridor.lock'),
        'true',
      ]);
      expect({ cycle: i, status: probe.status }).toEqual({ cycle: i, status: 0 });
    }
  });

  it("is free when a release resolves even if flock's child hangs: both are ended", async () => {
    const dir = tempDir();
    const release = await lockDataDir(dir);
    const pgrep = (...args: string[]) => spawnSync('pgrep', args, { encoding: 'utf8' }).stdout.trim();
    const flock = pgrep('-f', `flock --nonblock --exclusive --conflict-exit-code 75 ${dir}`);
    const child = pgrep('-P', flock);
    expect(child).toMatch(/^\d+$/);
    process.kill(Number(child), 'SIGSTOP'); // it cannot read the end of its input now
    const started = performance.now();
    await release();
    expect(performance.now() - started).toBeGreaterThan(4000); // waited for them first
    const probe = spawnSync('flock', ['--nonblock', '--exclusive', path.join(dir, 'corridor.lock'), 'true']);
    expect(probe.status).toBe(0);
    expect(pgrep('-P', flock)).toBe('');
  });

  it('a lock file naming any live process (pid 1) or a dead one does not block a start', async () => {
    for (const stale of ['1', '999999999']) {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'corridor.lock'), `${stale}\n`);
      const release = await lockDataDir(dir);
      expect(fs.readFileSync(path.join(dir, 'corridor.lock'), 'utf8').trim()).toBe(String(process.pid));
      await release();
    }
  });

  it('is freed when its holder is killed (SIGKILL)', async () => {
    const dir = tempDir();
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./src/store/data-dir-lock.ts').then(async (m) => { await m.lockDataDir(${JSON.stringify(dir)}); console.log('held'); setInterval(() => {}, 1000); })`,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(holder);
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    await expect(lockDataDir(dir)).rejects.toThrow(DataDirLockedError);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    // The killed holder's flock helper may outlive it for a moment.
    let release: (() => Promise<void>) | undefined;
    await expect
      .poll(async () => (release ??= await lockDataDir(dir).catch(() => undefined)), {
        timeout: 5_000,
        interval: 50,
      })
      .toBeDefined();
    await release!();
  });
});

describe('embedded database across restarts', () => {
  it('keeps its data, and seeding again adds nothing', async () => {
    const dir = tempDir();
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    await migrateDatabase(first);
    expect(await seedReportedFigures({ db: first.db })).toEqual({ routesAdded: 6, movementsAdded: 3 });
    await first.close();
    const second = await openDatabase({ kind: 'pglite', dataDir: dir });
    await migrateDatabase(second);
    expect(await countOperations(second.db)).toBe(1);
    expect(await seedReportedFigures({ db: second.db })).toEqual({ routesAdded: 0, movementsAdded: 0 });
    await second.close();
  });
});

describe('the server process', () => {
  it('refuses a second start on the same data folder with a clear message', async () => {
    const dir = tempDir();
    const first = startServer({ DATA_DIR: dir });
    const url = await first.listening;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const second = startServer({ DATA_DIR: dir });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('error=data_dir_locked');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('"code":"stopped"');
  }, 120_000);

  it('stays up past its first timers: the as-of settle 5 s after start re-arms itself', async () => {
    // The settle timer once threw on re-arming (a const declared after the service's
    // return, never initialised): every server exited 5 s after it started.
    const app = startServer({ DATA_DIR: tempDir() });
    const url = await app.listening;
    let exited = false;
    void app.exited.then(() => (exited = true));
    await holdFor(8_000); // past SETTLE_FIRST_MS (5 s) and its re-arm
    expect(exited).toBe(false);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    // Answered (a day before the fresh operation is a 404), not a crash.
    expect((await fetch(`${url}/api/v1/status?asOf=2026-06-01`)).status).toBeLessThan(500);
    expect(app.output()).not.toContain('ReferenceError');
  }, 120_000);

  it('refuses a port another process holds in one sentence, before making its data folder', async () => {
    // It made and seeded the folder, then died with an unhandled EADDRINUSE stack (audit, 6 December).
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    const dir = path.join(tempDir(), 'data');
    try {
      const second = startServer({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir });
      expect(await second.exited).toBe(PORT_UNAVAILABLE_EXIT);
      expect(second.output()).toContain('error=port_in_use');
      expect(second.output()).not.toContain('Unhandled');
      expect(fs.existsSync(dir)).toBe(false);
    } finally {
      holder.close();
    }
  }, 60_000);

  it('names the bad variable and exits when the configuration is wrong', async () => {
    const bad = startServer({ PORT: 'not-a-port', DATA_DIR: tempDir() });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('error=invalid_config');
    expect(bad.output()).toContain('PORT');
  });
});
