// npm run bench:scale — an operation of 10, 100 and 1,000 movements (5,000 with
// BENCH_SCALE_SIZES=10,100,1000,5000) with realistic figures (bench/scale-data.ts),
// each on a fresh database (PGlite; PostgreSQL when BENCH_DATABASE_URL is set). Per
// size: the cold build inline by step (read, project, render of every output in
// every language, compress), in wall and CPU time; then, through the cache as the
// server runs it (a worker projecting and rendering, reading from its own pool on
// PostgreSQL) with every output asked for once: BENCH_SCALE_SAVES (5) saves of one
// movement's figures one after another, each measured (the first after the start, with
// the worker's code still cold, and the median of the later ones, a server in use):
// save → visible on the page, → every output ready, the process's CPU meanwhile,
// the event loop's lag and the main thread's garbage collections (this process also
// holds the inline build's projection and audit cache: a server's heap does not), the
// build's steps; a second save projected inline; page and JSON sizes; cells printed,
// "fewer than k" and withheld; RSS. Then growth exponents between sizes (1 = linear).
// A save that never shows says why (the audit refused it, or the time ran out)
// instead of waiting on. Figures: docs/benchmarks.md, "Crisis scale".
import { systemClock } from '../src/clock.ts';
import { type PublicProjection, toPublicProjection } from '../src/domain/privacy.ts';
import { createAuditCache } from '../src/domain/disclosure.ts';
import { loadPublicSnapshots } from '../src/domain/public-status.ts';
import { publicRenderer } from '../src/public/render.ts';
import { createRenderer } from '../src/views.ts';
import { type ScaleData, scaleData } from './scale-data.ts';
import { type SaveFigures, saveFigures, saveToVisible } from './scale-save.ts';
import { cpuMs, variants } from './scale-measure.ts';
import { gzipSync } from 'node:zlib';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '10,100,1000').split(',').map(Number);
const DB_URL = process.env.BENCH_DATABASE_URL;

/** The cold build inline, by step: wall and CPU; the render per format over every language. */
async function coldBuild(data: ScaleData) {
  const at = systemClock.now();
  let t = performance.now();
  const snapshots = await loadPublicSnapshots({ db: data.database.db, now: at });
  const readMs = performance.now() - t;
  const auditCache = createAuditCache();
  t = performance.now();
  let cpu = process.cpuUsage();
  const projection = toPublicProjection(snapshots, at, { cache: auditCache });
  const projectMs = performance.now() - t;
  const projectCpuMs = cpuMs(cpu);
  const render = publicRenderer({ renderer: createRenderer(), baseUrl: 'http://corridor.test' });
  render(projection, 'en', 'html', {}); // the templates compiled, not counted
  const renderCpu = new Map<string, number>();
  let html = '';
  let json = '';
  cpu = process.cpuUsage();
  for (const [lang, format] of variants()) {
    const c = process.cpuUsage();
    const body = render(projection, lang, format, {}).body;
    renderCpu.set(format, (renderCpu.get(format) ?? 0) + cpuMs(c));
    if (lang === 'en' && format === 'html') html = body;
    if (format === 'json') json = body;
  }
  const renderAllCpuMs = cpuMs(cpu);
  t = performance.now();
  const htmlGz = gzipSync(html).length;
  const jsonGz = gzipSync(json).length;
  const compressMs = performance.now() - t;
  const sizes = {
    htmlKb: html.length / 1024,
    htmlGzKb: htmlGz / 1024,
    jsonKb: json.length / 1024,
    jsonGzKb: jsonGz / 1024,
  };
  return {
    projection,
    auditCache,
    readMs,
    projectMs,
    projectCpuMs,
    renderCpu,
    renderAllCpuMs,
    compressMs,
    sizes,
  };
}

/**
 * A second save's projection inline, incremental (the previous state and the audit's cache), in
 * CPU: another movement's figures saved through the use case after the cold build.
 */
async function incrementalCpu(
  data: ScaleData,
  cold: { projection: PublicProjection; auditCache: ReturnType<typeof createAuditCache> },
) {
  await saveFigures(data, data.movements[Math.floor(data.movements.length / 4)]!, 7778);
  const snapshots = await loadPublicSnapshots({ db: data.database.db, now: systemClock.now() });
  const cpu = process.cpuUsage();
  const p = toPublicProjection(snapshots, systemClock.now(), {
    cache: cold.auditCache,
    previous: new Map(cold.projection.disclosure.releases.map((r) => [r.operationId, r])),
  });
  return { cpuMs: cpuMs(cpu), ok: p.disclosure.ok };
}

async function measure(n: number) {
  console.error(`${n}: setting up`);
  const data = await scaleData(n, DB_URL);
  try {
    console.error(`${n}: cold build`);
    const cold = await coldBuild(data);
    console.error(`${n}: saving`);
    const saves = await saveToVisible(data, n);
    const save = typicalSave(saves);
    const incremental = await incrementalCpu(data, cold);
    const d = cold.projection.disclosure.operations[0]!;
    return {
      n,
      cold,
      save,
      saves,
      incremental,
      cells: d.cells,
      fewerThan: d.fewerThan,
      withheld: d.withheld,
      ok: d.ok,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    };
  } finally {
    await data.close();
  }
}

const f = (v: number) => v.toFixed(v < 10 ? 1 : 0);

function print(r: Awaited<ReturnType<typeof measure>>) {
  const { cold, save } = r;
  const perFormat = [...cold.renderCpu].map(([k, v]) => `${k} ${f(v)}`).join(', ');
  console.log(
    `${r.n} movements (${DB_URL ? 'PostgreSQL' : 'PGlite'}), cold inline: read ${f(cold.readMs)} ms, project ${f(cold.projectMs)} ms ` +
      `(CPU ${f(cold.projectCpuMs)}), render of ${variants().length} outputs CPU ${f(cold.renderAllCpuMs)} ms (${perFormat}), ` +
      `compress page+JSON ${f(cold.compressMs)} ms; page ${f(cold.sizes.htmlKb)} KB (${f(cold.sizes.htmlGzKb)} gzip), ` +
      `JSON ${f(cold.sizes.jsonKb)} KB (${f(cold.sizes.jsonGzKb)} gzip); cells ${r.cells}, fewer-than ${r.fewerThan}, ` +
      `withheld ${r.withheld} (${((100 * r.withheld) / r.cells).toFixed(1)} %), audit ${r.ok ? 'passed' : 'REFUSED'}`,
  );
  const visible = r.saves.map((x) => (x.visibleMs === undefined ? 'not visible' : f(x.visibleMs))).join(', ');
  console.log(
    `${r.n} saves one after another (BENCH_SCALE_SAVES=${r.saves.length}), visible after each: ${visible} ms`,
  );
  if (r.saves.length > 1) console.log(`${describeSave(r.n, r.saves[0]!)} (the first after the start)`);
  console.log(
    describeSave(r.n, save) +
      (r.saves.length > 1 ? ' (the median of the later saves)' : '') +
      `; projection CPU after the save (inline, incremental) ${f(r.incremental.cpuMs)} ms${r.incremental.ok ? '' : ' REFUSED'}; RSS ${f(r.rssMb)} MB`,
  );
}

/** The save of median visible time among those after the first (a server in use); the first if alone. */
function typicalSave(saves: SaveFigures[]): SaveFigures {
  const later = saves.length > 1 ? saves.slice(1) : saves;
  if (later.some((x) => x.visibleMs === undefined)) return later.find((x) => x.visibleMs === undefined)!;
  const sorted = [...later].sort((a, b) => a.visibleMs! - b.visibleMs!);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function describeSave(n: number, s: SaveFigures): string {
  const { read, project, audit, handover, record, render, compress } = s.steps;
  const steps =
    `read ${f(read)} / project ${f(project)} (of it audit ${f(audit)}, handover ${f(handover)}) / ` +
    `record ${f(record)} / render ${f(render)} / compress ${f(compress)} ms (render and compress: every output, summed)`;
  const outcome =
    s.visibleMs !== undefined
      ? `visible ${f(s.visibleMs)} ms, every output ready ${f(s.allReadyMs ?? NaN)} ms`
      : `NOT VISIBLE (${s.why})`;
  return (
    `${n} after a save (worker${s.workerReads ? ', reading from its own pool' : ''}, ${s.hot} outputs asked for): save ${f(s.saveMs)} ms, ${outcome}, ` +
    `process CPU meanwhile ${f(s.cpuMs)} ms; loop lag p99 ${f(s.lagP99Ms)} max ${f(s.lagMaxMs)} ms ` +
    `(main-thread GC max ${f(s.gcMaxMs)}, sum ${f(s.gcSumMs)} ms); steps ${steps}`
  );
}

const exp = (a: number, b: number, x: number, y: number) => (Math.log(y / x) / Math.log(b / a)).toFixed(2);

const results = [];
for (const n of SIZES) {
  const r = await measure(n);
  results.push(r);
  print(r);
}
for (let i = 1; i < results.length; i++) {
  const a = results[i - 1]!;
  const b = results[i]!;
  const e = (x: number, y: number) => exp(a.n, b.n, x, y);
  console.log(
    `growth ${a.n} → ${b.n}: project CPU cold n^${e(a.cold.projectCpuMs, b.cold.projectCpuMs)}, incremental n^${e(a.incremental.cpuMs, b.incremental.cpuMs)}; ` +
      `render CPU (all outputs) n^${e(a.cold.renderAllCpuMs, b.cold.renderAllCpuMs)}; after a save: visible n^${e(a.save.visibleMs ?? NaN, b.save.visibleMs ?? NaN)}, ` +
      `process CPU n^${e(a.save.cpuMs, b.save.cpuMs)}, read n^${e(a.save.steps.read, b.save.steps.read)}, project n^${e(a.save.steps.project, b.save.steps.project)}, ` +
      `render n^${e(a.save.steps.render, b.save.steps.render)}; page n^${e(a.cold.sizes.htmlKb, b.cold.sizes.htmlKb)}`,
  );
}
