// node --import tsx bench/disclosure-quality.ts — the quality and CPU cost of the
// small-count protection on bench:scale's data shape, generated in memory with the
// same generator (about 1.5·√n routes; half the movements departed, half arrived,
// 90 % of arrivals dated, over five days; most movements of 20–60 people, 8 % of
// 3–19, one in five with 1–6 no-shows; the registered figure partly broken down).
// BENCH_QUALITY_SHAPE=digest: the digest's day-end state (bench/digest-content-data.ts).
// Per size (BENCH_QUALITY_SIZES, default 1000,5000): cells, "fewer than k", cells
// withheld by the step that withheld them (disclosure-suppress.ts), and the
// projection's CPU time cold and after a save of one movement (incremental: the
// previous release and the audit's cache). With BENCH_QUALITY_BASELINE=<dir> (a
// copy of an older src/, e.g. from `git archive`), the older code runs on the same
// data in the same process, alternated, for a before/after on a loaded machine.
// Figures: docs/benchmarks.md ("Crisis scale").
import { createAuditCache } from '../src/domain/disclosure.ts';
import type { Snapshot } from '../src/domain/snapshot.ts';
import type { PublicProjection } from '../src/domain/public-projection.ts';
import * as current from '../src/domain/privacy.ts';
import { counts } from '../test/support/snapshots.ts';
import { scaleShape } from './disclosure-quality-data.ts';
import { digestStates } from './digest-content-data.ts';

type Project = typeof current.toPublicProjection;

const SIZES = (process.env.BENCH_QUALITY_SIZES ?? '1000,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_QUALITY_RUNS ?? 2);
const BASELINE = process.env.BENCH_QUALITY_BASELINE;
const SHAPE = process.env.BENCH_QUALITY_SHAPE ?? 'scale';
const NOW = new Date('2026-03-06T12:00:00Z');

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

/** The snapshot after a save of one published movement's figures (as bench:scale saves). */
function saved(snap: Snapshot): Snapshot {
  const all = snap.routes.flatMap((r) => r.movements).filter((m) => m.departedAt);
  const target = all[Math.floor(all.length / 2)]!;
  return {
    ...snap,
    routes: snap.routes.map((r) => ({
      ...r,
      movements: r.movements.map((m) =>
        m.id === target.id
          ? { ...m, counts: counts({ registered: { total: 7777 }, departed: { total: 7777 } }) }
          : m,
      ),
    })),
  };
}

function run(project: Project, snap: Snapshot, after: Snapshot) {
  const cache = createAuditCache();
  let cpu = process.cpuUsage();
  const cold = project(snap, NOW, { cache });
  const coldMs = cpuMs(cpu);
  cpu = process.cpuUsage();
  const previous = new Map(cold.disclosure.releases.map((r) => [r.operationId, r]));
  const inc = project(after, NOW, { cache, previous });
  const incMs = cpuMs(cpu);
  return { cold, inc, coldMs, incMs };
}

function describe(p: PublicProjection): string {
  const d = p.disclosure.operations[0]!;
  const by = Object.entries(d.withheldBy ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const share = ((100 * d.withheld) / d.cells).toFixed(1);
  return `cells ${d.cells}, fewer-than ${d.fewerThan}, withheld ${d.withheld} (${share} %: ${by || '—'}), audit ${d.ok ? 'passed' : 'REFUSED'}`;
}

const baseline: Project | undefined = BASELINE
  ? ((await import(`${BASELINE}/src/domain/privacy.ts`)) as typeof current).toPublicProjection
  : undefined;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const n of SIZES) {
  const snap = SHAPE === 'digest' ? digestStates(n).snapshot : scaleShape(n);
  const after = saved(snap);
  const codes: [string, Project][] = baseline
    ? [
        ['before', baseline],
        ['after', current.toPublicProjection],
      ]
    : [['current', current.toPublicProjection]];
  const times = new Map(codes.map(([name]) => [name, { cold: [] as number[], inc: [] as number[] }]));
  const last = new Map<string, ReturnType<typeof run>>();
  for (let i = 0; i < RUNS; i++) {
    for (const [name, project] of codes) {
      const r = run(project, snap, after);
      times.get(name)!.cold.push(r.coldMs);
      times.get(name)!.inc.push(r.incMs);
      last.set(name, r);
    }
  }
  for (const [name] of codes) {
    const r = last.get(name)!;
    const t = times.get(name)!;
    console.log(
      `${n} movements, ${name}: cold ${describe(r.cold)}; after a save ${describe(r.inc)}; ` +
        `projection CPU (median of ${RUNS}) cold ${median(t.cold).toFixed(0)} ms, after a save ${median(t.inc).toFixed(0)} ms`,
    );
  }
}
