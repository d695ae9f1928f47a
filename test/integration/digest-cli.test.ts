// npm run digest: --dry-run writes nothing, --to sends one, a plain run claims
// once and a second run sends nothing more; with no SMTP_URL mail lands as .eml.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { findOperationBySlug } from '../../src/store/repositories/catalog.ts';
import { findRun } from '../../src/store/repositories/digest.ts';
import { makeSubscriber } from '../support/digest.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-digest-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const dataDir = path.join(dir, 'data');
const outbox = path.join(dir, 'outbox');
const env = {
  ...process.env,
  DATABASE_URL: '',
  SMTP_URL: '',
  DATA_DIR: dataDir,
  OUTBOX_DIR: outbox,
  LOG_LEVEL: 'silent',
};
type Output = { stdout: string; stderr: string; code: number };
const cli = (...args: string[]): Promise<Output> =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/digest.ts', ...args], { cwd: root, env }).then(
    (r) => ({ stdout: r.stdout, stderr: r.stderr, code: 0 }),
    (e: Output) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }),
  );
const emls = () => (fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')) : []);

describe('npm run digest', () => {
  it('prints its usage for --help, exit 0', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const option of ['--date', '--dry-run', '--to', '--lang', '--audience', '--operation'])
      expect(help.stdout).toContain(option);
  });

  it('dry-runs, test-sends, runs once, and refuses a bad date', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    await migrateDatabase(database);
    await seedReportedFigures({ db: database.db });
    const operation = (await findOperationBySlug(database.db, 'middle-east-2026'))!;
    await makeSubscriber(database, { operationId: operation.id, email: 'a@example.org', language: 'ru' });
    await makeSubscriber(database, {
      operationId: operation.id,
      email: 'b@example.org',
      language: 'kk',
      audience: 'staff',
    });
    await database.close();

    const dry = await cli('--date', '2026-03-03', '--dry-run', '--lang', 'ru');
    expect(dry.stdout).toMatch(
      /^digest=preview operation=middle-east-2026 day=2026-03-03 run=none recipients=2 /m,
    );
    // The subject in the language asked for: a translation check, in its words.
    expect(dry.stdout).toContain('Ближний Восток 2026: сводка за 3 марта 2026 г.');
    expect(emls()).toHaveLength(0);

    const to = await cli('--date', '2026-03-03', '--to', 'someone@example.org', '--lang', 'en');
    expect(to.stdout).toContain(
      'digest=test_sent operation=middle-east-2026 day=2026-03-03 audience=public lang=en to=1',
    );
    expect(to.code).toBe(0); // not 13: the data folder's lock is released before the process ends
    expect(emls()).toHaveLength(1);
    expect(fs.readFileSync(path.join(outbox, emls()[0]!), 'utf8')).toContain('To: someone@example.org');

    const first = await cli('--date', '2026-03-03');
    expect(first.stdout).toMatch(
      /^digest=claimed operation=middle-east-2026 day=2026-03-03 run=\d+ recipients=2$/m,
    );
    expect(first.stdout).toMatch(/^digest=drained .* sent=2 failed=0 uncertain=0 .* ok=true$/m);
    expect(emls()).toHaveLength(3);
    const again = await cli('--date', '2026-03-03');
    expect(again.stdout).toMatch(/^digest=resumed operation=middle-east-2026 day=2026-03-03 run=\d+$/m);
    expect(emls()).toHaveLength(3);

    const bad = await cli('--date', '2026-02-30');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error=invalid_day field=date');

    const check = await openDatabase({ kind: 'pglite', dataDir });
    expect((await findRun(check.db, operation.id, '2026-03-03'))!.completedAt).toBeInstanceOf(Date);
    await check.close();
  }, 120_000);
});
