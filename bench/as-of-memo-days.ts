// The five day ends of bench/as-of-memo.ts's operation, in memory (same generator and
// seed, so the same figures): each day's state audited jointly with the day before (or,
// BENCH_RULE=every, with every day end before it) and the memory of every value printed,
// as the as-of chain does on a fresh ledger; with the dense search alone and with HiGHS
// as the wide one (BENCH_ENGINE=dense,highs). Prints per day: passed or not, cells
// withheld, CPU, HiGHS calls, and the audit's stats; and what loading HiGHS cost. For
// profiling a refused day (node --cpu-prof) without a database. BENCH_MOVEMENTS, BENCH_SEED.
import {
  type DisclosureMemory,
  type Release,
  type WitnessEngine,
  createAuditCache,
  discloseOperation,
  loadWideSearch,
  rememberReleases,
} from '../src/domain/disclosure.ts';
import { figureInput, isPublished } from '../src/domain/privacy.ts';
import type { SnapshotMovement } from '../src/domain/snapshot.ts';
import { counts, movement, route, snapshot } from '../test/support/snapshots.ts';

const N = Number(process.env.BENCH_MOVEMENTS ?? 1_000);
const SEED = Number(process.env.BENCH_SEED ?? 2);
let seed = SEED;
export const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
const maybe = (p: number, v: () => number) => (rnd() < p ? v() : null);

type Plan = {
  id: number;
  route: number;
  departedAt: Date;
  arrivedAt: Date | null;
  R: ReturnType<typeof split>;
  D: number;
  A: number | null;
};
const split = (total: number) => ({
  total,
  womenChildren: maybe(0.6, () => int(0, Math.floor(total / 3))),
  over60: maybe(0.4, () => int(0, Math.floor(total / 5))),
});

export function plans(): { routes: number; plans: Plan[] } {
  // The same operation on every call (a run compares rules and engines on the same figures).
  seed = SEED;
  const routes = Math.max(1, Math.round(Math.sqrt(N) * 1.5));
  const out: Plan[] = [];
  let id = 1;
  for (let r = 0; r < routes; r++) {
    const per = Math.floor(N / routes) + (r < N % routes ? 1 : 0);
    for (let i = 0; i < per; i++) {
      const day = DAYS[int(0, 4)]!;
      const departedAt = new Date(`${day}T04:00:00Z`);
      const arrives = rnd() < 0.5 && rnd() < 0.9;
      const arrivedAt = arrives ? new Date(`${day}T10:00:00Z`) : null;
      const R0 = rnd() < 0.08 ? int(3, 19) : int(20, 60);
      const D = rnd() < 0.8 ? R0 : Math.max(0, R0 - int(1, 6));
      const A = arrives && rnd() < 0.9 ? D : null;
      out.push({ id: id++, route: r, departedAt, arrivedAt, R: split(R0), D, A });
    }
  }
  return { routes, plans: out };
}

/** The operation at the end of `day` (Asia/Almaty: 19:00 UTC). */
export function dayEnd(p: { routes: number; plans: Plan[] }, day: string) {
  const end = new Date(`${day}T19:00:00Z`);
  const byRoute: SnapshotMovement[][] = Array.from({ length: p.routes }, () => []);
  for (const m of p.plans) {
    const dep = m.departedAt <= end ? m.departedAt : null;
    const arr = m.arrivedAt && m.arrivedAt <= end && m.A !== null ? m.arrivedAt : null;
    byRoute[m.route]!.push(
      movement({
        id: m.id,
        status: arr ? 'arrived' : dep ? 'departed' : 'planned',
        scheduledDate: m.departedAt.toISOString().slice(0, 10),
        departedAt: dep,
        arrivedAt: arr,
        figuresAsOf: new Date('2026-03-01T02:00:00Z'),
        counts: counts({
          registered: m.R,
          departed: dep ? { total: m.D } : {},
          arrived: arr ? { total: m.A } : {},
        }),
      }),
    );
  }
  const snap = snapshot(
    byRoute.map((ms, r) => route(ms, { id: 100_000 + r })),
    { smallCountThreshold: 5, publicationDelayMinutes: 0 },
  );
  return { snap, end };
}

/**
 * The five day ends under one rule: `before`, each day audited jointly with the day before
 * (and the memory); `every`, with every day end recorded before it (docs/privacy.md, "Pairs
 * audited"). `engine`: the audit's wide search (HiGHS) where the dense one is cut at its limit.
 */
export function runDays(o: { rule: 'before' | 'every'; engine?: WitnessEngine; log?: boolean }) {
  const p = plans();
  const cache = createAuditCache({ memo: false });
  const memory: DisclosureMemory = new Map();
  const passed: Release[] = [];
  const out: { day: string; ok: boolean; withheld: number; cpuMs: number; highsCalls: number }[] = [];
  for (const day of DAYS) {
    const { snap, end } = dayEnd(p, day);
    const input = figureInput(snap, (m) => isPublished(m, snap.operation.publicationDelayMinutes, end));
    // The day before first (the incremental start), then the older ones, latest first.
    const held = o.rule === 'every' ? [...passed].reverse() : passed.slice(-1);
    const calls0 = o.engine?.calls ?? 0;
    const u0 = process.cpuUsage();
    const d = discloseOperation(snap.operation.id, input, {
      previous: held,
      memory,
      cache,
      engine: o.engine,
    });
    const u = process.cpuUsage(u0);
    const row = {
      day,
      ok: d.ok,
      withheld: d.withheld,
      cpuMs: Math.round((u.user + u.system) / 1000),
      highsCalls: (o.engine?.calls ?? 0) - calls0,
    };
    out.push(row);
    if (o.log !== false)
      console.log(
        JSON.stringify({
          rule: o.rule,
          engine: o.engine ? 'highs' : 'dense',
          ...row,
          held: held.length,
          cells: d.table.cells.size,
          audit: d.audit.stats,
          failures: d.audit.failures.slice(0, 3).map((f) => `${f.item.id}=${f.target}`),
        }),
      );
    if (d.ok) {
      passed.push(d.release);
      rememberReleases(new Map([[d.release.operationId, memory]]), [d.release]);
    }
  }
  return out;
}

async function main() {
  const rules = (process.env.BENCH_RULE ?? 'before,every').split(',') as ('before' | 'every')[];
  const engines = (process.env.BENCH_ENGINE ?? 'dense,highs').split(',');
  for (const engineName of engines) {
    const r0 = process.memoryUsage().rss;
    const c0 = process.cpuUsage();
    const engine = engineName === 'highs' ? await loadWideSearch() : undefined;
    if (engine) {
      const c = process.cpuUsage(c0);
      const rss = Math.round((process.memoryUsage().rss - r0) / 1e5) / 10;
      console.log(
        JSON.stringify({ loaded: 'highs', cpuMs: Math.round((c.user + c.system) / 1000), rssMB: rss }),
      );
    }
    for (const rule of rules) runDays({ rule, engine });
  }
}

if (process.argv[1]?.endsWith('as-of-memo-days.ts')) await main();
