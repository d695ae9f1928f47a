// PostgreSQL down when the app starts (after a reboot the app may be up first):
// the app retries with a growing delay, saying so, and starts once the database
// answers; past DB_START_TIMEOUT_SECONDS it exits 1 with a plain message (no
// stack trace) for systemd's Restart=on-failure (deploy/corridor.service) to
// try again. Partial files an earlier crash left are cleaned up at start.
// Before: exit 1 with a stack trace at once, and no service unit.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess } from '../../scripts/app-process.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../scripts/pg-cluster.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { usingPostgres } from '../support/db.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-pgstart-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.runIf(usingPostgres())('PostgreSQL down at start', () => {
  let cluster: ThrowawayPostgres;
  let url: string;
  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
    url = await cluster.createDatabase('corridor');
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
    await migrateDatabase(database);
    await database.close();
    cluster.stop('fast');
  }, 60_000);
  afterAll(() => cluster?.destroy());

  it('gives up after DB_START_TIMEOUT_SECONDS with a message naming the setting', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, DB_START_TIMEOUT_SECONDS: '2', LOG_LEVEL: 'warn', PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error=db_unreachable');
    expect(r.stderr).toContain('DB_START_TIMEOUT_SECONDS'); // names the setting
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toContain('"code":"db_retrying"');
  }, 90_000);

  it('retries until the database is back, then starts; old partial files are removed', async () => {
    const outbox = path.join(tmp, 'outbox');
    fs.mkdirSync(outbox);
    const stale = path.join(outbox, 'x.eml.123.tmp');
    fs.writeFileSync(stale, 'half a message');
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(stale, old, old);
    const fresh = path.join(outbox, 'y.eml.456.tmp'); // another process may be writing this one
    fs.writeFileSync(fresh, 'being written');
    let starting: Promise<void> | undefined;
    const app = await startAppProcess(
      { DATABASE_URL: url, DB_START_TIMEOUT_SECONDS: '60', PORT: '0', OUTBOX_DIR: outbox },
      {
        timeoutMs: 90_000,
        // The database comes back once the app has said it is waiting for it.
        onOutput: (text) => {
          if (!starting && text.includes('"code":"db_retrying"')) starting = cluster.startAsync();
        },
      },
    );
    await starting;
    try {
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      expect(app.output()).toContain('"code":"db_retrying"');
      expect(fs.existsSync(stale)).toBe(false);
      expect(fs.existsSync(fresh)).toBe(true);
    } finally {
      await app.kill();
    }
  }, 120_000);
});

describe('deploy/corridor.service', () => {
  const unit = fs.readFileSync(path.join(root, 'deploy/corridor.service'), 'utf8');
  it('restarts the app when it fails, and is a valid unit', () => {
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^ExecStart=/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    const verify = spawnSync('systemd-analyze', ['verify', path.join(root, 'deploy/corridor.service')], {
      encoding: 'utf8',
    });
    if (verify.error) return; // systemd-analyze not installed here
    expect(
      verify.stderr
        .split('\n')
        .filter(
          (l) => /corridor\.service/.test(l) && !/User|Group|corridor\.env|\/opt\/corridor|npm/.test(l),
        ),
    ).toEqual([]);
  });
});
