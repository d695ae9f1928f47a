// The audit remembers the witnesses it found and re-checks them in the next build
// (disclosure-audit.ts, issue 21): the incremental verdict must be the full one. Over
// random operations and random saves, with a cache warmed by every earlier build, the
// audit of each state (under a random withholding, so that some values fail) finds
// exactly the failures a fresh audit finds; and each incrementally suppressed state
// passes a fresh audit of the whole table.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Release, createAuditCache, discloseOperation } from '../../src/domain/disclosure.ts';
import { audit } from '../../src/domain/disclosure-audit.ts';
import { type FigureInput, buildTable } from '../../src/domain/disclosure-cells.ts';
import { type Display, primaryDisplay } from '../../src/domain/disclosure-table.ts';
import { counts } from '../support/snapshots.ts';
import { propertyRuns } from '../support/runs.ts';

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03'];

const movementArb = fc.record({
  R: fc.integer({ min: 0, max: 40 }),
  noShows: fc.integer({ min: 0, max: 6 }),
  arrived: fc.boolean(),
  day: fc.constantFrom(...DAYS, null),
});
type MovementSpec = typeof movementArb extends fc.Arbitrary<infer T> ? T : never;

const operationArb = fc.array(fc.array(movementArb, { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 4,
});
/** A save: one movement (by position) gets new figures. */
const saveArb = fc.record({ at: fc.nat(), figures: movementArb });

function inputOf(routes: MovementSpec[][]): FigureInput {
  let id = 1;
  const movements = routes.flatMap((ms, r) =>
    ms.map((m) => {
      const D = Math.max(0, m.R - m.noShows);
      return {
        id: id++,
        route: 100 + r,
        arrivedDay: m.arrived ? m.day : null,
        arrivedStatus: m.arrived,
        counts: counts({
          registered: { total: m.R },
          departed: { total: D },
          arrived: { total: m.arrived ? D : null },
        }),
      };
    }),
  );
  return {
    k: 5,
    movements,
    waiting: { known: [], unknown: 0 },
    routes: routes.map((_, r) => 100 + r),
    days: DAYS,
  };
}

function saved(routes: MovementSpec[][], save: { at: number; figures: MovementSpec }): MovementSpec[][] {
  const all = routes.flat();
  const target = all[save.at % all.length]!;
  return routes.map((ms) => ms.map((m) => (m === target ? save.figures : m)));
}

/** A display: the primary rule, and every cell whose bit in `mask` is set withheld. */
function randomDisplay(input: FigureInput, mask: number[]) {
  const { table } = buildTable(input);
  const display = new Map<string, Display>();
  let i = 0;
  for (const c of table.cells.values()) {
    if (c.derived) continue;
    const d = primaryDisplay(c, table.k);
    if (mask[i++ % mask.length]! % 4 === 0) display.set(c.id, 'withheld');
    else if (d !== 'value') display.set(c.id, d);
  }
  return { table, display };
}

const verdict = (r: ReturnType<typeof audit>) => r.failures.map((f) => `${f.item.id}=${f.target}`).sort();

describe('disclosure: the incremental audit gives the full verdict', () => {
  it('finds the same failures as a fresh audit, with witnesses remembered from earlier builds', () => {
    let recalled = 0;
    fc.assert(
      fc.property(
        operationArb,
        fc.array(saveArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat({ max: 7 }), { minLength: 3, maxLength: 9 }),
        (start, saves, mask) => {
          const cache = createAuditCache();
          let routes = start;
          for (const save of [undefined, ...saves]) {
            if (save) routes = saved(routes, save);
            const { table, display } = randomDisplay(inputOf(routes), mask);
            const items = table.smallItems();
            const warm = audit(table, display, items, { cache });
            const fresh = audit(table, display, items);
            recalled += warm.stats.recalled ?? 0;
            expect(warm.ok).toBe(fresh.ok);
            expect(verdict(warm)).toEqual(verdict(fresh));
          }
        },
      ),
      // At least 30 cases even in the fast loop: about 7 in 10 random cases recall nothing,
      // so 6 cases left the check below without a recall in about 1 run of 8 (5 December).
      { numRuns: Math.max(30, propertyRuns(60)) },
    );
    // The memory was used (not a fresh audit twice).
    expect(recalled).toBeGreaterThan(0);
  });

  it('publishes, after each save, only states the full audit proves safe', () => {
    fc.assert(
      fc.property(operationArb, fc.array(saveArb, { minLength: 1, maxLength: 5 }), (start, saves) => {
        const cache = createAuditCache();
        let routes = start;
        let previous: Release | undefined;
        for (const save of [undefined, ...saves]) {
          if (save) routes = saved(routes, save);
          const input = inputOf(routes);
          const d = discloseOperation(1, input, { previous, cache });
          const full = discloseOperation(1, input, { previous, cache: createAuditCache() });
          expect(d.ok).toBe(full.ok);
          if (!d.ok) return;
          const proof = audit(d.table, d.display, d.table.smallItems());
          expect(verdict(proof)).toEqual([]);
          previous = d.release;
        }
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});
