// The audit's wide engine (src/domain/disclosure-highs.ts, HiGHS in WebAssembly): where
// the dense solver's neighbourhood is cut at MAX_VARIABLES unknowns, the whole component
// is searched by HiGHS, and every point it returns is checked exactly before it counts.
//
// The table: a chain x0 + x1 = c1, x1 + x2 = c2, …, x299 + x300 = c300 of withheld cells
// (the sums printed), x0 = 1 printed "fewer than 5". Moving x0 by t moves every x_i by ±t
// down the whole chain, and only the far end is free: the nearest 160 unknowns (the rest
// held at their true values) pin x0, so the dense search finds no witness for 2 … 4; the
// whole component (301 unknowns) has one for each, which only the wide engine searches.
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/domain/disclosure-audit.ts';
import type { FigureInput } from '../../src/domain/disclosure-cells.ts';
import {
  WIDE_SEARCH_MIN_PROTECTED,
  type WitnessEngine,
  loadWideSearch,
  wideSearchWorthLoading,
} from '../../src/domain/disclosure-highs.ts';
import { MAX_VARIABLES } from '../../src/domain/disclosure-neighbourhood.ts';
import { type Display, type Protected, Table } from '../../src/domain/disclosure-table.ts';

const LENGTH = 300;

function chain() {
  const table = new Table(5);
  const display = new Map<string, Display>();
  for (let i = 0; i <= LENGTH; i++) {
    table.shown(`x${i}`, i === 0 ? 1 : 5, 'movement');
    display.set(`x${i}`, i === 0 ? 'fewer_than' : 'withheld');
  }
  for (let i = 1; i <= LENGTH; i++) {
    table.shown(`c${i}`, table.value(`x${i - 1}`) + table.value(`x${i}`), 'route');
    table.sum(`c${i}`, [`x${i - 1}`, `x${i}`]);
  }
  const items: Protected[] = [{ id: 'x0', lo: 1, hi: 4, why: 'small' }];
  return { table, display, items };
}

describe('disclosure audit: the wide engine (HiGHS)', () => {
  let engine: WitnessEngine;
  beforeAll(async () => {
    engine = await loadWideSearch();
  });

  it('finds a witness only the whole component holds; the dense search alone refuses', () => {
    const { table, display, items } = chain();
    expect(LENGTH + 1).toBeGreaterThan(MAX_VARIABLES);
    const dense = audit(table, display, items);
    expect(dense.ok).toBe(false);
    expect(dense.failures.map((f) => f.target)).toEqual([2, 3, 4]);

    const calls = engine.calls;
    const wide = audit(table, display, items, { engine });
    expect(wide.failures).toEqual([]);
    expect(wide.ok).toBe(true);
    expect(engine.calls).toBeGreaterThan(calls);
  });

  it('a point the engine returns counts only if it passes the exact check', () => {
    const { table, display, items } = chain();
    // An engine that answers with HiGHS's point, one cell off: every relation must hold exactly.
    const wrong: WitnessEngine = {
      calls: 0,
      solve: (lp) => engine.solve(lp)?.map((v, i) => (i === lp.n - 1 ? v + 1 : v)),
      minimise: (lp) => engine.minimise(lp),
    };
    const r = audit(table, display, items, { engine: wrong });
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.target)).toEqual([2, 3, 4]);
    // And one that claims a point in fractions or outside the bounds is refused the same way.
    const fractional: WitnessEngine = { ...wrong, solve: (lp) => engine.solve(lp)?.map((v) => v + 0.5) };
    expect(audit(table, display, items, { engine: fractional }).ok).toBe(false);
  });

  it('says so when no whole point exists (an infeasible program is no witness)', () => {
    const { table, display, items } = chain();
    // x0 printed exactly: its interval cannot be covered, whatever the engine.
    display.set('x0', 'value');
    const r = audit(table, display, items, { engine });
    expect(r.ok).toBe(false);
    expect(engine.solve({ n: 1, lower: [0], upper: [3], rows: [{ vars: [0], coefs: [2], rhs: 3 }] })).toBe(
      undefined,
    );
  });
});

describe('disclosure audit: when the wide engine is worth loading', () => {
  const stage = (total: number | null) => ({
    total,
    womenChildren: null,
    over60: null,
    medical: null,
    other: null,
  });
  const movement = (id: number, registered: number, departed: number, arrived: number) => ({
    id,
    route: 1,
    arrivedDay: null,
    arrivedStatus: false,
    counts: { registered: stage(registered), departed: stage(departed), arrived: stage(arrived) },
  });
  const input = (movements: FigureInput['movements']): FigureInput => ({
    k: 5,
    movements,
    waiting: { known: [], unknown: 0 },
    routes: [1],
    days: [],
  });

  it('not for a table of large figures (the seed has no protected one), nor for a few small ones', () => {
    expect(wideSearchWorthLoading(input([movement(1, 120, 120, 100), movement(2, 40, 40, 40)]))).toBe(false);
    // 3 movements × (3 and 2 small, the differences 3 − 2 = 1 and 2 − 0 = 2): 12 protected.
    const few = Array.from({ length: 3 }, (_, i) => movement(i + 1, 3, 2, 0));
    expect(wideSearchWorthLoading(input(few))).toBe(false);
  });

  it('for a table with WIDE_SEARCH_MIN_PROTECTED small figures or differences', () => {
    const many = Array.from({ length: WIDE_SEARCH_MIN_PROTECTED / 4 }, (_, i) => movement(i + 1, 3, 2, 0));
    expect(wideSearchWorthLoading(input(many))).toBe(true);
    // Differences count: 8 movements of 40 registered, 37 departed, 35 arrived (two each).
    const gaps = Array.from({ length: WIDE_SEARCH_MIN_PROTECTED / 2 }, (_, i) => movement(i + 1, 40, 37, 35));
    expect(wideSearchWorthLoading(input(gaps))).toBe(true);
  });
});
