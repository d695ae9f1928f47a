// The five day ends of bench/as-of-memo.ts's operation, in memory (same generator and
// seed, so the same figures): each day's state audited jointly with the day before and
// the memory of every value printed, as the as-of chain does on a fresh ledger. Prints
// per day: passed or REFUSED, cells withheld, CPU, and the audit's stats. For profiling
// the refused day (node --cpu-prof) without a database. BENCH_MOVEMENTS, BENCH_SEED.
import {
  type DisclosureMemory,
  type Release,
  createAuditCache,
  rememberReleases,
} from '../src/domain/disclosure.ts';
import { toPublicProjection } from '../src/domain/privacy.ts';
import type { SnapshotMovement } from '../src/domain/snapshot.ts';
import { counts, movement, route, snapshot } from '../test/support/snapshots.ts';

const N = Number(process.env.BENCH_MOVEMENTS ?? 1_000);
let seed = Number(process.env.BENCH_SEED ?? 2);
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

function main() {
  const p = plans();
  const cache = createAuditCache({ memo: false });
  const memory = new Map<number, DisclosureMemory>();
  let before: Release | undefined;
  for (const day of DAYS) {
    const { snap, end } = dayEnd(p, day);
    const u0 = process.cpuUsage();
    const projection = toPublicProjection(snap, end, {
      ...(before ? { previous: new Map([[before.operationId, [before]]]) } : {}),
      memory,
      cache,
    });
    const u = process.cpuUsage(u0);
    const o = projection.disclosure.operations[0]!;
    console.log(
      JSON.stringify({
        day,
        ok: o.ok,
        withheld: o.withheld,
        cpuMs: Math.round((u.user + u.system) / 1000),
        audit: o.audit,
        failures: o.failures,
      }),
    );
    if (projection.disclosure.ok) {
      before = projection.disclosure.releases[0]!;
      rememberReleases(memory, projection.disclosure.releases);
    }
  }
}

if (process.argv[1]?.endsWith('as-of-memo-days.ts')) main();
