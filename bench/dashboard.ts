// npm run bench:dashboard — the staff dashboard at crisis scale (issue 21, point 4).
// Per size (BENCH_DASHBOARD_SIZES, default 100,5000 movements in one operation) on a
// fresh database (PGlite; PostgreSQL when BENCH_DATABASE_URL is set: a database is
// created for the run and dropped after), it signs in a viewer over HTTP and times
// (p50 / p95 of BENCH_DASHBOARD_RUNS requests, default 15) and weighs (raw / gzip):
//   - the dashboard as it opens (/staff/: attention first, then the first page);
//   - a filtered page (one route, one status, page 2);
//   - the "needs attention" filter, page 3 (the attention relation as a filter);
//   - the baseline, in the same run: /staff/account, a signed-in page that reads
//     nothing but the session — the ratio dashboard / baseline is printed, and the
//     growth from the smallest size to the largest.
// The data is written with the test factories (rows and figures as a save writes
// them): realistic figures, most movements departed or arrived, some planned (a few
// past their date), a few cancelled, a few over capacity. In process, it also times
// the use case's reads one by one and, for comparison in the same run, what the
// use case read before the SQL version (every operation's snapshot and its
// attention items in JS): the ratio is printed. Figures: docs/benchmarks.md.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { localDay } from '../src/domain/calendar.ts';
import { attentionItems } from '../src/domain/staff/attention.ts';
import { loadDashboard } from '../src/domain/staff/dashboard.ts';
import { loadSnapshot } from '../src/domain/snapshot.ts';
import {
  attentionOfMovements,
  dashboardMovementsPage,
  dashboardOverview,
} from '../src/store/repositories/dashboard.ts';
import { presentDashboard } from '../src/presenters/ws-dashboard.ts';
import { listOperations } from '../src/store/repositories/catalog.ts';
import type { Counts } from '../src/domain/figures.ts';
import { silentLogger } from '../src/log.ts';
import { createOutboxMailer } from '../src/mail/mailer.ts';
import { createMetrics } from '../src/metrics.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrateDatabase } from '../src/store/migrate.ts';
import { createRenderer } from '../src/views.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../test/support/factories.ts';
import { signIn } from '../test/support/staff.ts';

const SIZES = (process.env.BENCH_DASHBOARD_SIZES ?? '100,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 15);
const DB_URL = process.env.BENCH_DATABASE_URL;

let seed = 20261204;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));

function figures(status: string): Counts {
  const R = rnd() < 0.08 ? int(3, 19) : int(20, 60);
  const D =
    status === 'planned' || status === 'cancelled' ? null : rnd() < 0.8 ? R : Math.max(0, R - int(1, 6));
  const A = status === 'arrived' && D !== null ? (rnd() < 0.9 ? D : null) : null;
  return counts({
    registered: { total: R, womenChildren: rnd() < 0.6 ? int(0, Math.floor(R / 3)) : null },
    departed: { total: D },
    arrived: { total: A },
  });
}

async function freshDatabase() {
  if (!DB_URL) return { database: await openDatabase({ kind: 'pglite' }), drop: async () => {} };
  const name = `corridor_bench_dashboard_${process.pid}_${Math.floor(rnd() * 1e6)}`;
  const admin = new pg.Client({ connectionString: DB_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(DB_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  return {
    database,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function measure(n: number) {
  console.error(`${n}: setting up`);
  const { database, drop } = await freshDatabase();
  await migrateDatabase(database);
  const db = database.db;
  const op = await makeOperation(db, { publicationDelayMinutes: 0 });
  const routes = Math.max(1, Math.round(Math.sqrt(n) * 1.5));
  const routeIds: number[] = [];
  for (let r = 0; r < routes; r++) {
    const { route } = await makeRoute(db, op.id);
    routeIds.push(route.id);
    const per = Math.floor(n / routes) + (r < n % routes ? 1 : 0);
    for (let i = 0; i < per; i++) {
      const p = rnd();
      const status = p < 0.45 ? 'arrived' : p < 0.8 ? 'departed' : p < 0.97 ? 'planned' : 'cancelled';
      const day = `2026-03-0${int(1, 9)}`;
      await makeMovement(
        db,
        route.id,
        {
          status,
          scheduledDate: day,
          capacity: rnd() < 0.02 ? 10 : 60,
          departedAt: status === 'departed' || status === 'arrived' ? new Date(`${day}T04:00:00Z`) : null,
          arrivedAt: status === 'arrived' ? new Date(`${day}T10:00:00Z`) : null,
        },
        figures(status),
      );
    }
  }

  const renderer = createRenderer();
  // The steps in-process, for where the time goes (median of 5).
  const step = async <T>(f: () => Promise<T> | T) => {
    const times: number[] = [];
    let value!: T;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      value = await f();
      times.push(performance.now() - t);
    }
    return { ms: times.sort((a, b) => a - b)[2]!, value };
  };
  const clock = systemClock;
  // Before: every snapshot read and its attention items computed in JS, per request.
  const snapshots = await step(async () => {
    const ops = await listOperations(db);
    return Promise.all(ops.map((o) => loadSnapshot({ db, now: clock.now() }, o)));
  });
  const attention = await step(() => snapshots.value.map((s) => attentionItems(s, clock.now())));
  // After: the use case's reads, one by one.
  const ops = await listOperations(db);
  const scope = {
    now: clock.now(),
    todayByOperation: Object.fromEntries(ops.map((o) => [o.id, localDay(clock.now(), o.timeZone)])),
  };
  const overview = await step(() => dashboardOverview(db, scope, 20));
  const pageRows = await step(() => dashboardMovementsPage(db, scope, {}, { offset: 0, limit: 50 }));
  const notes = await step(() =>
    attentionOfMovements(
      db,
      scope,
      pageRows.value.map((m) => m.id),
    ),
  );
  const flaggedPage = await step(() =>
    dashboardMovementsPage(db, scope, { status: 'attention' }, { offset: 100, limit: 50 }),
  );
  const loaded = await step(() => loadDashboard({ db, now: clock.now() }, { page: 1 }));
  const presented = await step(() => presentDashboard('en', loaded.value, true));
  const rendered = await step(() =>
    renderer.render('staff/ws-dashboard', { title: 'Dashboard', ...presented.value }, 'layouts/staff'),
  );
  const steps = {
    snapshotMs: snapshots.ms,
    attentionMs: attention.ms,
    overviewMs: overview.ms,
    pageMs: pageRows.ms,
    notesMs: notes.ms,
    flaggedPageMs: flaggedPage.ms,
    useCaseMs: loaded.ms,
    presentMs: presented.ms,
    renderMs: rendered.ms,
  };
  const deps = {
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'http://corridor.test' }),
    database,
    clock: systemClock,
    logger: silentLogger,
    renderer,
    metrics: createMetrics(),
    mailer: createOutboxMailer(`${process.env.TMPDIR ?? '/tmp'}/corridor-bench-outbox-${process.pid}`),
  };
  const server = http.createServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const viewer = await signIn({ url, deps, close: async () => {} }, 'viewer');

  console.error(`${n}: measuring`);
  const timeGet = async (path: string) => {
    const times: number[] = [];
    let body = '';
    await (await viewer.get(path)).text(); // warm
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const res = await viewer.get(path);
      body = await res.text();
      times.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    return {
      p50: at(0.5),
      p95: at(0.95),
      kb: Buffer.byteLength(body) / 1024,
      gzKb: gzipSync(body).length / 1024,
    };
  };
  const baseline = await timeGet('/staff/account');
  const opening = await timeGet('/staff/');
  const filtered = await timeGet(`/staff/?route=${routeIds[1] ?? routeIds[0]}&status=departed&page=2`);
  const flagged = await timeGet('/staff/?status=attention&page=3');
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.close();
  await drop();
  return { n, routes, baseline, opening, filtered, flagged, steps };
}

const f = (v: number) => v.toFixed(v < 10 ? 1 : 0);
const results = [];
for (const n of SIZES) {
  const r = await measure(n);
  results.push(r);
  const line = (name: string, m: (typeof r)['opening']) =>
    `  ${name}: p50 ${f(m.p50)} ms, p95 ${f(m.p95)} ms, ${f(m.kb)} KB (${f(m.gzKb)} gzip)` +
    (m === r.baseline ? '' : `; ×${(m.p50 / r.baseline.p50).toFixed(1)} the baseline's p50`);
  console.log(`${n} movements, ${r.routes} routes (${DB_URL ? 'PostgreSQL' : 'PGlite'}):`);
  console.log(line('baseline /staff/account', r.baseline));
  console.log(line('dashboard /staff/', r.opening));
  console.log(line('filtered (route, status, page 2)', r.filtered));
  console.log(line('needs attention, page 3', r.flagged));
  const s = r.steps;
  console.log(
    `  in-process: use case ${f(s.useCaseMs)} ms = routes counted + attention heads ${f(s.overviewMs)} ms, ` +
      `page ${f(s.pageMs)} ms, page notes ${f(s.notesMs)} ms (needs-attention page ` +
      `${f(s.flaggedPageMs)} ms); present ${f(s.presentMs)} ms, render ${f(s.renderMs)} ms`,
  );
  const before = s.snapshotMs + s.attentionMs;
  console.log(
    `  before, same run: snapshots ${f(s.snapshotMs)} ms + attention in JS ${f(s.attentionMs)} ms = ${f(before)} ms; ` +
      `use case now ×${(s.useCaseMs / before).toFixed(2)} of that (÷${(before / s.useCaseMs).toFixed(1)})`,
  );
}
if (results.length > 1) {
  const a = results[0]!;
  const b = results.at(-1)!;
  console.log(
    `growth ${a.n} → ${b.n} movements (×${b.n / a.n}): dashboard p50 ×${(b.opening.p50 / a.opening.p50).toFixed(2)}, ` +
      `size ×${(b.opening.kb / a.opening.kb).toFixed(2)}; filtered p50 ×${(b.filtered.p50 / a.filtered.p50).toFixed(2)}`,
  );
}
