// npm run bench:memory — the app's memory through a day's work, process by process
// (issue 20): 1. fresh start (migrate + seed) and ready time; 2. load: the public
// page under wrk while staff save figures; 3. a digest to 10,000 subscribers over
// SMTP to a local sink; 4. a 3,000-row CSV import; then the app stops, 5. a backup
// runs (its own process), and 6. the app starts again on the existing data (cold
// start) and takes the load again. Prints RSS over time, and per phase peak and
// steady RSS, peak V8 heap and external memory, against the targets (embedded
// database: peak ≤ 350 MB, steady ≤ 250 MB; PostgreSQL: each app process ≤ 150 MB).
// Env: BENCH_MEMORY_LOAD_SECONDS (10; 120 for the full run), BENCH_MEMORY_SUBSCRIBERS
// (10000), BENCH_MEMORY_CSV_ROWS (3000), BENCH_DB (pglite | a postgres:// URL of a
// server: a database is created for the run), PGLITE_* and NODE_HEAP_MB / NODE_SEMI_SPACE_MB
// (docs/operations.md, "Memory"): the app is started with the node flags and the MALLOC_*
// settings that scripts/start.sh gives it in production; BENCH_NODE_MEMORY_FLAGS=none starts it
// with node's defaults (the figures before issue 20's tuning); BENCH_NODE_EXTRA_FLAGS adds
// V8 flags to try; BENCH_WORKER_HEAP_MB gives the projection worker a heap limit
// (resourceLimits) and BENCH_HEAP_SNAPSHOTS=<dir> snapshots both threads (memory-app.mjs).
import { type ChildProcess, execFile, execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/config.ts';
import { nodeMemoryFlags } from '../src/node-memory.ts';
import { backupDatabase } from '../src/store/backup.ts';
import {
  type MemorySample,
  type PhaseMemory,
  formatPhases,
  formatTimeline,
  sampleSelf,
  summarise,
} from './memory-sampler.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const loadSeconds = Number(process.env.BENCH_MEMORY_LOAD_SECONDS ?? 10);
const subscribers = Number(process.env.BENCH_MEMORY_SUBSCRIBERS ?? 10_000);
const csvRows = Number(process.env.BENCH_MEMORY_CSV_ROWS ?? 3_000);
const dbTarget = process.env.BENCH_DB ?? 'pglite';
const tuned = process.env.BENCH_NODE_MEMORY_FLAGS !== 'none';
/** As scripts/start.sh starts the app (its defaults are the config's). */
const nodeFlags = [
  ...(tuned ? nodeMemoryFlags(loadConfig({ ...process.env, NODE_ENV: 'development' })) : []),
  // Further V8 flags to try (e.g. --optimize-for-size), space-separated.
  ...(process.env.BENCH_NODE_EXTRA_FLAGS ?? '').split(' ').filter(Boolean),
];
const mallocEnv: Record<string, string> = tuned
  ? {
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
      MALLOC_TRIM_THRESHOLD_: process.env.MALLOC_TRIM_THRESHOLD_ ?? '131072',
    }
  : {};

type Reply = {
  done?: string;
  result?: unknown;
  error?: string;
  phases?: PhaseMemory[];
  samples?: MemorySample[];
  cpu?: { phase: string; seconds: number }[];
};

/**
 * The app process's script: bench/memory-app.mjs bundled as the production build bundles the
 * server (scripts/build.mjs), so that it holds what a production process holds.
 */
let appScript = '';

function startApp(env: Record<string, string>) {
  const child = fork(appScript, [], {
    execArgv: nodeFlags,
    env: {
      ...process.env,
      ...mallocEnv,
      NODE_ENV: 'production',
      PUBLIC_BASE_URL: 'https://corridor.example',
      TAG_AUTHORITY: 'corridor.example,2026',
      ...env,
    },
    // BENCH_APP_STDOUT=1: the app's stdout too (e.g. V8's --trace-gc lines, one per isolate).
    stdio: ['ignore', process.env.BENCH_APP_STDOUT ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  type Ready = { port: number; readyMs: number; sinceProcessMs: number; readyCpuMs: number };
  return new Promise<{ child: ChildProcess } & Ready>((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ...(m as Ready) }));
    child.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
  });
}

function command(child: ChildProcess, message: Record<string, unknown>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      const reply = m as Reply;
      if (reply.done !== message.cmd) return;
      child.off('message', onMessage);
      if (reply.error) reject(new Error(reply.error));
      else resolve(reply);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

const run = promisify(execFile);
async function load(port: number, seconds: number) {
  // The first request builds the page (seconds on a loaded machine): not part of the load.
  await fetch(`http://127.0.0.1:${port}/ru/`, { headers: { 'Accept-Encoding': 'br' } }).then((r) =>
    r.arrayBuffer(),
  );
  const { stdout } = await run('wrk', [
    '--timeout',
    '10s',
    '-t1',
    '-c20',
    `-d${seconds}s`,
    '-H',
    'Accept-Encoding: br',
    `http://127.0.0.1:${port}/ru/`,
  ]);
  const errors = stdout.match(/Non-2xx or 3xx responses: \d+|Socket errors: .*/g) ?? [];
  const rps = Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 0);
  return { rps, errors: rps ? errors.join('; ') : `(wrk said: ${stdout.trim()})` };
}

/** One app process through `steps`; its phases and timeline printed. */
async function appProcess(
  title: string,
  env: Record<string, string>,
  steps: (c: ChildProcess, port: number) => Promise<void>,
) {
  const { child, port, readyMs, sinceProcessMs, readyCpuMs } = await startApp(env);
  console.log(
    `\n== ${title}: ready in ${(readyMs / 1000).toFixed(2)} s after the imports ` +
      `(${(sinceProcessMs / 1000).toFixed(2)} s since node started; CPU ${(readyCpuMs / 1000).toFixed(2)} s, all threads)`,
  );
  await steps(child, port);
  const { samples, cpu } = await command(child, { cmd: 'stop' });
  const phases = summarise(samples!);
  console.log(formatPhases(phases, title));
  console.log(
    'CPU seconds by phase (all threads): ' +
      (cpu ?? []).map((c) => `${c.phase} ${c.seconds.toFixed(2)}`).join('; '),
  );
  console.log('RSS over time:\n' + formatTimeline(samples!));
  return { readyMs, phases };
}

async function withLoad(child: ChildProcess, port: number) {
  const [{ rps, errors }] = await Promise.all([
    load(port, loadSeconds),
    command(child, { cmd: 'saves', seconds: loadSeconds }),
  ]);
  console.log(`load: ${loadSeconds} s, ${Math.round(rps)} req/s on /ru/ with 2 saves/s ${errors}`);
}

async function main() {
  // The app runs compiled, as `npm start` runs it (build dist/ if a source is newer).
  execFileSync(process.execPath, [path.join(here, '../scripts/run-built.mjs'), '--prepare'], {
    stdio: 'inherit',
  });
  appScript = execFileSync(
    process.execPath,
    [
      path.join(here, '../scripts/build.mjs'),
      '--bench',
      path.join(here, 'memory-app.mjs'),
      path.join(here, '../dist/bench'),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ).trim();
  let received = 0;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, done) {
      stream.on('data', () => {});
      stream.on('end', () => (received++, done()));
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const smtpUrl = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-memory-'));
  let dbUrl = '';
  if (dbTarget !== 'pglite') {
    const name = `corridor_bench_memory_${process.pid}`;
    const admin = new pg.Client({ connectionString: dbTarget });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(dbTarget);
    url.pathname = `/${name}`;
    dbUrl = url.toString();
  }
  const env = {
    BENCH_DB: dbUrl || 'pglite',
    DATA_DIR: path.join(dir, 'data'),
    BACKUP_DIR: path.join(dir, 'backups'),
  };
  console.log(
    `bench:memory on ${dbUrl ? 'PostgreSQL' : 'PGlite'}; load ${loadSeconds} s, ${subscribers} subscribers, ${csvRows} CSV rows; ` +
      `app started with ${
        tuned
          ? `${nodeFlags.join(' ')} ${Object.entries(mallocEnv)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`
          : "node's memory defaults"
      }`,
  );
  try {
    const first = await appProcess(
      'app, fresh start',
      { ...env, BENCH_PHASE: 'fresh start + seed' },
      async (child, port) => {
        await withLoad(child, port);
        const t0 = performance.now();
        const digest = await command(child, { cmd: 'digest', n: subscribers, smtpUrl });
        console.log(
          `digest: ${JSON.stringify(digest.result)} in ${((performance.now() - t0) / 1000).toFixed(1)} s; sink received ${received}`,
        );
        const t1 = performance.now();
        const imported = await command(child, { cmd: 'import', rows: csvRows });
        console.log(
          `CSV import: ${JSON.stringify(imported.result)} in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
        );
      },
    );
    const mem = sampleSelf();
    mem.phase('backup');
    const t2 = performance.now();
    const file = path.join(dir, 'backups', dbUrl ? 'b.dump' : 'b.tar.gz');
    await backupDatabase(
      dbUrl ? { kind: 'postgres', url: dbUrl } : { kind: 'pglite', dataDir: env.DATA_DIR },
      file,
    );
    const backup = mem.stop().filter((p) => p.phase === 'backup');
    console.log(
      `\n== backup (runner process): ${(fs.statSync(file).size / 1e6).toFixed(1)} MB in ${((performance.now() - t2) / 1000).toFixed(1)} s`,
    );
    console.log(formatPhases(backup, 'backup'));
    const second = await appProcess(
      'app, restart on existing data',
      { ...env, BENCH_PHASE: 'cold start' },
      withLoad,
    );
    const all = [...first.phases, ...second.phases].filter((p) => p.phase !== 'stop');
    const peak = Math.max(...all.map((p) => p.peakRssMb));
    const steady = Math.max(...all.filter((p) => p.phase.startsWith('load')).map((p) => p.steadyRssMb));
    console.log(
      `\nsummary: peak RSS ${peak.toFixed(0)} MB, steady RSS under load ${steady.toFixed(0)} MB; ` +
        `ready fresh ${(first.readyMs / 1000).toFixed(2)} s, on existing data ${(second.readyMs / 1000).toFixed(2)} s`,
    );
    const [peakTarget, steadyTarget] = dbUrl ? [150, 150] : [350, 250];
    console.log(
      [
        `peak ≤ ${peakTarget} MB: ${peak <= peakTarget ? 'met' : 'MISSED'}`,
        `steady ≤ ${steadyTarget} MB: ${steady <= steadyTarget ? 'met' : 'MISSED'}`,
        `fresh start < 3 s: ${first.readyMs < 3000 ? 'met' : 'MISSED'}`,
        `start on existing data < 2 s: ${second.readyMs < 2000 ? 'met' : 'MISSED'}`,
      ].join('; '),
    );
  } finally {
    sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (dbUrl) {
      const admin = new pg.Client({ connectionString: dbTarget });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${new URL(dbUrl).pathname.slice(1)} WITH (FORCE)`);
      await admin.end();
    }
  }
}

await main();
