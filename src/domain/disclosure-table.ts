// The published table as a reader sees it. Every figure on any public output is
// a cell; every fact a reader can use to combine figures is a linear relation
// Σ coef·cell = 0 (a total is the sum of its parts, a stage difference is the
// difference of two stages, a change is new − old). Some cells are never
// printed but follow from printed ones (differences, changes): they are
// `derived`. Every cell has a true value; what a reader knows of it depends on
// how it is shown:
//
//   shown as a number     exactly that value
//   "fewer than k"        1 … k−1
//   "withheld"            nothing (any whole number from 0 up: zeros and small
//                         figures are withheld too when "fewer than k" would leak)
//   derived               its natural bound (≥ 0 for a count, none for a signed difference)
//
// A protected item is a cell together with an interval of values the reader
// must not be able to exclude (see docs/privacy.md). The audit
// (disclosure-audit.ts) proves, for each one, that every value of the interval
// is consistent with everything public.

export type Level = 'movement' | 'day' | 'group' | 'route' | 'operation' | 'headline';
export type Display = 'value' | 'fewer_than' | 'withheld';

export type Cell = {
  id: string;
  value: number;
  /** Printed somewhere (possibly suppressed), or only implied by printed cells. */
  derived: boolean;
  /** Natural lower bound known to every reader: 0 for a count of people, −∞ for a difference. */
  lower: number;
  level: Level;
  /** Its true value in 1 … k−1 (or −(k−1) … −1 for a signed difference) makes it protected. */
  protectSmall: boolean;
  /** A difference a − b of two cells (a stage difference, or a change new − old). */
  def?: [string, string];
};

/** Σ coef·cell = 0 over its terms. */
export type Relation = { ids: string[]; coefs: number[] };

export type Protected = { id: string; lo: number; hi: number; why: 'small' | 'change' | 'memory' };

/** Relative cost of hiding a cell (detail before totals; the headline last). */
const LEVEL_COST: Record<Level, number> = {
  movement: 1,
  day: 3,
  group: 3,
  route: 8,
  operation: 200,
  headline: 1000,
};

export function hidingCost(c: Cell): number {
  // A withheld zero can only be thought larger, which protects little: last among equals.
  return LEVEL_COST[c.level] * (c.value === 0 ? 3 : 1 + Math.log10(1 + Math.abs(c.value)));
}

export class Table {
  readonly cells = new Map<string, Cell>();
  readonly relations: Relation[] = [];
  /** Relations by cell, built on demand. */
  private index: Map<string, number[]> | undefined;

  constructor(readonly k: number) {}

  has(id: string) {
    return this.cells.has(id);
  }
  get(id: string): Cell | undefined {
    return this.cells.get(id);
  }
  value(id: string): number {
    return this.cells.get(id)!.value;
  }

  /** A printed figure; `null` (not reported) adds nothing. */
  shown(id: string, value: number | null, level: Level): boolean {
    if (value === null) return false;
    this.cells.set(id, { id, value, derived: false, lower: 0, level, protectSmall: true });
    this.index = undefined;
    return true;
  }

  derived(
    id: string,
    value: number,
    level: Level,
    o: { signed?: boolean; protect?: boolean; def?: [string, string] } = {},
  ) {
    this.cells.set(id, {
      id,
      value,
      derived: true,
      lower: o.signed ? -Infinity : 0,
      level,
      protectSmall: o.protect ?? true,
      ...(o.def ? { def: o.def } : {}),
    });
    this.index = undefined;
  }

  /** Σ coef·cell = 0; kept only when every cell exists (a missing one is not reported). */
  relate(ids: string[], coefs: number[]): boolean {
    if (ids.length < 2 || !ids.every((id) => this.cells.has(id))) return false;
    this.relations.push({ ids, coefs });
    this.index = undefined;
    return true;
  }

  /** total = Σ parts. */
  sum(total: string, parts: string[]): boolean {
    if (parts.length === 0) return false;
    return this.relate([total, ...parts], [1, ...parts.map(() => -1)]);
  }

  /** A printed total of the parts that are reported (none reported: nothing printed). */
  total(id: string, parts: string[], level: Level): boolean {
    const known = parts.filter((p) => this.cells.has(p));
    if (known.length === 0) return false;
    this.shown(
      id,
      known.reduce((a, p) => a + this.value(p), 0),
      level,
    );
    this.sum(id, known);
    return true;
  }

  /** a − b as a derived cell `id` (a reader subtracts two printed figures). */
  difference(id: string, a: string, b: string, level: Level, o: { signed?: boolean } = {}) {
    if (!this.has(a) || !this.has(b)) return false;
    const v = this.value(a) - this.value(b);
    this.derived(id, v, level, { signed: o.signed ?? true, def: [a, b] });
    return this.relate([a, b, id], [1, -1, -1]);
  }

  relationsOf(id: string): number[] {
    if (!this.index) {
      const index = new Map<string, number[]>();
      this.relations.forEach((r, i) => {
        for (const c of r.ids) {
          const list = index.get(c);
          if (list) list.push(i);
          else index.set(c, [i]);
        }
      });
      this.index = index;
    }
    return this.index.get(id) ?? [];
  }

  /**
   * The protected items of the table's own cells: the small ones. A difference is
   * protected over the part of its interval that its two terms could give at all,
   * were both hidden as far as they can be (two figures each "fewer than 5" cannot
   * differ by 4): what the displays alone give away cannot be taken back. `fixed`:
   * terms whose bounds are already known to a reader (an earlier state's cells).
   */
  smallItems(fixed?: (id: string) => [number, number] | undefined): Protected[] {
    const k = this.k;
    const out: Protected[] = [];
    if (k <= 1) return out;
    for (const c of this.cells.values()) {
      if (!c.protectSmall) continue;
      let lo: number;
      let hi: number;
      if (c.value >= 1 && c.value <= k - 1) [lo, hi] = [1, k - 1];
      else if (c.lower < 0 && c.value <= -1 && c.value >= -(k - 1)) [lo, hi] = [-(k - 1), -1];
      else continue;
      if (c.def) {
        const [a, b] = c.def.map((id) => fixed?.(id) ?? widest(this.cells.get(id)!)) as [
          [number, number],
          [number, number],
        ];
        lo = Math.max(lo, a[0] - b[1], c.lower);
        hi = Math.min(hi, a[1] - b[0]);
      }
      out.push({ id: c.id, lo, hi, why: 'small' });
    }
    return out;
  }
}

/** The least a reader could know of a cell: withheld (or, derived, its natural bound). */
export function widest(c: Cell): [number, number] {
  return [c.derived ? c.lower : 0, Infinity];
}

/** What a reader knows of a cell, as bounds. */
export function readerBounds(c: Cell, display: Display | undefined, k: number): [number, number] {
  if (c.derived) return [c.lower, Infinity];
  switch (display ?? 'value') {
    case 'value':
      return [c.value, c.value];
    case 'fewer_than':
      return [1, k - 1];
    case 'withheld':
      return [0, Infinity];
  }
}

/** How a printed cell must be shown at least: small figures are never printed as numbers. */
export function primaryDisplay(c: Cell, k: number): Display {
  return c.value >= 1 && c.value <= k - 1 ? 'fewer_than' : 'value';
}
