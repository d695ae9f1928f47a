// npm run drill: two app processes on PostgreSQL (a throwaway cluster) behind
// deploy/nginx.conf, wrk load on the public page, staff count updates in a
// loop through the count-editor form, PostgreSQL restarted once in the middle.
// A digest run is sending (scripts/drill-digest.ts) when PostgreSQL goes down.
// Prints what was served, whether any accepted update was lost, the digest's
// deliveries sent / uncertain / duplicated, and each app process's peak and steady
// RSS, peak V8 heap and external memory; exits 1 if anything was lost or sent twice.
//
// DRILL_SECONDS (default 40), DRILL_CONNECTIONS (default 20), DRILL_DOWN_SECONDS (default 5),
// DRILL_SUBSCRIBERS (default 300), DRILL_SMTP_DELAY_MS (default 20).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AppProcess, repoRoot, startAppProcess } from './app-process.ts';
import { checkCountIntegrity } from './count-integrity.ts';
import { type DigestLane, prepareDigestLane } from './drill-digest.ts';
import { heapAndExternal, samplePid } from '../bench/memory-sampler.ts';
import { freePort, startThrowawayPostgres } from './pg-cluster.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrateDatabase } from '../src/store/migrate.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../test/support/factories.ts';
import { createStaffUser, signIn, type StaffClient } from '../test/support/staff.ts';
import type { TestServer } from '../test/support/app.ts';

const SECONDS = Number(process.env.DRILL_SECONDS ?? 40);
const CONNECTIONS = Number(process.env.DRILL_CONNECTIONS ?? 20);
const DOWN_SECONDS = Number(process.env.DRILL_DOWN_SECONDS ?? 5);
const SUBSCRIBERS = Number(process.env.DRILL_SUBSCRIBERS ?? 300);
const SMTP_DELAY_MS = Number(process.env.DRILL_SMTP_DELAY_MS ?? 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const log = (msg: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

function requireTool(name: string) {
  if (spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0) {
    console.error(`The drill needs ${name} installed (apt-get install ${name}).`);
    process.exit(2);
  }
}

/** deploy/nginx.conf with this run's upstreams, port and paths, inside a minimal main config. */
function nginxConfig(prefix: string, port: number, upstreams: number[]): string {
  let site = fs.readFileSync(path.join(repoRoot, 'deploy/nginx.conf'), 'utf8');
  site = site.replace(
    /upstream corridor_app \{[\s\S]*?\n\}/,
    `upstream corridor_app {\n${upstreams.map((p) => `    server 127.0.0.1:${p};`).join('\n')}\n    keepalive 64;\n}`,
  );
  site = site.replace(/listen 80;/, `listen 127.0.0.1:${port};`);
  site = site.replaceAll('/var/cache/nginx/corridor', path.join(prefix, 'cache'));
  // Both app processes publish the public files there; nginx serves them (see deploy/nginx.conf).
  site = site.replaceAll('/var/lib/corridor/public', path.join(prefix, 'public'));
  site = site.replace(/access_log [^;]+;/, 'access_log off;');
  fs.writeFileSync(path.join(prefix, 'corridor.conf'), site);
  return `user root;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  include ${prefix}/corridor.conf;
}
`;
}

type Status = {
  degraded: boolean;
  operations: { slug: string; totals: { registered: { value: number | null } } }[];
};

async function main() {
  requireTool('nginx');
  requireTool('wrk');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-drill-'));
  const apps: AppProcess[] = [];
  let nginx: ReturnType<typeof spawn> | undefined;
  let digestLane: DigestLane | undefined;
  const cluster = await startThrowawayPostgres();
  try {
    log(`PostgreSQL (throwaway) on port ${cluster.port}`);
    const url = await cluster.createDatabase('corridor');
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
    await migrateDatabase(database);
    const op = await makeOperation(database.db, { slug: 'drill' });
    const { route } = await makeRoute(database.db, op.id);
    const source = await makeSource(database.db);
    const lanes = [];
    for (let i = 0; i < 2; i++)
      lanes.push(
        await makeMovement(
          database.db,
          route.id,
          { status: 'departed', departedAt: new Date(Date.now() - 3_600_000) },
          counts({ registered: { total: 1000 } }),
        ),
      );
    const user = await createStaffUser(database.db, 'officer');
    await database.close();
    // A day that is over everywhere: its digest is due.
    const digestDay = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    digestLane = await prepareDigestLane(url, {
      subscribers: SUBSCRIBERS,
      delayMs: SMTP_DELAY_MS,
      day: digestDay,
    });

    const ports = [await freePort(), await freePort()];
    const exportDir = path.join(work, 'public');
    for (const port of ports)
      apps.push(
        await startAppProcess({ DATABASE_URL: url, PORT: String(port), PUBLIC_EXPORT_DIR: exportDir }),
      );
    log(`two app processes on ports ${ports.join(', ')}`);

    const nginxPort = await freePort();
    for (const d of ['cache', 'tmp']) fs.mkdirSync(path.join(work, d), { recursive: true });
    fs.writeFileSync(path.join(work, 'nginx.conf'), nginxConfig(work, nginxPort, ports));
    nginx = spawn('nginx', ['-p', work, '-c', path.join(work, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const front = `http://127.0.0.1:${nginxPort}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${front}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 100) throw new Error('nginx did not come up');
      await sleep(100);
    }
    log(`nginx (deploy/nginx.conf) on port ${nginxPort}`);

    const officer: StaffClient = await signIn({ url: front } as TestServer, 'officer', { user });
    log('signed in as an officer through nginx');

    // --- the run ---
    const memory = apps.map((a) => samplePid(a.child.pid!, { metricsUrl: `${a.url}/metrics` }));
    const deadline = Date.now() + SECONDS * 1000;
    let running = true;
    const wrk = spawn(
      'wrk',
      ['-t1', '--latency', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '-H', 'Accept-Encoding: br', `${front}/ru/`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let wrkOut = '';
    wrk.stdout.on('data', (d) => (wrkOut += d));
    wrk.stderr.on('data', (d) => (wrkOut += d));
    const wrkDone = new Promise<void>((resolve) => wrk.on('exit', () => resolve()));

    // What the families see: the JSON through nginx, every 100 ms.
    const seen: { at: number; total: number | null; degraded: boolean }[] = [];
    let pollErrors = 0;
    const poller = (async () => {
      while (running) {
        try {
          const res = await fetch(`${front}/api/v1/status`);
          if (!res.ok) pollErrors++;
          else {
            const s = (await res.json()) as Status;
            const o = s.operations.find((x) => x.slug === 'drill');
            seen.push({ at: Date.now(), total: o?.totals.registered.value ?? null, degraded: s.degraded });
          }
        } catch {
          pollErrors++;
        }
        await sleep(100);
      }
    })();

    // Staff: each lane raises its movement's registered total by one per save.
    const latest = lanes.map(() => 1000);
    const accepted: { at: number; reason: string; sum: number }[] = [];
    const refused = new Map<number, number>();
    const updaters = lanes.map(async (movement, lane) => {
      let version = 1;
      let value = 1000;
      while (Date.now() < deadline) {
        const reason = `drill lane ${lane} → ${value + 1}`;
        try {
          const res = await officer.post(
            `/staff/movements/${movement.id}/counts`,
            { version, 'registered.total': value + 1, reason, source: source.id },
            { headers: { Accept: 'application/json' } },
          );
          if (res.status === 200) {
            version = ((await res.json()) as { version: number }).version;
            value++;
            latest[lane] = value;
            accepted.push({ at: Date.now(), reason, sum: latest.reduce((a, b) => a + b, 0) });
          } else {
            refused.set(res.status, (refused.get(res.status) ?? 0) + 1);
            await res.arrayBuffer();
            await sleep(250);
          }
        } catch {
          refused.set(0, (refused.get(0) ?? 0) + 1);
          await sleep(250);
        }
        await sleep(50);
      }
    });

    await sleep((SECONDS * 1000) / 2 - DOWN_SECONDS * 500);
    await digestLane.start(Math.min(20, Math.floor(SUBSCRIBERS / 10)));
    log('a digest run is sending');
    log(`restarting PostgreSQL (down for ${DOWN_SECONDS} s)`);
    const downAt = Date.now();
    cluster.stop('fast');
    await sleep(DOWN_SECONDS * 1000);
    cluster.start();
    const upAt = Date.now();
    log(`PostgreSQL is back after ${((Date.now() - downAt) / 1000).toFixed(1)} s`);

    await Promise.all(updaters);
    await wrkDone;
    // Let the page catch up with the last saves before the poller stops.
    await sleep(3_000);
    running = false;
    await poller;
    log('load finished');
    const rss = memory.map((m) => m.stop());
    const digest = await digestLane.finish();

    // --- what happened ---
    const requests = Number(/(\d+) requests in/.exec(wrkOut)?.[1] ?? 0);
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(wrkOut)?.[1] ?? 0);
    const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(wrkOut);
    const socketErrors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
    const rps = /Requests\/sec:\s+([\d.]+)/.exec(wrkOut)?.[1] ?? '?';
    const p99 = /99%\s+(\S+)/.exec(wrkOut)?.[1] ?? '?';

    // A save accepted just before the database went down may show only once it is back.
    let longestStaleMs = 0;
    let longestStaleOutsideMs = 0;
    for (const a of accepted) {
      const shown = seen.find((s) => s.at >= a.at && (s.total ?? 0) >= a.sum);
      const until = shown ? shown.at : (seen.at(-1)?.at ?? Date.now());
      longestStaleMs = Math.max(longestStaleMs, until - a.at);
      if (until < downAt || a.at > upAt)
        longestStaleOutsideMs = Math.max(longestStaleOutsideMs, until - a.at);
    }
    const degradedPolls = seen.filter((s) => s.degraded).length;

    const report = await checkCountIntegrity(
      url,
      lanes.map((l) => l.id),
    );
    const acceptedReasons = new Set(accepted.map((a) => a.reason));
    const missing = [...acceptedReasons].filter((r) => report.reasons.get(r) !== 1);
    const unexpected = [...report.reasons.keys()].filter((r) => !acceptedReasons.has(r));
    const lost = missing.length > 0 || unexpected.length > 0 || report.problems.length > 0;

    const refusedText =
      [...refused].map(([s, n]) => `${n}× ${s === 0 ? 'no answer' : s}`).join(', ') || 'none';
    console.log(`
Corridor drill: ${SECONDS} s, 2 app processes behind nginx, PostgreSQL restarted once (down ${DOWN_SECONDS} s)
  public page (wrk, ${CONNECTIONS} connections): ${requests} requests served, ${rps} req/s, p99 ${p99}
  public page error responses:            ${non2xx} non-2xx, ${socketErrors} socket errors${sock ? ` (${sock[0].replace('Socket errors: ', '')})` : ''}
  JSON polled every 100 ms:               ${seen.length} answers, ${pollErrors} errors, ${degradedPolls} said "figures as of …"
  longest time the page showed stale figures: ${(longestStaleMs / 1000).toFixed(1)} s (from a save being accepted to the page showing it;
                                          ${(longestStaleOutsideMs / 1000).toFixed(1)} s for saves not caught by the outage)
  staff saves refused (during the outage): ${refusedText}
  updates accepted: ${accepted.length}; found in the database afterwards: ${report.changeSets} (${missing.length} missing, ${unexpected.length} not accepted)
  history consistent with current figures: ${report.problems.length === 0 ? 'yes' : report.problems.join('; ')}
  result: ${lost ? 'FAILED: something was lost' : 'PASSED: nothing lost'}
${digest.text}
  memory: ${rss.map((r, i) => `app ${i + 1} peak RSS ${r.peakRssMb.toFixed(0)} MB, steady RSS ${r.steadyRssMb.toFixed(0)} MB, ${heapAndExternal(r)}`).join('; ')}`);
    const upstreamErrors = fs
      .readFileSync(path.join(work, 'error.log'), 'utf8')
      .split('\n')
      .filter((l) => /upstream/.test(l));
    if (upstreamErrors.length)
      console.log(`  nginx upstream errors:\n    ${upstreamErrors.slice(0, 5).join('\n    ')}`);
    const died = apps.filter((a) => a.child.exitCode !== null).length;
    if (died) console.log(`  FAILED: ${died} app process(es) died during the drill`);
    for (const [i, a] of apps.entries())
      if (a.child.exitCode !== null)
        console.log(`  app process ${i + 1} died: exit ${a.child.exitCode}\n${a.output().slice(-2000)}`);
    process.exitCode = lost || !digest.ok || died > 0 || requests === 0 || accepted.length === 0 ? 1 : 0;
  } finally {
    nginx?.kill('SIGQUIT');
    digestLane?.close();
    for (const a of apps) await a.kill('SIGTERM');
    cluster.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('drill failed:', err);
  process.exit(1);
});
