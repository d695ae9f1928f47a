// "Suppress the change" (docs/privacy.md, "Across time"): when a new state cannot be
// proven safe jointly with the states a reader holds with it, withhold more of the NEW
// state until the exact audit proves the pair safe, instead of falling back to the old
// state (a stale digest day, a refused save).
//
// Why the plain suppression (disclosure-suppress.ts) can fail on a pair: an earlier
// state protected one of its small quantities with a complement far away (a route's
// no-shows balanced through the operation's registered total by a movement withheld in
// another route). When both routes changed since, that earlier state's route totals are
// past cells that can no longer be hidden, and the complement that made them safe is an
// unchanged movement figure the new state prints again — several relations away from the
// failing quantity, beyond the repair's small neighbourhood, so its programs find nothing
// to move and the last resorts withhold whole sums (even headline totals) without
// reaching it. (Withholding everything changed does not help either: the components
// then outgrow the audit's search, which is sound but bounded.)
//
// So, on failure, the suppression runs again from a seed, in steps, each step only when
// the one before still fails:
//  1. every figure an earlier held state withheld and that has not changed since is
//     withheld again (the earlier state's own protection stands as it was), and in the
//     routes the failures touch, every movement and route figure that changed (detail
//     first: group, day and headline figures stay printed unless the audit needs one);
//  2. the same, adding the routes the new failures touch;
//  3. and every changed movement figure, in every route;
//  4. (small tables only: at scale the components would outgrow the audit's search, which
//     is sound but bounded) every changed figure but the operation's and the headline's;
//  5. (small tables only) every changed figure.
// The first step whose audit passes is the state published; if none does, the plain
// result stands (refused: the caller keeps the old state). The audit is the judge at every
// step, so a seed can only cost cells, never safety.
import type { AuditCache } from './disclosure-audit.ts';
import type { WitnessEngine } from './disclosure-highs.ts';
import { type Suppressed, suppress } from './disclosure-suppress.ts';
import type { Cell, Display, Level, Protected, Table } from './disclosure-table.ts';
import type { PublishedState } from './disclosure-time.ts';

export type JointSuppression = {
  table: Table;
  items: readonly Protected[];
  frozen: ReadonlySet<string>;
  extra: ReadonlyMap<string, [number, number]>;
  initial: ReadonlyMap<string, Display>;
  mustHide: readonly string[];
};

/**
 * The steps, in order: the levels of the changed figures withheld in the routes the
 * failures touch (the routes of every step's failures add up), and the levels withheld
 * wherever they changed.
 */
const STEPS: { levels: Level[]; everywhere: Level[] }[] = [
  { levels: ['movement', 'route'], everywhere: [] },
  { levels: ['movement', 'route'], everywhere: [] },
  { levels: ['movement', 'route'], everywhere: ['movement'] },
  // Small tables only (the components would outgrow the audit's search at scale):
  { levels: [], everywhere: ['movement', 'route', 'group', 'day'] },
  { levels: [], everywhere: ['movement', 'route', 'group', 'day', 'operation', 'headline'] },
];
/** The steps past the third run only for a table of at most this many cells. */
const SMALL_TABLE = 3_000;

/**
 * A refused state's second attempt: the audit searches where its nearest 160 cells held no
 * witness again in the nearest this many (docs/privacy.md, "When the pair fails").
 */
export const WIDE_VARIABLES = 320;

/**
 * The suppression of `current` jointly with `held` (problem: jointProblem's), repaired by
 * withholding more of the new state where the plain one fails. `routeOf`: a movement's route.
 */
export function suppressTheChange(
  current: Table,
  held: readonly PublishedState[],
  problem: JointSuppression,
  routeOf: ReadonlyMap<number, number>,
  o: { cache?: AuditCache; seed: readonly string[]; engine?: WitnessEngine },
): Suppressed & { steps: number; wide: boolean } {
  // The steps search the same local programs again: one cache for them all.
  const cache: AuditCache = o.cache ?? new Map<string, { yes: number[]; no: number[] }>();
  const first = attempt(current, held, problem, routeOf, { cache, seed: o.seed, engine: o.engine });
  if (first.audit.ok) return { ...first, wide: false };
  // Refused: everything that passes above is published as it always was; only a refusal is
  // tried again with the wider search (sound either way: every witness is checked).
  const second = attempt(current, held, problem, routeOf, {
    cache,
    seed: o.seed,
    engine: o.engine,
    wide: WIDE_VARIABLES,
  });
  return second.audit.ok ? { ...second, wide: true } : { ...first, wide: false };
}

function attempt(
  current: Table,
  held: readonly PublishedState[],
  problem: JointSuppression,
  routeOf: ReadonlyMap<number, number>,
  o: { cache: AuditCache; seed: readonly string[]; wide?: number; engine?: WitnessEngine },
): Suppressed & { steps: number } {
  const run = (seed: Iterable<string>) =>
    suppress(problem.table, problem.items, {
      cache: o.cache,
      seed,
      hide: problem.mustHide,
      frozen: problem.frozen,
      extra: problem.extra,
      initial: problem.initial,
      wide: o.wide,
      engine: o.engine,
    });
  const plain = run(o.seed);
  if (plain.audit.ok || held.length === 0) return { ...plain, steps: 0 };

  const { rehide, changed } = changeOf(current, held, routeOf);
  const routes = new Set<number>();
  let last = plain;
  const steps = problem.table.cells.size <= SMALL_TABLE ? STEPS.length : 3;
  for (let step = 1; step <= steps; step++) {
    const { levels, everywhere } = STEPS[step - 1]!;
    for (const f of last.audit.failures)
      for (const id of [f.item.id, ...f.component]) {
        const r = routeOfCell(id, routeOf);
        if (r !== undefined) routes.add(r);
      }
    const seed = new Set([...o.seed, ...rehide]);
    for (const [route, cells] of changed)
      for (const c of cells)
        if (
          everywhere.includes(c.level) ||
          (route !== undefined && routes.has(route) && levels.includes(c.level))
        )
          seed.add(c.id);
    const s = run(seed);
    if (s.audit.ok) return { ...s, steps: step };
    last = s;
  }
  return { ...plain, steps: -1 };
}

/**
 * What an earlier held state withheld that is unchanged now, and per route (undefined:
 * the operation level) the figures that changed since a held state.
 */
function changeOf(
  current: Table,
  held: readonly PublishedState[],
  routeOf: ReadonlyMap<number, number>,
): { rehide: string[]; changed: Map<number | undefined, Cell[]> } {
  const rehide = new Set<string>();
  const changed = new Map<number | undefined, Cell[]>();
  for (const c of current.cells.values()) {
    if (c.derived) continue;
    let moved = false;
    for (const s of held) {
      const before = s.table.get(c.id);
      if (!before || before.value !== c.value) moved = true;
      else if (s.display.get(c.id) === 'withheld') rehide.add(c.id);
    }
    if (!moved) continue;
    const r = routeOfCell(c.id, routeOf);
    const list = changed.get(r);
    if (list) list.push(c);
    else changed.set(r, [c]);
  }
  return { rehide: [...rehide], changed };
}

/** The route of a movement or route cell (a past or change cell's too), else undefined. */
function routeOfCell(id: string, routeOf: ReadonlyMap<number, number>): number | undefined {
  const m = /^(?:[pd]\d*:)?([mr])(\d+)\./.exec(id);
  if (!m) return undefined;
  const n = Number(m[2]);
  return m[1] === 'r' ? n : routeOf.get(n);
}
