// bench:scale's operation generated in memory (bench/scale.ts's generator and seed,
// the same figures in the same order), for bench/disclosure-quality.ts and for
// looking at what the suppression withholds without a database.
import type { Snapshot } from '../src/domain/snapshot.ts';
import { counts, movement, route, snapshot } from '../test/support/snapshots.ts';

export /** bench/scale.ts's operation, in memory (its generator and seed). */
function scaleShape(n: number): Snapshot {
  let seed = 20260305;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const maybe = (p: number, v: () => number) => (rnd() < p ? v() : null);
  const split = (total: number | null) => ({
    total,
    womenChildren: total === null ? null : maybe(0.6, () => int(0, Math.floor(total / 3))),
    over60: total === null ? null : maybe(0.4, () => int(0, Math.floor(total / 5))),
  });
  const routes = Math.max(1, Math.round(Math.sqrt(n) * 1.5));
  let id = 1;
  const list = [];
  for (let r = 0; r < routes; r++) {
    const per = Math.floor(n / routes) + (r < n % routes ? 1 : 0);
    const ms = [];
    for (let i = 0; i < per; i++) {
      const status = rnd() < 0.5 ? 'departed' : 'arrived';
      const day = `2026-03-0${int(1, 5)}`;
      const arrivedAt = status === 'arrived' && rnd() < 0.9 ? new Date(`${day}T10:00:00Z`) : null;
      const R = rnd() < 0.08 ? int(3, 19) : int(20, 60);
      const D = rnd() < 0.8 ? R : Math.max(0, R - int(1, 6));
      const A = status === 'arrived' ? (rnd() < 0.9 ? D : null) : null;
      const c = counts({ registered: split(R), departed: { total: D }, arrived: { total: A } });
      ms.push(
        movement({
          id: id++,
          status,
          scheduledDate: day,
          departedAt: new Date(`${day}T04:00:00Z`),
          arrivedAt,
          counts: c,
        }),
      );
    }
    list.push(route(ms, { id: 100_000 + r }));
  }
  return snapshot(list);
}
