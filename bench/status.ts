// npm run bench:status — every public entry URL under load while counts change, in one run:
//   1. each entry (every kind of public URL: the page in each language and encoding, HEAD
//      (on a node:http client, see http-load.ts: wrk cannot measure HEAD),
//      a conditional request, the feed, the CSVs, the JSON, robots.txt, the negotiated and
//      the permanent redirects) against the app, on PGlite then on PostgreSQL, each beside
//      a bare node:http hello world and an Express hello world measured in the same run
//      (before and after the entries: the mean is the baseline); ratio and p99 printed;
//      and each right after its entry, a bare node:http server sending the very answer the
//      app sent (same status, headers and bytes, bench/replay.ts): the ratio to it is the
//      app's own per-request cost, the ratio to hello world mixes it with the bytes' cost;
//      and the floor: the first entry's header list around the hello world's body, from
//      that same server — what the headers every public answer carries cost, with no app code;
//   2. through deploy/nginx.conf, the app publishing its files (PUBLIC_EXPORT_DIR), vs
//      nginx serving the same page as a static file: two alternating rounds, ratio of the
//      sums; then the micro-cache alone (no files), for reference.
// Counts are saved UPDATES_PER_SECOND times a second throughout (each save notifies and the
// outputs are rebuilt). The load generator and the servers share this machine's cores.
// Env: BENCH_SECONDS (5 per entry), BENCH_CONNECTIONS (50), UPDATES_PER_SECOND (5),
//      BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres; "none" skips PostgreSQL),
//      BENCH_ENTRIES (a comma-separated subset of the entry names below),
//      BENCH_LOOP_PROBE=1: the app's event-loop blocks and PGlite's calls while the entries ran
//      (bench/loop-probe.ts; a 1 ms timer in the app, so off by default),
//      BENCH_NODE_MEMORY_FLAGS=none: the app with node's memory defaults, not the production
//      flags of scripts/start.sh (NODE_HEAP_MB, NODE_SEMI_SPACE_MB, MALLOC_ARENA_MAX=2, the MALLOC_*_THRESHOLD_s).
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { nodeMemoryFlags } from '../src/node-memory.ts';
import { nodeLoad } from './http-load.ts';
import { record, withHelloBody } from './replay.ts';
import { heapAndExternal, samplePid } from './memory-sampler.ts';
import { formatProbe, probeOf } from './loop-probe.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const updates = Number(process.env.UPDATES_PER_SECOND ?? 5);
/** Ports base+10…base+22 (BENCH_PORT_BASE, default 3100): helpers sharing a machine each take their own. */
const portBase = Number(process.env.BENCH_PORT_BASE ?? 3100);
const port = (n: number) => portBase + n;
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HEADERS = ['Accept-Encoding: br, gzip', 'Accept-Language: ru-RU,ru;q=0.9,en;q=0.5'];
const BR = 'Accept-Encoding: br, gzip';
const GZIP = 'Accept-Encoding: gzip';

/** Every kind of public URL (src/public/urls.ts), as a client sends it. */
type Entry = { name: string; path: string; headers: string[]; method?: 'HEAD'; conditional?: boolean };
const ENTRIES: Entry[] = (
  [
    { name: '/ru/ (br)', path: '/ru/', headers: [BR] },
    { name: '/kk/ (gzip)', path: '/kk/', headers: [GZIP] },
    { name: '/en/ (identity)', path: '/en/', headers: [] },
    { name: '/ru/ HEAD', path: '/ru/', headers: [BR], method: 'HEAD' },
    // A revalidation answered 304: the methodology's copy stays valid while figures change
    // (the page's tag changes with the first save, after which every answer would be a 200).
    {
      name: '/ru/methodology If-None-Match → 304',
      path: '/ru/methodology',
      headers: [BR],
      conditional: true,
    },
    { name: '/ru/feed.atom (br)', path: '/ru/feed.atom', headers: [BR] },
    { name: '/kk/status.csv (gzip)', path: '/kk/status.csv', headers: [GZIP] },
    { name: '/api/v1/status (br)', path: '/api/v1/status', headers: [BR] },
    { name: '/status.hxl.csv (gzip)', path: '/status.hxl.csv', headers: [GZIP] },
    { name: '/ru/methodology (br)', path: '/ru/methodology', headers: [BR] },
    { name: '/robots.txt', path: '/robots.txt', headers: [] },
    { name: '/ → 302 (Accept-Language)', path: '/', headers: ['Accept-Language: ru-RU,ru;q=0.9,en;q=0.5'] },
    { name: '/?lang=kk → 301', path: '/?lang=kk', headers: [] },
  ] satisfies Entry[] as Entry[]
).filter((e) => !process.env.BENCH_ENTRIES || process.env.BENCH_ENTRIES.split(',').includes(e.name));

/** `baseline`: the bare hello world's req/s with the same client, for rows not measured by wrk. */
type Result = {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  baseline?: number;
  /** The server's CPU time per request, µs (all its threads: saves and builds included). */
  cpuUs?: number;
};

/** The app as scripts/start.sh starts it in production, unless BENCH_NODE_MEMORY_FLAGS=none. */
const tunedApp = process.env.BENCH_NODE_MEMORY_FLAGS !== 'none';
const appFlags = tunedApp ? nodeMemoryFlags(loadConfig({ ...process.env, NODE_ENV: 'development' })) : [];
const appMalloc: Record<string, string> = tunedApp
  ? {
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
      MALLOC_TRIM_THRESHOLD_: process.env.MALLOC_TRIM_THRESHOLD_ ?? '131072',
    }
  : {};

function startNode(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const app = script === 'app-server.ts';
  const child = fork(path.join(here, script), [], {
    execArgv: ['--import', 'tsx', ...(app ? appFlags : [])],
    env: {
      ...process.env,
      ...(app ? appMalloc : {}),
      ...env,
      NODE_ENV: 'production',
      PUBLIC_BASE_URL: 'https://corridor.example',
      TAG_AUTHORITY: 'corridor.example,2026',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const ms = (value: string, unit: string) => Number(value) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);

/** A process's CPU time so far (user + system, all its threads), in ms, from /proc. */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** wrk against url; with `pid`, the server's CPU time per answered request (µs), which,
 * unlike req/s, does not depend on how much of the machine the other processes take. */
function wrk(name: string, url: string, duration = seconds, headers = HEADERS, pid?: number): Result {
  const args = [
    '-t1',
    `-c${connections}`,
    `-d${duration}s`,
    '--latency',
    ...headers.flatMap((h) => ['-H', h]),
    url,
  ];
  const cpuBefore = pid ? cpuMsOf(pid) : 0;
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const cpuMs = pid ? cpuMsOf(pid) - cpuBefore : 0;
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)![1]);
  const requests = Number(out.match(/(\d+) requests in/)?.[1] ?? 0);
  const lat = (p: string) => {
    const m = out.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`))!;
    return ms(m[1]!, m[2]!);
  };
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const errors = non2xx + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  const cpuUs = pid && requests ? (cpuMs * 1000) / requests : undefined;
  return { name, rps, p50: lat('50'), p99: lat('99'), errors, cpuUs };
}

/** Builds the app has made so far (its public cache's reads), from /metrics (a local request). */
async function buildsOf(base: string): Promise<number> {
  // A new connection each time: the one kept from the count before the entries had been idle
  // for minutes, past the app's keep-alive, and the count after them read NaN.
  // An app too loaded to answer (the machine shared) leaves the count unknown, not the run failed.
  let text = '';
  for (let attempt = 0; attempt < 3 && !text; attempt++)
    text = await fetch(`${base}/metrics`, {
      headers: { connection: 'close' },
      signal: AbortSignal.timeout(30_000),
    })
      .then((res) => res.text())
      .catch(() => '');
  const count = text.match(/corridor_public_build_seconds_count\{step="read"\} (\d+)/)?.[1];
  // Before its first build the histogram has no series yet: none so far, not unknown.
  if (count === undefined) return text.includes('# HELP corridor_public_build_seconds ') ? 0 : NaN;
  return Number(count);
}

async function check(url: string, expect: string) {
  const res = await fetch(url, { headers: { 'accept-language': 'ru' } });
  const body = await res.text();
  if (res.status !== 200 || !body.includes(expect))
    throw new Error(`${url}: unexpected answer ${res.status}`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const cpuOf = (r: Result) => (r.cpuUs === undefined ? '—' : r.cpuUs.toFixed(0));

const print = (rows: Result[]) => {
  for (const r of rows)
    console.log(
      `  ${r.name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99
        .toFixed(2)
        .padStart(
          6,
        )} ms${r.cpuUs ? `   CPU ${cpuOf(r)} µs/req` : ''}${r.errors ? `   errors ${r.errors}` : ''}`,
    );
};

async function measureApp(
  label: string,
  db: string,
  baselines: { bare: string; express: string; barePid: number; expressPid: number },
): Promise<{ results: Result[]; app: ChildProcess }> {
  const app = await startNode('app-server.ts', {
    BENCH_DB: db,
    PORT: String(port(10)),
    UPDATES_PER_SECOND: String(updates),
  });
  const base = `http://127.0.0.1:${port(10)}`;
  const memory = samplePid(app.pid!, { metricsUrl: `${base}/metrics` });
  await check(`${base}/`, 'Ближний Восток');
  // Warm every entry (the cache renders a variant once it has been asked for).
  for (const e of ENTRIES) if (!e.method) wrk('warm-up', `${base}${e.path}`, 1, e.headers);
  // HEAD goes through node:http (see http-load.ts), beside the bare hello world on the same client.
  const load = async (
    url: string,
    method: 'GET' | 'HEAD',
    headers: string[],
    pid?: number,
  ): Promise<Result> => {
    const cpuBefore = pid ? cpuMsOf(pid) : 0;
    const r = await nodeLoad(url, { method, headers, seconds, connections });
    const answered = r.rps * seconds;
    const cpuUs = pid && answered ? ((cpuMsOf(pid) - cpuBefore) * 1000) / answered : undefined;
    return { name: url, ...r, cpuUs };
  };
  // Each entry's request headers (a conditional one carries the tag of the copy now; with
  // saves landing, later requests may find a newer copy: 200), and the app's answer to it
  // as bytes, for the same-bytes baseline (bench/replay.ts).
  const requests = await Promise.all(
    ENTRIES.map(async (e) => {
      if (!e.conditional) return e.headers;
      const res = await fetch(`${base}${e.path}`, { headers: { 'accept-encoding': 'br' } });
      return [...e.headers, `If-None-Match: ${res.headers.get('etag')}`];
    }),
  );
  const replayFile = path.join(os.tmpdir(), `corridor-bench-replay-${process.pid}.json`);
  const recorded = [];
  for (const [i, e] of ENTRIES.entries()) {
    const answer = await record(`${base}${e.path}`, e.method ?? 'GET', requests[i]!);
    if (e.conditional && answer.status !== 304)
      console.warn(`  ${e.name}: the app answered ${answer.status}, not 304 (its copy changed)`);
    recorded.push(answer);
  }
  // Last: the first entry's header list around the hello world's body (the floor, below).
  const floorIndex = recorded.length;
  recorded.push(withHelloBody(recorded[0]!));
  fs.writeFileSync(replayFile, JSON.stringify(recorded));
  const replay = await startNode('hello-server.ts', {
    PORT: String(port(14)),
    HELLO: 'replay',
    REPLAY_FILE: replayFile,
  });
  const replayUrl = (i: number) => `http://127.0.0.1:${port(14)}/${i}`;
  wrk('warm-up', replayUrl(0), 1, []);
  const bareNodeClient = ENTRIES.some((e) => e.method)
    ? await load(baselines.bare, 'GET', [], baselines.barePid)
    : undefined;
  const bareBefore = wrk('bare node:http hello world', baselines.bare, seconds, [], baselines.barePid);
  const floor = wrk(
    `hello world + ${ENTRIES[0]!.name} headers`,
    replayUrl(floorIndex),
    seconds,
    [],
    replay.pid,
  );
  const express = wrk('Express hello world', baselines.express, seconds, [], baselines.expressPid);
  const results: Result[] = [];
  const same: Result[] = [];
  const buildsBefore = await buildsOf(base);
  const probing = process.env.BENCH_LOOP_PROBE === '1';
  if (probing) await probeOf(app);
  const entriesStarted = performance.now();
  for (const [i, e] of ENTRIES.entries()) {
    const headers = requests[i]!;
    if (e.method === 'HEAD') {
      const r = await load(`${base}${e.path}`, 'HEAD', headers, app.pid);
      results.push({ ...r, name: `${e.name} (node client)`, baseline: bareNodeClient!.rps });
      same.push({ ...(await load(replayUrl(i), 'HEAD', headers, replay.pid)), name: e.name });
    } else {
      results.push(wrk(e.name, `${base}${e.path}`, seconds, headers, app.pid));
      same.push(wrk(e.name, replayUrl(i), seconds, headers, replay.pid));
    }
  }
  const blocks = probing ? await probeOf(app) : undefined;
  const builds = (await buildsOf(base)) - buildsBefore;
  const buildSeconds = (performance.now() - entriesStarted) / 1000;
  await stop(replay);
  fs.rmSync(replayFile, { force: true });
  const bareAfter = wrk('bare node:http hello world', baselines.bare, seconds, [], baselines.barePid);
  const bare: Result = {
    name: 'bare node:http hello world (mean)',
    rps: (bareBefore.rps + bareAfter.rps) / 2,
    p50: Math.max(bareBefore.p50, bareAfter.p50),
    p99: Math.max(bareBefore.p99, bareAfter.p99),
    errors: bareBefore.errors + bareAfter.errors,
  };
  console.log(`\n${label} (${updates} saves/s):`);
  print([bareBefore, bareAfter, floor, express]);
  // No app code at all: what the headers every public answer carries cost.
  console.log(
    `  (the floor, no app code: ${((floor.rps / bareBefore.rps) * 100).toFixed(1)} % of the bare hello world just before)`,
  );
  console.log(
    `  ${'entry'.padEnd(30)} ${'req/s'.padStart(7)}   ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}   ${'vs bare'.padStart(7)} ${'vs Express'.padStart(10)}   ${'same bytes'.padStart(10)} ${'p99'.padStart(6)} ${'vs same'.padStart(7)}   CPU µs/req app/same`,
  );
  for (const [i, r] of results.entries()) {
    const ratio = (r.rps / (r.baseline ?? bare.rps)) * 100;
    const s = same[i]!;
    const flags = [
      ratio < 80 ? 'below 80 %' : '',
      r.p99 >= 10 ? 'p99 ≥ 10 ms' : '',
      r.errors ? `errors ${r.errors}` : '',
      s.errors ? `same-bytes errors ${s.errors}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    console.log(
      `  ${r.name.padEnd(30)} ${r.rps.toFixed(0).padStart(7)}   ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)}   ${ratio.toFixed(1).padStart(6)}% ${r.baseline ? '        —' : `${((r.rps / express.rps) * 100).toFixed(0).padStart(9)}%`}   ${s.rps.toFixed(0).padStart(10)} ${s.p99.toFixed(2).padStart(6)} ${((r.rps / s.rps) * 100).toFixed(1).padStart(6)}%   ${cpuOf(r)}/${cpuOf(s)}${flags ? `   ${flags}` : ''}`,
    );
  }
  const rss = memory.stop();
  // The app process runs under tsx here (about 80 MB more than compiled; bench:memory runs it compiled).
  console.log(
    `  app process memory (tsx; ${tunedApp ? appFlags.join(' ') : "node's memory defaults"}): ` +
      `peak RSS ${rss.peakRssMb.toFixed(0)} MB, steady RSS ${rss.steadyRssMb.toFixed(0)} MB, ${heapAndExternal(rss)}`,
  );
  const share = (r: Result) => r.rps / (r.baseline ?? bare.rps);
  const worst = results.reduce((a, b) => (share(b) < share(a) ? b : a));
  if (bareNodeClient)
    console.log(
      `  (node client: bare hello world ${bareNodeClient.rps.toFixed(0)} req/s, p99 ${bareNodeClient.p99.toFixed(2)} ms)`,
    );
  console.log(
    `  builds while the entries ran: ${builds} in ${buildSeconds.toFixed(0)} s (${(builds / buildSeconds).toFixed(2)}/s; each re-renders every output asked for)`,
  );
  if (blocks) console.log(`  while the entries ran:\n${formatProbe(blocks).replace(/^/gm, '    ')}`);
  const sameShare = (i: number) => results[i]!.rps / same[i]!.rps;
  const worstSame = results.reduce((w, _r, i) => (sameShare(i) < sameShare(w) ? i : w), 0);
  console.log(
    `  worst entry: ${worst.name} at ${(share(worst) * 100).toFixed(1)} % of bare node:http; highest p99 ${Math.max(...results.map((r) => r.p99)).toFixed(2)} ms\n` +
      `  against the same bytes from a bare node:http server: worst ${results[worstSame]!.name} at ${(sameShare(worstSame) * 100).toFixed(1)} %, ` +
      `median ${median(results.map((_r, i) => sameShare(i) * 100)).toFixed(1)} %; the same-bytes server's highest p99 ${Math.max(...same.map((r) => r.p99)).toFixed(2)} ms`,
  );
  return { results, app };
}

/** An nginx with deploy/nginx.conf on proxyPort (public files from exportDir) and, with
 * staticPort, the baseline server. */
function nginxConfig(
  dir: string,
  ports: { app: number; proxy: number; static?: number },
  exportDir: string,
): string {
  const deploy = fs
    .readFileSync(path.join(here, '../deploy/nginx.conf'), 'utf8')
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${ports.app};`)
    .replace('listen 80;', `listen 127.0.0.1:${ports.proxy};`)
    .replaceAll('/var/lib/corridor/public', exportDir)
    .replace('/var/cache/nginx/corridor', path.join(dir, 'cache'))
    .replace('/var/log/nginx/corridor.access.log', path.join(dir, 'proxy.access.log'));
  fs.writeFileSync(path.join(dir, 'corridor.conf'), deploy);
  const baseline = ports.static
    ? `  # The baseline: the same page as a static file (pre-compressed .gz beside it), logged the same way.
  server {
    listen 127.0.0.1:${ports.static};
    access_log ${dir}/static.access.log combined buffer=64k flush=5s;
    root ${dir}/static;
    gzip_static on;
    open_file_cache max=1000 inactive=10s;
    open_file_cache_valid 1s;
    location / { default_type text/html; }
  }`
    : '';
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  include ${dir}/corridor.conf;
${baseline}
}
`;
}

async function startNginx(
  ports: { app: number; proxy: number; static?: number },
  exportDir: string,
): Promise<{ dir: string; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-nginx-'));
  fs.mkdirSync(path.join(dir, 'static'));
  // nginx workers run as an unprivileged user: they must be able to write the cache and temp files.
  fs.chmodSync(dir, 0o777);
  // The same bytes the app serves (gzip: nginx here has no brotli module, so both sides send gzip).
  const page = await fetch(`http://127.0.0.1:${ports.app}/ru/`);
  const html = Buffer.from(await page.arrayBuffer());
  fs.writeFileSync(path.join(dir, 'static/index.html'), html);
  execFileSync('gzip', ['-9', '-k', path.join(dir, 'static/index.html')]);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, ports, exportDir));
  execFileSync('nginx', ['-t', '-q', '-c', path.join(dir, 'nginx.conf')], { stdio: 'inherit' });
  const nginx = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: 'inherit',
  });
  await new Promise((r) => setTimeout(r, 500));
  await check(`http://127.0.0.1:${ports.proxy}/ru/`, 'Ближний Восток').catch((err: Error) => {
    throw new Error(`${err.message}\n${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
  });
  return {
    dir,
    async stop() {
      nginx.kill('SIGTERM');
      await new Promise((r) => nginx.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** [static, through deploy/nginx.conf with files, micro-cache only]. */
async function measureNginx(appPort: number, exportDir: string): Promise<Result[]> {
  const gzipHeaders = HEADERS.map((h) => (h.startsWith('Accept-Encoding') ? 'Accept-Encoding: gzip' : h));
  HEADERS.splice(0, HEADERS.length, ...gzipHeaders);
  const withFiles = await startNginx({ app: appPort, proxy: port(20), static: port(21) }, exportDir);
  const cacheOnly = await startNginx(
    { app: appPort, proxy: port(22) },
    path.join(os.tmpdir(), 'corridor-no-such-dir'),
  );
  try {
    wrk('warm-up', `http://127.0.0.1:${port(20)}/ru/`, 3);
    wrk('warm-up', `http://127.0.0.1:${port(21)}/`, 2);
    wrk('warm-up', `http://127.0.0.1:${port(22)}/ru/`, 2);
    // Alternating rounds: this machine's speed drifts from one run to the next.
    const half = Math.max(1, Math.round(seconds / 2));
    const rounds = [1, 2].map(() => [
      wrk('static', `http://127.0.0.1:${port(21)}/`, half),
      wrk('files', `http://127.0.0.1:${port(20)}/ru/`, half),
    ]);
    const sum = (i: number, name: string): Result => {
      const runs = rounds.map((r) => r[i]!);
      return {
        name,
        rps: runs.reduce((a, r) => a + r.rps, 0) / runs.length,
        p50: Math.max(...runs.map((r) => r.p50)),
        p99: Math.max(...runs.map((r) => r.p99)),
        errors: runs.reduce((a, r) => a + r.errors, 0),
      };
    };
    const micro = wrk(`micro-cache only (no files), ${updates} saves/s`, `http://127.0.0.1:${port(22)}/ru/`);
    return [
      sum(0, 'same page as a static file, nginx'),
      sum(1, `status page via deploy/nginx.conf, ${updates} saves/s`),
      micro,
    ];
  } finally {
    await withFiles.stop();
    await cacheOnly.stop();
  }
}

async function main() {
  console.log(
    `bench:status — wrk, 1 thread, ${connections} connections, ${seconds} s per run; ${os.cpus().length} CPU cores shared by load generator and servers`,
  );
  const hello = await startNode('hello-server.ts', { PORT: String(port(11)) });
  const bareHello = await startNode('hello-server.ts', { PORT: String(port(13)), HELLO: 'node' });
  const baselines = {
    express: `http://127.0.0.1:${port(11)}/`,
    bare: `http://127.0.0.1:${port(13)}/`,
    expressPid: hello.pid!,
    barePid: bareHello.pid!,
  };
  let app: ChildProcess | undefined;
  let pgName: string | undefined;
  let exportDir: string | undefined;
  let lastDb = 'pglite';
  const admin = adminUrl === 'none' ? undefined : new pg.Client({ connectionString: adminUrl });
  try {
    wrk('warm-up', baselines.express, 2, []);
    wrk('warm-up', baselines.bare, 2, []);
    const pglite = await measureApp('PGlite (embedded)', 'pglite', baselines);
    app = pglite.app;
    if (admin) {
      await admin.connect();
      pgName = `corridor_bench_${process.pid}`;
      await admin.query(`CREATE DATABASE ${pgName}`);
      await stop(app);
      const u = new URL(adminUrl);
      u.pathname = `/${pgName}`;
      lastDb = u.toString();
      const postgres = await measureApp('PostgreSQL', lastDb, baselines);
      app = postgres.app;
    }
    await stop(bareHello);
    if (process.env.BENCH_NGINX === 'false') return;
    // Behind nginx the app publishes its files: the last app again, with PUBLIC_EXPORT_DIR.
    await stop(app);
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-export-'));
    fs.chmodSync(exportDir, 0o755); // nginx's workers read it
    app = await startNode('app-server.ts', {
      BENCH_DB: lastDb,
      PORT: String(port(10)),
      UPDATES_PER_SECOND: String(updates),
      PUBLIC_EXPORT_DIR: exportDir,
    });
    // Let it finish starting (first build, first files) before measuring.
    const lastFile = path.join(exportDir, 'robots.txt.gz');
    for (let i = 0; i < 100 && !fs.existsSync(lastFile); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 2_000));
    const [statik, proxied, micro] = await measureNginx(port(10), exportDir);
    console.log(`\nnginx (app on ${lastDb === 'pglite' ? 'PGlite' : 'PostgreSQL'}, publishing its files):`);
    print([statik!, proxied!]);
    console.log(
      `  ratio: ${((proxied!.rps / statik!.rps) * 100).toFixed(1)} % of nginx serving the static file`,
    );
    print([micro!]);
    console.log(
      `  (the micro-cache alone: ${((micro!.rps / statik!.rps) * 100).toFixed(1)} % of the static file)`,
    );
    const saves = await new Promise<number>((resolve) => {
      app!.once('message', (m: { saves: number }) => resolve(m.saves));
      app!.send('saves');
    });
    console.log(`\n(${saves} saves by the updater during the last app's run)`);
  } finally {
    await stop(app);
    await stop(hello);
    await stop(bareHello);
    if (exportDir) fs.rmSync(exportDir, { recursive: true, force: true });
    if (admin && pgName) {
      await admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    }
    await admin?.end().catch(() => {});
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
