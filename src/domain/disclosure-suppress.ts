// Secondary (complementary) suppression, driven by the exact audit.
//
// 1. Primary: every printed figure in 1 … k−1 reads "fewer than k".
// 2. Singletons: a relation whose only unknown is a protected cell pins it;
//    one more of its printed members (the cheapest) is withheld.
// 3. Audit (disclosure-audit.ts). For each protected value that has no witness,
//    a small linear program chooses what to withhold: around the failing
//    component, printed cells may move (each at a cost per person moved, small
//    detail cells cheapest, the headline dearest) within the bounds a reader
//    would give them if they were withheld, and the program finds the cheapest
//    set of moves that makes the missing value consistent — the idea of the
//    optimal method of Fischetti and Salazar (τ-ARGUS, sdcTable), restricted
//    to a neighbourhood so that it stays small. Those cells are withheld, and
//    the audit runs again on the components that changed.
//
// Suppression only ever hides more, and hiding more only widens what a reader
// must consider, so a witness once found stays valid: the loop ends, and when
// it ends with the audit passing, every output is safe by the audit's proof.
import { type AuditCache, type AuditResult, type Failure, audit } from './disclosure-audit.ts';
import type { WitnessEngine } from './disclosure-highs.ts';
import { type RepairContext, cheapestRepair, repairCache } from './disclosure-repair.ts';
import {
  type Display,
  type Protected,
  type Table,
  hidingCost,
  primaryDisplay,
  readerBounds,
} from './disclosure-table.ts';

/** Why a cell was withheld (measured by the benchmarks: docs/benchmarks.md). */
export type WithholdCause = 'memory' | 'carried' | 'singleton' | 'repair' | 'near_resort' | 'last_resort';

export type Suppressed = {
  display: Map<string, Display>;
  audit: AuditResult;
  rounds: number;
  /** Per withheld cell, the step that withheld it first. */
  causes: Map<string, WithholdCause>;
};

const MAX_ROUNDS = 60;

type Withhold = (id: string, cause: WithholdCause) => void;

export function suppress(
  table: Table,
  items: readonly Protected[],
  o: {
    cache?: AuditCache;
    /** Cells that must not be printed as numbers (e.g. a value too close to one printed before). */
    hide?: Iterable<string>;
    /** Cells that may not be withheld (printed in an earlier state and unchanged, or past). */
    frozen?: ReadonlySet<string>;
    /** What earlier states tell a reader beyond the display (audit's `extra`). */
    extra?: ReadonlyMap<string, [number, number]>;
    /** How earlier states showed their cells (the `p:` cells of a joint table). */
    initial?: ReadonlyMap<string, Display>;
    /** Cells to start withheld (carried over from the previous state: disclosure-carry.ts). */
    seed?: Iterable<string>;
    /** The audit's wider search (audit's `wide`). */
    wide?: number;
    /** The audit's wide engine (audit's `engine`). */
    engine?: WitnessEngine;
  } = {},
): Suppressed {
  const k = table.k;
  const display = new Map<string, Display>(o.initial ?? []);
  const causes = new Map<string, WithholdCause>();
  const withhold: Withhold = (id, cause) => {
    display.set(id, 'withheld');
    if (!causes.has(id)) causes.set(id, cause);
  };
  for (const c of table.cells.values()) {
    if (o.frozen?.has(c.id)) continue;
    if (c.derived) continue;
    const d = primaryDisplay(c, k);
    if (d !== 'value') display.set(c.id, d);
  }
  for (const id of o.hide ?? []) {
    const c = table.get(id);
    if (c && !c.derived && !display.has(id)) {
      if (primaryDisplay(c, k) === 'value') withhold(id, 'memory');
      else display.set(id, 'fewer_than');
    }
  }
  for (const id of o.seed ?? []) {
    const c = table.get(id);
    if (c && !c.derived && !o.frozen?.has(id)) withhold(id, 'carried');
  }
  /** Can still be hidden further: printed as a number, or "fewer than k" (then withheld). */
  const hideable = (id: string) => {
    const c = table.get(id)!;
    return !c.derived && display.get(id) !== 'withheld' && !o.frozen?.has(id);
  };
  const bound = (id: string): [number, number] => {
    const b = readerBounds(table.get(id)!, display.get(id), k);
    const e = o.extra?.get(id);
    return e ? [Math.max(b[0], e[0]), Math.min(b[1], e[1])] : b;
  };
  // Values proven possible stay so while suppression only widens what a reader must consider.
  const opts = { cache: o.cache, extra: o.extra, proven: new Set<string>(), wide: o.wide, engine: o.engine };
  if (k > 1) singletons(table, items, display, withhold, hideable, bound);
  let result = audit(table, display, items, opts);
  const solved = repairCache(o.cache);
  let rounds = 0;
  let failedBefore = new Map<string, number>();
  while (!result.ok && rounds < MAX_ROUNDS) {
    rounds++;
    let changed = false;
    const done = new Set<string>();
    const failing = new Map<string, number>();
    for (const f of result.failures) {
      const key = f.component[0]!;
      const name = `${f.item.id}=${f.target}`;
      const attempt = failedBefore.has(name) ? failedBefore.get(name)! + 1 : 0;
      failing.set(name, attempt);
      if (done.has(key)) continue;
      done.add(key);
      if (repair({ solved, table, hideable, bound, engine: o.engine }, f, withhold, attempt)) changed = true;
    }
    failedBefore = failing;
    if (!changed) break;
    result = audit(table, display, items, opts);
  }
  return { display, audit: result, rounds, causes };
}

/** A protected cell alone among constants in a relation is pinned: withhold one more member. */
function singletons(
  table: Table,
  items: readonly Protected[],
  display: Map<string, Display>,
  withhold: Withhold,
  hideable: (id: string) => boolean,
  bound: (id: string) => [number, number],
) {
  const isUnknown = (id: string) => {
    const b = bound(id);
    return b[0] !== b[1];
  };
  // Breadth first: every protected cell is looked at before the complements chosen for
  // them, so two small cells of one sum cover each other instead of each taking a sibling.
  const queue = [...new Set(items.map((i) => i.id))];
  const seen = new Set<string>();
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q]!;
    if (seen.has(id)) continue;
    seen.add(id);
    const pinning = table
      .relationsOf(id)
      .filter((ri) => !table.relations[ri]!.ids.some((x) => x !== id && isUnknown(x)));
    for (const ri of pinning) {
      const r = table.relations[ri]!;
      if (r.ids.some((x) => x !== id && isUnknown(x))) continue;
      let best: string | undefined;
      // The cheapest, the least connected first (a registered figure before the departed one,
      // which arrivals and the headline also sum), and large enough to absorb the small one;
      // above all one that also sits in the cell's other pinning relations (the same route's
      // arrivals on the same day), which then needs no complement of its own there.
      const price = (x: string) => {
        const shared = pinning.filter((p) => table.relations[p]!.ids.includes(x)).length;
        return (
          (hidingCost(table.get(x)!) *
            (1 + 0.25 * table.relationsOf(x).length) *
            (table.value(x) < table.k ? 4 : 1)) /
          16 ** (shared - 1)
        );
      };
      let bestPrice = Infinity;
      for (const x of r.ids) {
        if (x === id || !hideable(x) || display.has(x)) continue;
        const p = price(x);
        if (p < bestPrice) [best, bestPrice] = [x, p];
      }
      if (best) {
        withhold(best, 'singleton');
        queue.push(best);
        seen.delete(best);
      }
    }
  }
}

/**
 * Withhold the cheapest printed cells near the failing component that let the protected
 * cell take the missing value (disclosure-repair.ts). `attempt`: how many rounds in a
 * row this value failed before. Returns whether anything changed.
 */
function repair(c: RepairContext, f: Failure, withhold: Withhold, attempt: number): boolean {
  const chosen = cheapestRepair(c, f, attempt > 0);
  if (chosen?.length) {
    for (const id of chosen) withhold(id, 'repair');
    return true;
  }
  // Nothing to move: an earlier repair of this round may already have made the value
  // possible; if the next audit still finds no witness, the fallbacks below run.
  if (chosen && attempt === 0) return true;
  // A program found the value possible, but the audit found no witness within its
  // neighbourhood: first the short sums around the cell itself (its movement's stages,
  // its route) are withheld, which brings a witness close; only then, every member of
  // every relation around the component (a day's arrivals over every route).
  const near = attempt <= 1 && chosen !== undefined;
  const cells = near ? withStages(c.table, f.item.id) : f.component;
  let changed = false;
  for (const id of cells) {
    for (const ri of c.table.relationsOf(id)) {
      const r = c.table.relations[ri]!;
      if (near && r.ids.length > NEAR_RELATION) continue;
      for (const x of r.ids) {
        if (c.hideable(x)) {
          withhold(x, near ? 'near_resort' : 'last_resort');
          changed = true;
        }
      }
    }
  }
  return changed || (near && repair(c, f, withhold, attempt + 1));
}

/** The longest relation the first fallback withholds whole (a route's movements, not a day's). */
const NEAR_RELATION = 64;

/** A cell and the other figures of its stage differences (a movement's R, D, A). */
function withStages(table: Table, id: string): string[] {
  const out = new Set([id]);
  for (const ri of table.relationsOf(id)) {
    const r = table.relations[ri]!;
    if (r.ids.some((x) => table.get(x)!.derived)) for (const x of r.ids) out.add(x);
  }
  return [...out];
}
