// Small-count suppression that survives subtraction. The public outputs publish
// figures that add up (movements → route → operation, groups → operation,
// days → operation) and pairs whose difference is itself a count of people
// (departed − arrived = still on the way). Hiding a figure below the threshold
// is not enough when the others in its sum are shown: the reader subtracts.
//
// So every published figure is a cell, every sum a relation, and we audit the
// result as a reader would: visible cells are known exactly, a cell shown as
// "fewer than k" is known to lie in [1, k−1], a withheld cell in [k, ∞), a
// derived (never displayed) cell in [0, ∞). Interval propagation over all the
// relations gives what the reader can work out for every cell; wherever a small
// figure would be narrowed below its whole [1, k−1] range, one more figure of
// that sum (the smallest) is withheld, and the audit runs again.

export type CellInput = {
  id: string;
  value: number;
  /** Derivable from displayed cells (a difference), never displayed itself. */
  derived?: boolean;
};

/** total = Σ parts */
export type Relation = { total: string; parts: string[] };

export type Suppression = 'fewer_than' | 'withheld';

type Bound = { lo: number; hi: number };

const MAX_ROUNDS = 200;

export function suppressSmallCounts(
  cells: CellInput[],
  relations: Relation[],
  threshold: number,
): Map<string, Suppression> {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const usable = relations.filter((r) => byId.has(r.total) && r.parts.every((p) => byId.has(p)));
  const relationsOf = new Map<string, Relation[]>();
  for (const r of usable) {
    for (const id of [r.total, ...r.parts]) {
      const list = relationsOf.get(id) ?? [];
      list.push(r);
      relationsOf.set(id, list);
    }
  }
  const isSmall = (c: CellInput) => c.value > 0 && c.value < threshold;
  const result = new Map<string, Suppression>();
  for (const c of cells) if (isSmall(c) && !c.derived) result.set(c.id, 'fewer_than');
  if (threshold <= 1) return result;

  // Each pass withholds at least one more cell, so this ends.
  for (let pass = 0; pass <= cells.length; pass++) {
    const bounds = propagate(cells, usable, result, threshold);
    const leak = cells.find((c) => {
      if (!isSmall(c)) return false;
      const b = bounds.get(c.id)!;
      return b.lo > 1 || b.hi < threshold - 1;
    });
    if (!leak) return result;
    const complement = chooseComplement(leak.id, byId, relationsOf, result);
    if (complement) {
      result.set(complement, 'withheld');
      continue;
    }
    // Nothing left to withhold beside it: withhold every displayed member of its sums.
    let changed = false;
    for (const r of relationsOf.get(leak.id) ?? []) {
      for (const id of [r.total, ...r.parts]) {
        const c = byId.get(id)!;
        if (!c.derived && !result.has(id)) {
          result.set(id, isSmall(c) ? 'fewer_than' : 'withheld');
          changed = true;
        }
      }
    }
    if (!changed) return result;
  }
  return result;
}

/** The smallest displayed, still visible, non-zero figure sharing a sum with `id` (nearest sums first). */
function chooseComplement(
  id: string,
  byId: Map<string, CellInput>,
  relationsOf: Map<string, Relation[]>,
  suppressed: Map<string, Suppression>,
): string | undefined {
  const seen = new Set<string>([id]);
  let frontier = [id];
  while (frontier.length > 0) {
    let best: CellInput | undefined;
    let totalFallback: CellInput | undefined;
    const next: string[] = [];
    for (const cellId of frontier) {
      for (const r of relationsOf.get(cellId) ?? []) {
        for (const member of [r.total, ...r.parts]) {
          const c = byId.get(member)!;
          if (!seen.has(member)) {
            seen.add(member);
            next.push(member);
          }
          if (c.derived || suppressed.has(member) || c.value <= 0) continue;
          if (member === r.total) {
            if (!totalFallback || c.value < totalFallback.value) totalFallback = c;
          } else if (!best || c.value < best.value) best = c;
        }
      }
    }
    const pick = best ?? totalFallback;
    if (pick) return pick.id;
    frontier = next;
  }
  return undefined;
}

/** What a reader can work out about every cell, given what is shown. */
function propagate(
  cells: CellInput[],
  relations: Relation[],
  suppressed: Map<string, Suppression>,
  threshold: number,
): Map<string, Bound> {
  const bounds = new Map<string, Bound>();
  for (const c of cells) {
    const s = suppressed.get(c.id);
    if (c.derived) bounds.set(c.id, { lo: 0, hi: Infinity });
    else if (s === 'fewer_than') bounds.set(c.id, { lo: 1, hi: threshold - 1 });
    else if (s === 'withheld') bounds.set(c.id, { lo: threshold, hi: Infinity });
    else bounds.set(c.id, { lo: c.value, hi: c.value });
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    const tighten = (id: string, lo: number, hi: number) => {
      const b = bounds.get(id)!;
      const nlo = Math.max(b.lo, lo);
      const nhi = Math.min(b.hi, hi);
      if (nlo !== b.lo || nhi !== b.hi) {
        b.lo = nlo;
        b.hi = nhi;
        changed = true;
      }
    };
    for (const r of relations) {
      const parts = r.parts.map((p) => bounds.get(p)!);
      const sumLo = parts.reduce((a, b) => a + b.lo, 0);
      const sumHi = parts.reduce((a, b) => a + b.hi, 0);
      tighten(r.total, sumLo, sumHi);
      const t = bounds.get(r.total)!;
      r.parts.forEach((p, i) => {
        const own = parts[i]!;
        const othersLo = sumLo - own.lo;
        const othersHi = own.hi === Infinity ? restHi(parts, i) : sumHi - own.hi;
        tighten(p, t.lo - othersHi, t.hi - othersLo);
      });
    }
    if (!changed) break;
  }
  return bounds;
}

function restHi(parts: Bound[], skip: number): number {
  let sum = 0;
  for (let i = 0; i < parts.length; i++) if (i !== skip) sum += parts[i]!.hi;
  return sum;
}

export type PublicFigure =
  | { kind: 'value'; value: number }
  | { kind: 'not_reported' }
  | { kind: 'fewer_than'; threshold: number }
  | { kind: 'withheld' };

/** The figures being published and how they add up. */
export class FigureCells {
  private readonly values = new Map<string, CellInput>();
  readonly relations: Relation[] = [];

  has(id: string) {
    return this.values.has(id);
  }
  list() {
    return [...this.values.values()];
  }
  add(id: string, value: number | null, derived = false) {
    if (value !== null) this.values.set(id, { id, value, derived });
  }
  relate(total: string, parts: string[]) {
    if (this.has(total) && parts.length > 0 && parts.every((p) => this.has(p)))
      this.relations.push({ total, parts });
  }
  /** A total of the parts that are known; none known = not reported (or `empty`). */
  sum(id: string, parts: string[], empty: number | null = null) {
    const known = parts.filter((p) => this.has(p));
    this.add(id, known.length ? known.reduce((a, p) => a + this.values.get(p)!.value, 0) : empty);
    this.relate(id, known);
  }
  /**
   * departed − arrived and registered − departed: shown side by side, so a reader
   * subtracts. `displayed`: the difference is itself printed (the headline "on the way").
   */
  differences(prefix: string, displayed = false) {
    for (const [a, b] of [
      ['registered', 'departed'],
      ['departed', 'arrived'],
    ] as const) {
      const x = this.values.get(`${prefix}.${a}`);
      const y = this.values.get(`${prefix}.${b}`);
      if (!x || !y) continue;
      const id = `${prefix}.${a}-${b}`;
      this.add(id, Math.abs(x.value - y.value), !displayed);
      if (x.value >= y.value) this.relate(x.id, [y.id, id]);
      else this.relate(y.id, [x.id, id]);
    }
  }
  figure(id: string, suppression: Suppression | undefined, threshold: number): PublicFigure {
    const c = this.values.get(id);
    if (!c) return { kind: 'not_reported' };
    if (suppression === 'fewer_than') return { kind: 'fewer_than', threshold };
    if (suppression === 'withheld') return { kind: 'withheld' };
    return { kind: 'value', value: c.value };
  }
}
