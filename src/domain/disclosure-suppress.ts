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
import { type LinearRow, solveLp } from './disclosure-lp.ts';
import {
  type Display,
  type Protected,
  type Table,
  hidingCost,
  primaryDisplay,
  readerBounds,
} from './disclosure-table.ts';

export type Suppressed = { display: Map<string, Display>; audit: AuditResult; rounds: number };

const MAX_ROUNDS = 60;

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
  } = {},
): Suppressed {
  const k = table.k;
  const display = new Map<string, Display>(o.initial ?? []);
  for (const c of table.cells.values()) {
    if (o.frozen?.has(c.id)) continue;
    if (c.derived) continue;
    const d = primaryDisplay(c, k);
    if (d !== 'value') display.set(c.id, d);
  }
  for (const id of o.hide ?? []) {
    const c = table.get(id);
    if (c && !c.derived && !display.has(id))
      display.set(id, primaryDisplay(c, k) === 'value' ? 'withheld' : 'fewer_than');
  }
  for (const id of o.seed ?? []) {
    const c = table.get(id);
    if (c && !c.derived && !o.frozen?.has(id)) display.set(id, 'withheld');
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
  const opts = { cache: o.cache, extra: o.extra, proven: new Set<string>() };
  if (k > 1) singletons(table, items, display, hideable, bound);
  let result = audit(table, display, items, opts);
  let rounds = 0;
  let failedBefore = new Set<string>();
  while (!result.ok && rounds < MAX_ROUNDS) {
    rounds++;
    let changed = false;
    const done = new Set<string>();
    const failing = new Set<string>();
    for (const f of result.failures) {
      const key = f.component[0]!;
      failing.add(`${f.item.id}=${f.target}`);
      if (done.has(key)) continue;
      done.add(key);
      const retried = failedBefore.has(`${f.item.id}=${f.target}`);
      if (repair(table, display, f, hideable, bound, retried)) changed = true;
    }
    failedBefore = failing;
    if (!changed) break;
    result = audit(table, display, items, opts);
  }
  return { display, audit: result, rounds };
}

/** A protected cell alone among constants in a relation is pinned: withhold one more member. */
function singletons(
  table: Table,
  items: readonly Protected[],
  display: Map<string, Display>,
  hideable: (id: string) => boolean,
  bound: (id: string) => [number, number],
) {
  const isUnknown = (id: string) => {
    const b = bound(id);
    return b[0] !== b[1];
  };
  const queue = [...new Set(items.map((i) => i.id))];
  const seen = new Set<string>();
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const ri of table.relationsOf(id)) {
      const r = table.relations[ri]!;
      if (r.ids.some((x) => x !== id && isUnknown(x))) continue;
      let best: string | undefined;
      // The cheapest, the least connected first (a registered figure before the departed one,
      // which arrivals and the headline also sum), and large enough to absorb the small one.
      const price = (x: string) =>
        hidingCost(table.get(x)!) *
        (1 + 0.25 * table.relationsOf(x).length) *
        (table.value(x) < table.k ? 4 : 1);
      for (const x of r.ids) {
        if (x === id || !hideable(x) || display.has(x)) continue;
        if (!best || price(x) < price(best)) best = x;
      }
      if (best) {
        display.set(best, 'withheld');
        queue.push(best);
        seen.delete(best);
      }
    }
  }
}

/**
 * Withhold the cheapest set of printed cells near the failing component that
 * lets the protected cell take the missing value. Returns whether anything changed.
 */
function repair(
  table: Table,
  display: Map<string, Display>,
  f: Failure,
  hideable: (id: string) => boolean,
  bound: (id: string) => [number, number],
  retried: boolean,
): boolean {
  // Small neighbourhoods first (a dense program grows with the cube of its size).
  for (const [radius, perRelation, maxVariables] of [
    [1, 3, 40],
    [2, 4, 80],
    [3, 6, 200],
    [5, 12, 300],
  ] as const) {
    const chosen = cheapestMoves(table, f, hideable, bound, radius, perRelation, maxVariables);
    if (chosen?.length) {
      for (const id of chosen) display.set(id, 'withheld');
      return true;
    }
    // Nothing to move: an earlier repair of this round may already have made the value
    // possible; if the next audit still finds no witness, the last resort below runs.
    if (chosen && !retried) return true;
  }
  // Last resort: withhold every printed member of every relation around the component.
  let changed = false;
  for (const id of f.component) {
    for (const ri of table.relationsOf(id)) {
      for (const x of table.relations[ri]!.ids) {
        if (hideable(x)) {
          display.set(x, 'withheld');
          changed = true;
        }
      }
    }
  }
  return changed;
}

function cheapestMoves(
  table: Table,
  f: Failure,
  hideable: (id: string) => boolean,
  bound: (id: string) => [number, number],
  radius: number,
  perRelation: number,
  maxVariables: number,
): string[] | undefined {
  // Variables: unknown cells (reader bounds) and candidate printed cells (may move).
  const unknownVars = new Set<string>();
  const candidates = new Set<string>();
  const relations = new Set<number>();
  const isUnknown = (id: string) => {
    const b = bound(id);
    return b[0] !== b[1];
  };
  let frontier = [...f.component];
  for (const id of frontier) (hideable(id) ? candidates : unknownVars).add(id);
  const full = () => unknownVars.size + 3 * candidates.size >= maxVariables;
  for (let depth = 0; depth < radius && frontier.length && !full(); depth++) {
    const next: string[] = [];
    for (const id of frontier) {
      if (full()) break;
      // Nearest first: the smallest relations (a movement's stages, then its route).
      const around = [...table.relationsOf(id)].sort(
        (a, b) => table.relations[a]!.ids.length - table.relations[b]!.ids.length,
      );
      for (const ri of around) {
        if (full()) break;
        if (relations.has(ri)) continue;
        relations.add(ri);
        const r = table.relations[ri]!;
        const options: string[] = [];
        for (const x of r.ids) {
          if (unknownVars.has(x) || candidates.has(x)) continue;
          if (hideable(x)) options.push(x);
          else if (isUnknown(x)) {
            unknownVars.add(x);
            next.push(x);
          }
        }
        options.sort((a, b) => hidingCost(table.get(a)!) - hidingCost(table.get(b)!));
        for (const x of options.slice(0, perRelation)) {
          candidates.add(x);
          next.push(x);
        }
      }
    }
    frontier = next;
  }
  // Relations touching any variable; members outside are constants at their true value.
  for (const id of [...unknownVars, ...candidates]) for (const ri of table.relationsOf(id)) relations.add(ri);
  const unk = [...unknownVars];
  const cand = [...candidates];
  const idx = new Map<string, number>();
  unk.forEach((id, i) => idx.set(id, i));
  // Candidate j: x_j = y_j + p_j − n_j, y at index base+3j (its bounds as shown now:
  // a printed number, or 1 … k−1), p and n after it (moving beyond them: withheld).
  const base = unk.length;
  cand.forEach((id, j) => idx.set(id, base + 3 * j));
  const n = base + 3 * cand.length;
  const lower: number[] = [];
  const upper: number[] = [];
  const cost: number[] = [];
  for (const id of unk) {
    const b = bound(id);
    lower.push(b[0]);
    upper.push(b[1]);
    cost.push(0);
  }
  for (const id of cand) {
    const w = hidingCost(table.get(id)!);
    const b = bound(id);
    lower.push(b[0], 0, 0);
    upper.push(b[1], Infinity, Infinity);
    cost.push(0, w, w);
  }
  // The protected cell takes the missing value (a candidate's total x_j does).
  const target = idx.get(f.item.id)!;
  const targetVar = target >= base ? n + (target - base) / 3 : target;
  const rows: LinearRow[] = [];
  for (const ri of relations) {
    const r = table.relations[ri]!;
    const row: LinearRow = { vars: [], coefs: [], rhs: 0 };
    r.ids.forEach((id, t) => {
      const a = r.coefs[t]!;
      const i = idx.get(id);
      if (i === undefined) row.rhs -= a * (isUnknown(id) ? table.value(id) : bound(id)[0]);
      else if (i >= base) {
        row.vars.push(i, i + 1, i + 2);
        row.coefs.push(a, a, -a);
      } else {
        row.vars.push(i);
        row.coefs.push(a);
      }
    });
    rows.push(row);
  }
  // A non-negative total for every candidate: x_j = y + p − n ≥ 0.
  cand.forEach((_, j) => {
    const i = base + 3 * j;
    rows.push({ vars: [i, i + 1, i + 2, n + j], coefs: [1, 1, -1, -1], rhs: 0 });
    lower.push(0);
    upper.push(Infinity);
    cost.push(0);
  });
  lower[targetVar] = f.target;
  upper[targetVar] = f.target;
  const r = solveLp({ n: n + cand.length, lower, upper, rows, cost });
  if (r.status !== 'optimal') return undefined;
  return cand.filter((_, j) => r.x[base + 3 * j + 1]! + r.x[base + 3 * j + 2]! > 1e-7);
}
