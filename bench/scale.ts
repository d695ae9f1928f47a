// npm run bench:scale — an operation of 10, 100 and 1,000 movements (5,000 with
// BENCH_SCALE_SIZES=10,100,1000,5000) with realistic figures: most movements of
// 20–60 people, a few small ones, some no-shows between registered and departed,
// groups partly reported, most arrivals dated. Each size on a fresh database
// (PGlite; PostgreSQL when BENCH_DATABASE_URL is set). Per size it measures:
// the save of one movement's figures; save → visible (the public page served by a
// cache projecting in its worker thread shows the new figure); the event loop's
// lag meanwhile (p99, max); the build by step (read, project, render, compress);
// page and JSON sizes (raw / gzip); cells printed, "fewer than k" and withheld;
// RSS. Then the growth exponent between sizes (1 = linear). Figures: docs/benchmarks.md.
//
// The movements are created with the test factories (rows and their figures as a
// save writes them); the save measured goes through the product's use case.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { gzipSync } from 'node:zlib';
import { systemClock } from '../src/clock.ts';
import { createAuditCache } from '../src/domain/disclosure.ts';
import { toPublicProjection } from '../src/domain/privacy.ts';
import { loadPublicSnapshots } from '../src/domain/public-status.ts';
import { updateMovementCounts } from '../src/domain/update-counts.ts';
import type { Counts } from '../src/domain/figures.ts';
import { silentLogger } from '../src/log.ts';
import { createMetrics } from '../src/metrics.ts';
import { createPublicCache } from '../src/public/cache.ts';
import { workerProjector } from '../src/public/projector.ts';
import { publicRenderer } from '../src/public/render.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrateDatabase } from '../src/store/migrate.ts';
import { createRenderer } from '../src/views.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../test/support/factories.ts';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '10,100,1000').split(',').map(Number);
const DB_URL = process.env.BENCH_DATABASE_URL;

/** PostgreSQL: a fresh database per size, dropped afterwards. */
async function freshPostgres(url: string, n: number): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `corridor_bench_scale_${process.pid}_${n}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

/** Seconds spent so far per build step (corridor_public_build_seconds sums). */
async function stepSums(metrics: ReturnType<typeof createMetrics>): Promise<Map<string, number>> {
  const m = await metrics.publicBuildSeconds.get();
  const sums = new Map<string, number>();
  for (const v of m.values)
    if (v.metricName?.endsWith('_sum')) sums.set(String(v.labels.step), v.value * 1000);
  return sums;
}

let seed = 20260305;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
const maybe = (p: number, v: () => number) => (rnd() < p ? v() : null);

function realisticCounts(status: 'departed' | 'arrived'): Counts {
  const R = rnd() < 0.08 ? int(3, 19) : int(20, 60);
  const D = rnd() < 0.8 ? R : Math.max(0, R - int(1, 6));
  const A = status === 'arrived' ? (rnd() < 0.9 ? D : null) : null;
  const split = (total: number | null) => ({
    total,
    womenChildren: total === null ? null : maybe(0.6, () => int(0, Math.floor(total / 3))),
    over60: total === null ? null : maybe(0.4, () => int(0, Math.floor(total / 5))),
  });
  return counts({ registered: split(R), departed: { total: D }, arrived: { total: A } });
}

async function measure(n: number) {
  console.error(`${n}: setting up`);
  const fresh = DB_URL ? await freshPostgres(DB_URL, n) : undefined;
  const database = await openDatabase(
    fresh ? { kind: 'postgres', url: fresh.url, poolSize: 4 } : { kind: 'pglite' },
  );
  await migrateDatabase(database);
  const db = database.db;
  const op = await makeOperation(db, { publicationDelayMinutes: 0 });
  const routes = Math.max(1, Math.round(Math.sqrt(n) * 1.5));
  const ids: { id: number; version: number }[] = [];
  for (let r = 0; r < routes; r++) {
    const { route } = await makeRoute(db, op.id);
    const per = Math.floor(n / routes) + (r < n % routes ? 1 : 0);
    for (let i = 0; i < per; i++) {
      const status = rnd() < 0.5 ? 'departed' : 'arrived';
      const day = `2026-03-0${int(1, 5)}`;
      const m = await makeMovement(
        db,
        route.id,
        {
          status,
          departedAt: new Date(`${day}T04:00:00Z`),
          arrivedAt: status === 'arrived' && rnd() < 0.9 ? new Date(`${day}T10:00:00Z`) : null,
        },
        realisticCounts(status),
      );
      ids.push({ id: m.id, version: m.version });
    }
  }

  console.error(`${n}: measuring`);
  // The build by step, inline (the worker runs the same code).
  const at = systemClock.now();
  let t = performance.now();
  const snapshots = await loadPublicSnapshots({ db, now: at });
  const readMs = performance.now() - t;
  t = performance.now();
  const auditCache = createAuditCache();
  let cpu = process.cpuUsage();
  const projection = toPublicProjection(snapshots, at, { cache: auditCache });
  const projectMs = performance.now() - t;
  const projectCpuMs = cpuMs(cpu);
  const render = publicRenderer({ renderer: createRenderer(), baseUrl: 'http://corridor.test' });
  t = performance.now();
  const html = render(projection, 'en', 'html', {}).body;
  const json = render(projection, 'en', 'json', {}).body;
  const renderMs = performance.now() - t;
  t = performance.now();
  const htmlGz = gzipSync(html).length;
  const jsonGz = gzipSync(json).length;
  const compressMs = performance.now() - t;
  const d = projection.disclosure.operations[0]!;

  // Save → visible through the cache, projecting in its worker; the loop's lag meanwhile.
  const metrics = createMetrics();
  const cache = createPublicCache({
    database,
    clock: systemClock,
    logger: silentLogger,
    metrics,
    render,
    projector: workerProjector({ logger: silentLogger, render: { baseUrl: 'http://corridor.test' } }),
    maxWaitMs: 60_000,
  });
  await cache.start();
  await cache.get('en', 'html');
  console.error(`${n}: saving`);
  const before = await stepSums(metrics);
  const target = ids[Math.floor(ids.length / 2)]!;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  t = performance.now();
  await updateMovementCounts(
    { db },
    {
      movementId: target.id,
      expectedVersion: target.version,
      counts: counts({ registered: { total: 7777 }, departed: { total: 7777 } }),
      reason: 'bench',
      sourceId: null,
      actor: { id: null, label: 'bench' },
    },
  );
  const saveMs = performance.now() - t;
  cache.invalidate();
  for (let tries = 0; ; tries++) {
    const page = (await cache.get('en', 'html')).identity.toString();
    if (page.includes('7,777')) break;
    if (tries > 20_000) throw new Error('the saved figure never showed');
    await new Promise((r) => setTimeout(r, 5));
  }
  const visibleMs = performance.now() - t;
  lag.disable();
  const after = await stepSums(metrics);
  const step = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
  await cache.close();
  // The same save's projection inline, incremental (the previous state and the audit's
  // cache), in CPU time: on a shared machine wall time says more about the neighbours.
  const after2 = await loadPublicSnapshots({ db, now: systemClock.now() });
  cpu = process.cpuUsage();
  const incremental = toPublicProjection(after2, systemClock.now(), {
    cache: auditCache,
    previous: new Map(projection.disclosure.releases.map((r) => [r.operationId, r])),
  });
  const saveProjectCpuMs = cpuMs(cpu);
  if (!incremental.disclosure.ok) console.error(`${n}: the incremental projection was refused`);
  await database.close();
  await fresh?.drop();
  return {
    n,
    saveMs,
    visibleMs,
    lagP99Ms: lag.percentile(99) / 1e6,
    lagMaxMs: lag.max / 1e6,
    projectCpuMs,
    saveProjectCpuMs,
    saveBuild: {
      read: step('read'),
      project: step('project'),
      render: step('render'),
      compress: step('compress'),
    },
    readMs,
    projectMs,
    renderMs,
    compressMs,
    htmlKb: html.length / 1024,
    htmlGzKb: htmlGz / 1024,
    jsonKb: json.length / 1024,
    jsonGzKb: jsonGz / 1024,
    cells: d.cells,
    fewerThan: d.fewerThan,
    withheld: d.withheld,
    ok: d.ok,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  };
}

const results = [];
for (const n of SIZES) {
  const r = await measure(n);
  results.push(r);
  const f = (v: number) => v.toFixed(v < 10 ? 1 : 0);
  console.log(
    `${n} movements (${DB_URL ? 'PostgreSQL' : 'PGlite'}): save ${f(r.saveMs)} ms, visible ${f(r.visibleMs)} ms, ` +
      `loop lag p99 ${f(r.lagP99Ms)} ms max ${f(r.lagMaxMs)} ms; build read ${f(r.readMs)} / project ${f(r.projectMs)} / ` +
      `render ${f(r.renderMs)} / compress ${f(r.compressMs)} ms (cold, inline); after the save read ${f(r.saveBuild.read)} / ` +
      `project ${f(r.saveBuild.project)} / render ${f(r.saveBuild.render)} / compress ${f(r.saveBuild.compress)} ms (worker); page ${f(r.htmlKb)} KB (${f(r.htmlGzKb)} gzip), ` +
      `projection CPU cold ${f(r.projectCpuMs)} ms, after the save (incremental) ${f(r.saveProjectCpuMs)} ms; ` +
      `JSON ${f(r.jsonKb)} KB (${f(r.jsonGzKb)} gzip); cells ${r.cells}, fewer-than ${r.fewerThan}, withheld ${r.withheld} ` +
      `(${((100 * r.withheld) / r.cells).toFixed(1)} %), audit ${r.ok ? 'passed' : 'REFUSED'}; RSS ${f(r.rssMb)} MB`,
  );
}
for (let i = 1; i < results.length; i++) {
  const a = results[i - 1]!;
  const b = results[i]!;
  const exp = (x: number, y: number) => (Math.log(y / x) / Math.log(b.n / a.n)).toFixed(2);
  console.log(
    `growth ${a.n} → ${b.n}: project n^${exp(a.projectMs, b.projectMs)}, project after a save n^${exp(a.saveBuild.project, b.saveBuild.project)}, CPU cold n^${exp(a.projectCpuMs, b.projectCpuMs)}, CPU incremental n^${exp(a.saveProjectCpuMs, b.saveProjectCpuMs)}, visible n^${exp(a.visibleMs, b.visibleMs)}, ` +
      `render n^${exp(a.renderMs, b.renderMs)}, page n^${exp(a.htmlKb, b.htmlKb)}`,
  );
}
