// The two day-end states a digest compares, generated in memory at crisis scale
// (the shape of bench/scale.ts: about 1.5·√n routes, most movements of 20–60
// people, 8 % small ones, one in five with 1–6 no-shows, groups partly reported,
// departures over five days, most arrivals dated). The state at the end of the
// day before is the same operation with that day's departures and arrivals not
// happened yet, as readStateAsOf would rewind it.
import type { Counts } from '../src/domain/figures.ts';
import type { Snapshot, SnapshotMovement } from '../src/domain/snapshot.ts';
import { counts, movement, route, snapshot } from '../test/support/snapshots.ts';

export const DIGEST_DAY = '2026-03-04';
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];

function generator(seed: number) {
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const maybe = (p: number, v: () => number) => (rnd() < p ? v() : null);
  return { rnd, int, maybe };
}

/** End of D and end of D−1 (Asia/Almaty, UTC+5) for `n` movements. */
export function digestStates(n: number, seed = 20260305): { snapshot: Snapshot; previousSnapshot: Snapshot } {
  const { rnd, int, maybe } = generator(seed);
  const split = (total: number | null) => ({
    total,
    womenChildren: total === null ? null : maybe(0.6, () => int(0, Math.floor(total / 3))),
    over60: total === null ? null : maybe(0.4, () => int(0, Math.floor(total / 5))),
  });
  const routesCount = Math.max(1, Math.round(Math.sqrt(n) * 1.5));
  const endOf = (day: string) => new Date(`${day}T19:00:00Z`);
  const prevEnd = endOf('2026-03-03');
  const now: SnapshotMovement[][] = [];
  const before: SnapshotMovement[][] = [];
  let id = 1;
  for (let r = 0; r < routesCount; r++) {
    const per = Math.floor(n / routesCount) + (r < n % routesCount ? 1 : 0);
    const a: SnapshotMovement[] = [];
    const b: SnapshotMovement[] = [];
    for (let i = 0; i < per; i++) {
      const day = DAYS[int(0, 4)]!;
      const departedAt = new Date(`${day}T04:00:00Z`);
      const arrives = rnd() < 0.5 && rnd() < 0.9;
      const arrivedAt = arrives ? new Date(`${day}T10:00:00Z`) : null;
      const R = rnd() < 0.08 ? int(3, 19) : int(20, 60);
      const D = rnd() < 0.8 ? R : Math.max(0, R - int(1, 6));
      const A = arrives && rnd() < 0.9 ? D : null;
      const full: Counts = counts({ registered: split(R), departed: { total: D }, arrived: { total: A } });
      const at = (t: Date | null) => (t && t <= endOf(DIGEST_DAY) ? t : null);
      const atPrev = (t: Date | null) => (t && t <= prevEnd ? t : null);
      const state = (dep: Date | null, arr: Date | null, asOf: Date): SnapshotMovement =>
        movement({
          id,
          scheduledDate: day,
          status: arr ? 'arrived' : dep ? 'departed' : 'planned',
          departedAt: dep,
          arrivedAt: arr,
          counts: counts({
            registered: full.registered,
            departed: dep ? full.departed : {},
            arrived: arr ? full.arrived : {},
          }),
          figuresAsOf: asOf,
        });
      a.push(state(at(departedAt), at(arrivedAt), new Date('2026-03-04T12:00:00Z')));
      b.push(state(atPrev(departedAt), atPrev(arrivedAt), new Date('2026-03-03T12:00:00Z')));
      id++;
    }
    now.push(a);
    before.push(b);
  }
  const snap = (ms: SnapshotMovement[][]) => snapshot(ms.map((list, r) => route(list, { id: 100_000 + r })));
  return { snapshot: snap(now), previousSnapshot: snap(before) };
}
