// Issue 11, point 2: `npm run digest` with a day outside the sane window (9999-12-31,
// 0026-03-03) exits 2 with a message and writes no digest run, with or without --dry-run.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-digest-days-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const dataDir = path.join(dir, 'data');
const outbox = path.join(dir, 'outbox');
const env = {
  ...process.env,
  OUTBOX_DIR: outbox,
  DATABASE_URL: '',
  SMTP_URL: '',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
};
type Output = { stdout: string; stderr: string; code: number };
const cli = (...args: string[]): Promise<Output> =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/digest.ts', ...args], { cwd: root, env }).then(
    (r) => ({ stdout: r.stdout, stderr: r.stderr, code: 0 }),
    (e: Output) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }),
  );

describe('npm run digest with a day outside 2000–2100', () => {
  it('exits 2 with a message and writes no run', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    await migrateDatabase(database);
    await database.close();
    for (const args of [
      ['--date', '9999-12-31'],
      ['--date', '9999-12-31', '--dry-run'],
      ['--date', '0026-03-03'],
      ['--date', '0026-03-03', '--dry-run'],
    ]) {
      const out = await cli(...args);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr.trim().length, args.join(' ')).toBeGreaterThan(0);
      expect(out.stderr).not.toMatch(/RangeError|at .*\.ts:\d+/);
    }
    const check = await openDatabase({ kind: 'pglite', dataDir });
    const runs = await check.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM digest_runs`);
    await check.close();
    expect(runs[0]!.n).toBe(0);
    expect(fs.existsSync(outbox) ? fs.readdirSync(outbox) : []).toEqual([]);
  }, 120_000);
});
