// The production build (scripts/build.mjs: esbuild bundles, minified) run as `npm start`
// and the CLIs run it (scripts/run-built.mjs): every file the code finds relative to its own
// module must still be found from dist/ — the projection worker (the public page is built
// there), the as-of chains' worker (a past day's figures are audited there), views/ (staff pages), db/migrations (a CLI), the PGlite template's builder (a new
// data folder) — and a stack trace must still name the TypeScript sources.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { waitFor } from '../support/wait.ts';

const root = path.resolve(import.meta.dirname, '../..');
const runBuilt = path.join(root, 'scripts', 'run-built.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-built-'));
const children: ChildProcess[] = [];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    DIGEST_SCHEDULER: 'false',
    DATA_DIR: path.join(tmp, 'data'),
    DATABASE_URL: usingPostgres() ? testDatabaseUrl(await seededTestDatabase()) : '',
  };
  // As `npm run build` does (the stale check is run-built.mjs's own; see below).
  const built = spawnSync(process.execPath, [runBuilt, '--build'], { cwd: root, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** On PostgreSQL the server seeds only a database it created: the reported figures loaded here. */
async function seededTestDatabase() {
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  return database;
}

function run(args: string[]) {
  const child = spawn(process.execPath, [runBuilt, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => output };
}

describe('the built app (dist/)', () => {
  it('is bundles and one stub per entry point, with source maps that name the .ts sources', () => {
    const stub = fs.readFileSync(path.join(root, 'dist/src/public/projection-worker.js'), 'utf8');
    expect(stub.trim().split('\n')).toEqual([
      'import "../_bundle/stack-map.js";',
      'import "../_bundle/public--projection-worker.js";',
    ]);
    const map = JSON.parse(fs.readFileSync(path.join(root, 'dist/src/_bundle/server.js.map'), 'utf8')) as {
      sources: string[];
      sourcesContent?: unknown;
    };
    expect(map.sources).toContain('../../../src/server.ts');
    expect(map.sourcesContent).toBeUndefined(); // the maps are loaded at start: no sources in them
    // No module of the app is left unbundled beside the stubs.
    expect(fs.existsSync(path.join(root, 'dist/src/public/projector.js'))).toBe(false);
  });

  it('serves the public page (built in the worker), a past day (the as-of worker), staff pages (views/) and stops cleanly', async () => {
    const server = run(['server']);
    const port = await waitFor(
      'listening',
      () => /"code":"listening","port":(\d+)/.exec(server.output())?.[1],
      {
        timeoutMs: 90_000,
      },
    );
    const base = `http://127.0.0.1:${port}`;
    const page = await fetch(`${base}/en/`);
    expect(page.status, server.output()).toBe(200);
    expect(await page.text()).toContain('</html>');
    // A past day's figures: its day chain audited in the as-of chains' worker.
    const asOf = await fetch(`${base}/api/v1/status?asOf=2026-03-04`);
    expect(asOf.status, server.output()).toBe(200);
    expect(((await asOf.json()) as { operations: { asOfDay: string }[] }).operations[0]!.asOfDay).toBe(
      '2026-03-04',
    );
    const login = await fetch(`${base}/staff/login`, { redirect: 'manual' });
    expect([200, 303]).toContain(login.status);
    const anyStaffPage = await fetch(`${base}/staff/login?lang=en`);
    expect(await anyStaffPage.text()).toContain('<form');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"code":"stopped"');
  }, 120_000);

  it('runs a CLI (migrations read from db/migrations) and rebuilds nothing when up to date', async () => {
    const migrate = run(['cli/migrate']);
    expect(await migrate.exited, migrate.output()).toBe(0);
    expect(migrate.output()).toMatch(/Migrations applied: \d+/);
    expect(migrate.output()).not.toContain('built dist/');
  }, 60_000);

  it('a stack trace from the bundle names the TypeScript file and line, maps read only then', () => {
    // The worker's entry refuses to run outside a worker thread: an error thrown in a bundle,
    // its stack formatted by dist/src/_bundle/stack-map.js (no --enable-source-maps).
    const probe = spawnSync(process.execPath, [path.join(root, 'dist/src/public/projection-worker.js')], {
      cwd: root,
      encoding: 'utf8',
    });
    const line =
      fs
        .readFileSync(path.join(root, 'src/public/projection-worker.ts'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('runs as a worker thread only')) + 1;
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain(`/src/public/projection-worker.ts:${line}:`);
    expect(probe.stderr).not.toMatch(/\n {4}at .*_bundle/);
  });
});
