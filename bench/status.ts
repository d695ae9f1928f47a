// npm run bench:status — the status page under load while counts change, in one run:
//   1. the status page (app on PGlite, then on PostgreSQL) vs an Express "hello world",
//      each measured with wrk: 50 connections, same headers, same duration; ratio printed
//      (and a bare node:http hello world, for scale);
//   2. through deploy/nginx.conf, the app publishing its files (PUBLIC_EXPORT_DIR), vs
//      nginx serving the same page as a static file: two alternating rounds, ratio of the
//      sums; then the micro-cache alone (no files), for reference.
// Counts are saved UPDATES_PER_SECOND times a second throughout (each save notifies and the
// page is rebuilt). The load generator and the servers share this machine's cores.
// Env: BENCH_SECONDS (10), BENCH_CONNECTIONS (50), UPDATES_PER_SECOND (5),
//      BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres; "none" skips PostgreSQL).
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const updates = Number(process.env.UPDATES_PER_SECOND ?? 5);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HEADERS = ['Accept-Encoding: br, gzip', 'Accept-Language: ru-RU,ru;q=0.9,en;q=0.5'];

type Result = { name: string; rps: number; p50: number; p99: number; errors: number };

function startNode(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(path.join(here, script), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env, NODE_ENV: 'production' },
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

function wrk(name: string, url: string, duration = seconds): Result {
  const args = [
    '-t1',
    `-c${connections}`,
    `-d${duration}s`,
    '--latency',
    ...HEADERS.flatMap((h) => ['-H', h]),
    url,
  ];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)![1]);
  const lat = (p: string) => {
    const m = out.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`))!;
    return ms(m[1]!, m[2]!);
  };
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const errors = non2xx + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { name, rps, p50: lat('50'), p99: lat('99'), errors };
}

async function check(url: string, expect: string) {
  const res = await fetch(url, { headers: { 'accept-language': 'ru' } });
  const body = await res.text();
  if (res.status !== 200 || !body.includes(expect))
    throw new Error(`${url}: unexpected answer ${res.status}`);
}

const print = (rows: Result[]) => {
  for (const r of rows)
    console.log(
      `  ${r.name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99
        .toFixed(2)
        .padStart(6)} ms${r.errors ? `   errors ${r.errors}` : ''}`,
    );
};

async function measureApp(
  label: string,
  db: string,
  hello: Result[],
): Promise<{ results: Result[]; app: ChildProcess }> {
  const app = await startNode('app-server.ts', {
    BENCH_DB: db,
    PORT: '3110',
    UPDATES_PER_SECOND: String(updates),
  });
  await check('http://127.0.0.1:3110/', 'Ближний Восток');
  wrk('warm-up', 'http://127.0.0.1:3110/', 2);
  const page = wrk(`status page, ${label}, ${updates} saves/s`, 'http://127.0.0.1:3110/');
  const baseline = hello[hello.length - 1]!;
  console.log(`\n${label}:`);
  print([baseline, page]);
  console.log(
    `  ratio: ${((page.rps / baseline.rps) * 100).toFixed(1)} % of hello-world throughput; p99 ${page.p99.toFixed(2)} ms`,
  );
  return { results: [page], app };
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
  const page = await fetch(`http://127.0.0.1:${ports.app}/`, { headers: { 'accept-language': 'ru' } });
  const html = Buffer.from(await page.arrayBuffer());
  fs.writeFileSync(path.join(dir, 'static/index.html'), html);
  execFileSync('gzip', ['-9', '-k', path.join(dir, 'static/index.html')]);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, ports, exportDir));
  execFileSync('nginx', ['-t', '-q', '-c', path.join(dir, 'nginx.conf')], { stdio: 'inherit' });
  const nginx = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: 'inherit',
  });
  await new Promise((r) => setTimeout(r, 500));
  await check(`http://127.0.0.1:${ports.proxy}/`, 'Ближний Восток').catch((err: Error) => {
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
  const withFiles = await startNginx({ app: appPort, proxy: 3120, static: 3121 }, exportDir);
  const cacheOnly = await startNginx(
    { app: appPort, proxy: 3122 },
    path.join(os.tmpdir(), 'corridor-no-such-dir'),
  );
  try {
    wrk('warm-up', 'http://127.0.0.1:3120/', 3);
    wrk('warm-up', 'http://127.0.0.1:3121/', 2);
    wrk('warm-up', 'http://127.0.0.1:3122/', 2);
    // Alternating rounds: this machine's speed drifts from one run to the next.
    const half = Math.max(1, Math.round(seconds / 2));
    const rounds = [1, 2].map(() => [
      wrk('static', 'http://127.0.0.1:3121/', half),
      wrk('files', 'http://127.0.0.1:3120/', half),
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
    const micro = wrk(`micro-cache only (no files), ${updates} saves/s`, 'http://127.0.0.1:3122/');
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
  const hello = await startNode('hello-server.ts', { PORT: '3111' });
  const helloResults: Result[] = [];
  const all: Result[] = [];
  let app: ChildProcess | undefined;
  let pgName: string | undefined;
  let exportDir: string | undefined;
  let lastDb = 'pglite';
  const admin = adminUrl === 'none' ? undefined : new pg.Client({ connectionString: adminUrl });
  try {
    wrk('warm-up', 'http://127.0.0.1:3111/', 2);
    helloResults.push(wrk('express hello world', 'http://127.0.0.1:3111/'));
    const pglite = await measureApp('PGlite (embedded)', 'pglite', helloResults);
    all.push(...pglite.results);
    app = pglite.app;
    if (admin) {
      await admin.connect();
      pgName = `corridor_bench_${process.pid}`;
      await admin.query(`CREATE DATABASE ${pgName}`);
      await stop(app);
      helloResults.push(wrk('express hello world', 'http://127.0.0.1:3111/'));
      const u = new URL(adminUrl);
      u.pathname = `/${pgName}`;
      lastDb = u.toString();
      const postgres = await measureApp('PostgreSQL', lastDb, helloResults);
      all.push(...postgres.results);
      app = postgres.app;
    }
    // Behind nginx the app publishes its files: the last app again, with PUBLIC_EXPORT_DIR.
    await stop(app);
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-export-'));
    fs.chmodSync(exportDir, 0o755); // nginx's workers read it
    app = await startNode('app-server.ts', {
      BENCH_DB: lastDb,
      PORT: '3110',
      UPDATES_PER_SECOND: String(updates),
      PUBLIC_EXPORT_DIR: exportDir,
    });
    // Let it finish starting (first build, first files) before measuring.
    const lastFile = path.join(exportDir, 'status.csv.gz');
    for (let i = 0; i < 100 && !fs.existsSync(lastFile); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 2_000));
    const [statik, proxied, micro] = await measureNginx(3110, exportDir);
    console.log(`\nnginx (app on ${lastDb === 'pglite' ? 'PGlite' : 'PostgreSQL'}, publishing its files):`);
    print([statik!, proxied!]);
    console.log(
      `  ratio: ${((proxied!.rps / statik!.rps) * 100).toFixed(1)} % of nginx serving the static file`,
    );
    print([micro!]);
    console.log(
      `  (the micro-cache alone: ${((micro!.rps / statik!.rps) * 100).toFixed(1)} % of the static file)`,
    );
    const bare = await startNode('hello-server.ts', { PORT: '3113', HELLO: 'node' });
    wrk('warm-up', 'http://127.0.0.1:3113/', 2);
    const bareResult = wrk('bare node:http hello world, for scale', 'http://127.0.0.1:3113/');
    await stop(bare);
    console.log('\nfor scale:');
    print([bareResult]);
    const saves = await new Promise<number>((resolve) => {
      app!.once('message', (m: { saves: number }) => resolve(m.saves));
      app!.send('saves');
    });
    console.log(`\n(${saves} saves by the updater during the last app's run)`);
  } finally {
    await stop(app);
    await stop(hello);
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
