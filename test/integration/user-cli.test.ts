// npm run user:create / user:password, spawned as an operator would run them:
// the password comes from stdin (piped, or typed at a terminal without echo);
// there is no default password.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, sessions } from '../../db/schema.ts';
import { verifyPassword } from '../../src/domain/auth/passwords.ts';
import { startSession } from '../../src/domain/auth/sessions.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { PASSWORD_PROMPTS } from '../../src/cli/read-password.ts';
import { findUserByEmail } from '../../src/store/repositories/users.ts';
import { countOperations } from '../../src/store/repositories/catalog.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let env: NodeJS.ProcessEnv;
let pgDatabase: Database | undefined;

beforeAll(async () => {
  env = { ...process.env, LOG_LEVEL: 'silent', SEED_ON_EMPTY: 'false' };
  delete env.DATABASE_URL;
  if (usingPostgres()) {
    pgDatabase = await createTestDatabase();
    env.DATABASE_URL = testDatabaseUrl(pgDatabase);
  } else {
    env.DATA_DIR = path.join(tmp, 'data');
  }
});

type Run = { code: number | null; stdout: string; stderr: string };

function run(
  script: string,
  args: string[],
  input: string | null,
  viaTerminal = false,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Run> {
  const cli = ['node', '--import', 'tsx', `src/cli/${script}.ts`, ...args];
  const child = viaTerminal
    ? spawn('script', ['-qec', cli.map((a) => `'${a}'`).join(' '), '/dev/null'], {
        cwd: root,
        env: { ...env, ...extraEnv },
      })
    : spawn(cli[0]!, cli.slice(1), { cwd: root, env: { ...env, ...extraEnv } });
  let stdout = '';
  let stderr = '';
  let typed = 0;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    // At a terminal, type only once asked (as a person would), each answer once.
    const prompts = (stdout.match(/password/gi) ?? []).length;
    if (viaTerminal && input !== null && prompts > typed) {
      typed = prompts;
      child.stdin.write(`${input}\r`);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  if (!viaTerminal) child.stdin.end(input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Look at the database the CLI wrote (the embedded one only once the CLI has let go of it). */
async function inspect<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  if (pgDatabase) return fn(pgDatabase);
  const database = await openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

describe('user:create', () => {
  it('creates the first admin with a password piped on stdin, hashed with argon2id', async () => {
    const result = await run(
      'user-create',
      ['--email', 'First.Admin@Example.org', '--role', 'admin', '--name', 'First Admin'],
      'the first admin passphrase\n',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('first.admin@example.org'); // says whom it created
    expect(result.stdout).not.toContain('passphrase');
    await inspect(async (database) => {
      const user = (await findUserByEmail(database.db, 'first.admin@example.org'))!;
      expect(user).toMatchObject({ role: 'admin', name: 'First Admin', disabledAt: null });
      expect(user.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(user.passwordHash, 'the first admin passphrase')).toBe(true);
      const events = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, user.id));
      expect(events.map((e) => [e.entity, e.action, e.actorLabel])).toContainEqual([
        'user',
        'user.create',
        'cli:user:create',
      ]);
    });
  }, 120_000);

  // README's order on a new machine: the first account, then `npm start`. The folder
  // user:create makes is new, so it gets the reported figures as `npm start` would give them
  // (before, the start found a folder it had not made, skipped the seed, and the page was empty).
  it.skipIf(usingPostgres())(
    'seeds a data folder it creates, as npm start would',
    async () => {
      const dataDir = path.join(tmp, 'fresh-for-seed');
      const result = await run(
        'user-create',
        ['--email', 'seeded@example.org', '--role', 'admin'],
        'a long enough passphrase\n',
        false,
        { DATA_DIR: dataDir, SEED_ON_EMPTY: 'true' },
      );
      expect(result.code).toBe(0);
      const database = await openDatabase({ kind: 'pglite', dataDir });
      try {
        expect(await countOperations(database.db)).toBeGreaterThan(0);
        expect(await findUserByEmail(database.db, 'seeded@example.org')).toBeDefined();
      } finally {
        await database.close();
      }
    },
    120_000,
  );

  it('refuses without a password, with a short one, a bad role and a taken email', async () => {
    const pass = 'another long passphrase\n';
    // These are refused before the database is opened, so they may run at once.
    const [empty, short, usage, badRole] = await Promise.all([
      run('user-create', ['--email', 'nopass@example.org', '--role', 'admin'], ''),
      run('user-create', ['--email', 'short@example.org', '--role', 'admin'], 'abc\n'),
      run('user-create', ['--email', 'x@example.org'], pass),
      run('user-create', ['--email', 'x@example.org', '--role', 'root'], pass),
    ]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('error=staff.field.password.too_short field=password');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('error=staff.field.password.too_short field=password');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('error=usage');
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('error=staff.field.role.invalid field=role');
    const taken = await run('user-create', ['--email', 'first.admin@example.org', '--role', 'viewer'], pass);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('error=staff.field.email.taken field=email');
    await inspect(async (database) => {
      for (const email of ['nopass@example.org', 'short@example.org', 'x@example.org'])
        expect(await findUserByEmail(database.db, email)).toBeUndefined();
    });
  }, 120_000);

  it('asks at a terminal without echoing what is typed', async () => {
    const typedPassword = 'typed at the terminal 77';
    const result = await run(
      'user-create',
      ['--email', 'tty@example.org', '--role', 'officer'],
      typedPassword,
      true,
    );
    expect(result.code).toBe(0);
    // Asked twice (the prompts as the CLI spells them), and what was typed never shown.
    expect(result.stdout).toContain(PASSWORD_PROMPTS.first);
    expect(result.stdout).toContain(PASSWORD_PROMPTS.repeat);
    expect(result.stdout).not.toContain(typedPassword);
    await inspect(async (database) => {
      const user = (await findUserByEmail(database.db, 'tty@example.org'))!;
      expect(await verifyPassword(user.passwordHash, typedPassword)).toBe(true);
    });
  }, 120_000);
});

describe('user:password', () => {
  it('sets a new password and ends the account sessions', async () => {
    const token = await inspect(async (database) => {
      const user = (await findUserByEmail(database.db, 'first.admin@example.org'))!;
      const s = await startSession(
        {
          db: database.db,
          config: { SESSION_IDLE_MINUTES: 60, SESSION_ABSOLUTE_HOURS: 12 },
          now: new Date(),
        },
        { userId: user.id, ip: null, userAgent: null },
      );
      return s.idHash;
    });
    const result = await run(
      'user-password',
      ['--email', 'first.admin@example.org'],
      'a brand new passphrase\n',
    );
    expect(result.code).toBe(0);
    await inspect(async (database) => {
      const user = (await findUserByEmail(database.db, 'first.admin@example.org'))!;
      expect(await verifyPassword(user.passwordHash, 'a brand new passphrase')).toBe(true);
      expect(await verifyPassword(user.passwordHash, 'the first admin passphrase')).toBe(false);
      const [s] = await database.db.select().from(sessions).where(eq(sessions.idHash, token));
      expect(s!.revokedAt).not.toBeNull();
    });
    const unknown = await run('user-password', ['--email', 'nobody@example.org'], 'a brand new passphrase\n');
    expect(unknown.code).toBe(1);
  }, 120_000);
});
