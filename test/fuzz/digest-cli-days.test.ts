// Issue 11, point 2: `npm run digest` with a day outside the sane window (9999-12-31,
// 0026-03-03) exits 2 with a message and writes nothing, with or without --dry-run.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

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
  it('exits 2 with a message and writes nothing (no run, no database, no mail)', async () => {
    const cases = [
      ['--date', '9999-12-31'],
      ['--date', '9999-12-31', '--dry-run'],
      ['--date', '0026-03-03'],
    ];
    const outs = await Promise.all(cases.map((args) => cli(...args)));
    outs.forEach((out, i) => {
      const label = cases[i]!.join(' ');
      expect(out.code, label).toBe(2);
      expect(out.stderr.trim().length, label).toBeGreaterThan(0);
      expect(out.stderr, label).not.toMatch(/RangeError|at .*\.ts:\d+/);
    });
    // Refused before the database is opened: no data folder, so certainly no digest run.
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(outbox) ? fs.readdirSync(outbox) : []).toEqual([]);
  }, 300_000);
});
