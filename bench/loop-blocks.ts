// Where the app's event loop is held while counts are saved (issue 16, p99 < 10 ms on
// PGlite): bench/app-server.ts with its probe (bench/loop-probe.ts), every entry of
// bench:status asked for once (so every build renders them all, as in the benchmark),
// then LOOP_SECONDS with no requests (the saves and builds alone), then LOOP_SECONDS under
// wrk (1 thread, 50 connections) on LOOP_ENTRY. Prints the blocks of each window and,
// under wrk, its p50/p99.
// Env: BENCH_DB (pglite | postgres URL), UPDATES_PER_SECOND (5), LOOP_SECONDS (10),
//      LOOP_ENTRY (/ru/), LOOP_PORT (4310), LOOP_WRK=0 (the quiet window only), LOOP_NODE_ARGS (extra node flags for the app,
//      e.g. "--cpu-prof --cpu-prof-interval 100 --cpu-prof-dir /tmp/prof").
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { nodeMemoryFlags } from '../src/node-memory.ts';
import { formatProbe, probeOf } from './loop-probe.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.LOOP_SECONDS ?? 10);
const entry = process.env.LOOP_ENTRY ?? '/ru/';
const port = Number(process.env.LOOP_PORT ?? 4310);
const base = `http://127.0.0.1:${port}`;
const BR = { 'accept-encoding': 'br, gzip' };
const GZIP = { 'accept-encoding': 'gzip' };
const WARM: [string, Record<string, string>][] = [
  ['/ru/', BR],
  ['/kk/', GZIP],
  ['/en/', {}],
  ['/ru/feed.atom', BR],
  ['/kk/status.csv', GZIP],
  ['/api/v1/status', BR],
  ['/status.hxl.csv', GZIP],
  ['/ru/methodology', BR],
];

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** CPU time (ms) of a process, or of one of its threads, from /proc. */
function cpuMs(pid: number, tid?: number): number {
  const file = tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`;
  const fields = fs.readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

const app: ChildProcess = fork(path.join(here, 'app-server.ts'), [], {
  execArgv: [
    '--import',
    'tsx',
    ...nodeMemoryFlags(loadConfig({ ...process.env, NODE_ENV: 'development' })),
    ...(process.env.LOOP_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ],
  env: {
    ...process.env,
    MALLOC_ARENA_MAX: '2',
    MALLOC_MMAP_THRESHOLD_: '131072',
    MALLOC_TRIM_THRESHOLD_: '131072',
    BENCH_LOOP_PROBE: '1',
    PORT: String(port),
    NODE_ENV: 'production',
    PUBLIC_BASE_URL: 'https://corridor.example',
    TAG_AUTHORITY: 'corridor.example,2026',
  },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
await new Promise((resolve) => app.once('message', resolve));

const probe = () => probeOf(app);

/** The public cache's outcomes and build steps so far, from /metrics. */
async function counters(): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`, { headers: { connection: 'close' } })).text();
  const out = new Map<string, number>();
  for (const m of text.matchAll(
    /^(corridor_public_cache_total\{[^}]*\}|corridor_public_build_seconds_(?:sum|count)\{[^}]*\}) ([\d.e+-]+)$/gm,
  ))
    out.set(m[1]!, Number(m[2]));
  return out;
}
const delta = (a: Map<string, number>, b: Map<string, number>) =>
  [...b]
    .map(([k, v]) => [k.replace('corridor_public_', ''), v - (a.get(k) ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(2)}`)
    .join(', ');

for (let round = 0; round < 3; round++)
  for (const [url, headers] of WARM) await (await fetch(`${base}${url}`, { headers })).arrayBuffer();
await new Promise((r) => setTimeout(r, 3_000));
await probe();
let before = await counters();
await new Promise((r) => setTimeout(r, seconds * 1000));
console.log(`${process.env.BENCH_DB ?? 'pglite'}, no requests, ${seconds} s:\n${formatProbe(await probe())}`);
console.log(`  ${delta(before, (before = await counters()))}`);
if (process.env.LOOP_WRK === '0') {
  app.kill('SIGTERM');
  await new Promise((r) => app.once('exit', r));
  process.exit(0);
}
// A warm-up first (the JIT, the connections), as bench:status does.
execFileSync('wrk', ['-t1', '-c50', '-d2s', '-H', 'Accept-Encoding: br, gzip', `${base}${entry}`]);
await probe();
before = await counters();
const cpu0 = cpuMs(app.pid!);
const main0 = cpuMs(app.pid!, app.pid);
const out = execFileSync(
  'wrk',
  ['-t1', '-c50', `-d${seconds}s`, '--latency', '-H', 'Accept-Encoding: br, gzip', `${base}${entry}`],
  { encoding: 'utf8' },
);
const cpu1 = cpuMs(app.pid!);
const main1 = cpuMs(app.pid!, app.pid);
const report = await probe();
const rps = out.match(/Requests\/sec:\s+([\d.]+)/)?.[1];
const lat = (p: string) => out.match(new RegExp(`\\s${p}%\\s+([\\d.]+\\w+)`))?.[1];
const requests = Number(out.match(/(\d+) requests in/)?.[1] ?? 0);
console.log(
  `wrk ${entry}, ${seconds} s: ${rps} req/s, p50 ${lat('50')}, p99 ${lat('99')}; ` +
    `CPU per request ${(((cpu1 - cpu0) * 1000) / requests).toFixed(1)} µs (main thread ${(((main1 - main0) * 1000) / requests).toFixed(1)})\n${formatProbe(report)}`,
);
console.log(`  ${delta(before, await counters())}`);
app.kill('SIGTERM');
await new Promise((r) => app.once('exit', r));
