// The memo of whole disclosure outcomes (src/domain/disclosure-memo.ts, docs/privacy.md
// "The outcome memo"): an audit run once with the same inputs is not run again, and what
// a hit returns is exactly what a fresh audit returns — passed or refused. A change to any
// input the audit reads (the figures, a held state, its order, a printed value near a
// figure, the threshold, the re-audit flag) is another key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DisclosureMemory,
  type FigureInput,
  type OperationDisclosure,
  type Release,
  DisclosureMemo,
  createAuditCache,
  discloseOperation,
  memoOf,
  rememberReleases,
} from '../../src/domain/disclosure.ts';
import { buildTable } from '../../src/domain/disclosure-cells.ts';
import { relevantMemory } from '../../src/domain/disclosure-memo.ts';
import { emptyCounts } from '../../src/domain/figures.ts';
import { propertyRuns } from '../support/runs.ts';

type Mv = { R: number; D: number; A: number | null; day: 0 | 1 | null };

function inputOf(k: number, routes: Mv[][]): FigureInput {
  const days = ['2026-03-03', '2026-03-04'];
  let id = 1;
  const movements = routes.flatMap((ms, r) =>
    ms.map((m) => {
      const c = emptyCounts();
      c.registered.total = m.R;
      c.departed.total = Math.min(m.D, m.R);
      c.arrived.total = m.A === null ? null : Math.min(m.A, c.departed.total);
      return {
        id: id++,
        route: 100 + r,
        arrivedDay: m.A === null || m.day === null ? null : days[m.day]!,
        arrivedStatus: m.A !== null,
        counts: c,
      };
    }),
  );
  return { k, movements, waiting: { known: [], unknown: 0 }, routes: routes.map((_, r) => 100 + r), days };
}

/** Everything a caller reads of an outcome, as text. */
function outcome(d: OperationDisclosure): string {
  return JSON.stringify({
    ok: d.ok,
    release: d.release,
    display: [...d.display],
    withheld: d.withheld,
    withheldBy: d.withheldBy,
    rounds: d.rounds,
    failures: d.audit.failures,
    stats: d.audit.stats,
  });
}

const figure = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 9 }) },
  { weight: 2, arbitrary: fc.integer({ min: 10, max: 40 }) },
);
const mv = fc.record({
  R: figure,
  D: figure,
  A: fc.option(figure, { nil: null }),
  day: fc.constantFrom(0 as const, 1 as const, null),
});
const spec = fc.record({
  k: fc.integer({ min: 3, max: 8 }),
  routes: fc.array(fc.array(mv, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  edits: fc.array(
    fc.record({
      index: fc.nat(),
      field: fc.constantFrom('R' as const, 'D' as const),
      delta: fc.integer({ min: -6, max: 9 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  // Values "printed" elsewhere (another process, an older state) near the new figures.
  noise: fc.array(fc.record({ cell: fc.nat(), offset: fc.integer({ min: -7, max: 7 }) }), { maxLength: 4 }),
});

describe('disclosure memo: a hit is what a fresh audit returns', () => {
  it('passed and refused outcomes alike, over random states held with the one before (property)', () => {
    let hits = 0;
    let refused = 0;
    fc.assert(
      fc.property(spec, (s) => {
        const before = inputOf(s.k, s.routes);
        const flat = s.routes.flat();
        const next = structuredClone(s.routes);
        for (const e of s.edits) {
          const i = e.index % flat.length;
          let n = 0;
          for (const ms of next)
            for (const m of ms) if (n++ === i) m[e.field] = Math.max(0, m[e.field] + e.delta);
        }
        const after = inputOf(s.k, next);
        const a = discloseOperation(1, before, { cache: createAuditCache({ memo: false }) });
        const previous: Release[] = a.ok ? [a.release] : [];
        const memories = new Map<number, DisclosureMemory>();
        if (a.ok) rememberReleases(memories, [a.release]);
        const memory = memories.get(1) ?? new Map<string, number[]>();
        const cells = [...buildTable(after).table.cells.values()].filter((c) => !c.derived);
        for (const n of s.noise) {
          const c = cells[n.cell % cells.length]!;
          const v = Math.max(0, c.value + n.offset);
          memory.set(c.id, [...(memory.get(c.id) ?? []), v]);
        }
        const o = { previous, memory };
        const cache = createAuditCache();
        const first = discloseOperation(1, after, { ...o, cache });
        const second = discloseOperation(1, after, { ...o, cache });
        const fresh = discloseOperation(1, after, { ...o, cache: createAuditCache({ memo: false }) });
        const stats = memoOf(cache)!.stats();
        // A state equal to a held one is shown as it was, without an audit (and without the memo).
        if (stats.misses > 0) {
          expect(stats).toMatchObject({ hits: 1, misses: 1, entries: 1 });
          hits++;
        }
        if (!first.ok) refused++;
        expect(outcome(second)).toBe(outcome(first));
        expect(outcome(fresh)).toBe(outcome(first));
        // What a caller does with a hit does not reach the memo.
        second.audit.failures.length = 0;
        second.release.hidden.length = 0;
        expect(outcome(discloseOperation(1, after, { ...o, cache }))).toBe(outcome(first));
      }),
      {
        numRuns: propertyRuns(150, process.env.DISCLOSURE_RUNS),
        seed: Number(process.env.DISCLOSURE_SEED ?? 20261205),
      },
    );
    expect(hits).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  }, 120_000);
});

describe('disclosure memo: keys', () => {
  const k = 5;
  const base = inputOf(k, [
    [
      { R: 30, D: 28, A: 3, day: 0 },
      { R: 22, D: 22, A: null, day: null },
    ],
    [{ R: 40, D: 37, A: 12, day: 1 }],
  ]);
  const earlier = inputOf(k, [
    [
      { R: 30, D: 20, A: 3, day: 0 },
      { R: 22, D: 22, A: null, day: null },
    ],
    [{ R: 40, D: 30, A: null, day: null }],
  ]);
  const other = inputOf(k, [[{ R: 30, D: 30, A: null, day: null }], [{ R: 40, D: 40, A: null, day: null }]]);
  const held = discloseOperation(1, earlier).release;
  const held2 = discloseOperation(1, other).release;

  function run(
    input: FigureInput,
    previous: Release[],
    memory: DisclosureMemory,
    cache = createAuditCache(),
  ) {
    discloseOperation(1, input, { previous, memory, cache });
    return memoOf(cache)!.stats();
  }

  it('misses on any change to what the audit reads, and only then', () => {
    const memory: DisclosureMemory = new Map([['op.D', [84]]]);
    const cache = createAuditCache();
    expect(run(base, [held, held2], memory, cache)).toMatchObject({ hits: 0, misses: 1 });
    expect(run(base, [held, held2], new Map(memory), cache)).toMatchObject({ hits: 1, misses: 1 });
    // Another figure; another threshold; the held states in another order, or one fewer.
    const moved = structuredClone(base);
    moved.movements[1]!.counts.registered.total = 23;
    expect(run(moved, [held, held2], memory, cache)).toMatchObject({ hits: 1, misses: 2 });
    expect(run({ ...base, k: 6 }, [held, held2], memory, cache)).toMatchObject({ hits: 1, misses: 3 });
    expect(run(base, [held2, held], memory, cache)).toMatchObject({ hits: 1, misses: 4 });
    expect(run(base, [held], memory, cache)).toMatchObject({ hits: 1, misses: 5 });
    // A held state shown otherwise (one more cell withheld).
    const shownOtherwise: Release = { ...held, hidden: [...held.hidden, ['op.A', 'withheld']] };
    expect(run(base, [shownOtherwise, held2], memory, cache)).toMatchObject({ hits: 1, misses: 6 });
    // A printed value within k − 1 of a figure (op.D is 87 now) is another key; one farther is not.
    expect(run(base, [held, held2], new Map([['op.D', [84, 89]]]), cache)).toMatchObject({ misses: 7 });
    expect(run(base, [held, held2], new Map([['op.D', [84, 40]]]), cache)).toMatchObject({
      hits: 2,
      misses: 7,
    });
    // The same values in another order make the items in another order: another key.
    expect(run(base, [held, held2], new Map([['op.D', [89, 84]]]), cache)).toMatchObject({ misses: 8 });
    // Re-audited from the first held state.
    discloseOperation(1, base, { previous: [held, held2], memory, cache, reaudit: true });
    expect(memoOf(cache)!.stats()).toMatchObject({ misses: 9 });
  });

  it('keeps only the printed values near a figure in the key', () => {
    const table = buildTable(base).table;
    expect(relevantMemory(table, new Map([['op.D', [40, 200, 83, 91, 87]]]))).toBe('op.D=83,91');
    expect(relevantMemory(table, new Map([['m1.D', [25, 28, 31, 33]]]))).toBe('m1.D=25,31');
    expect(relevantMemory(table, undefined)).toBe('');
  });

  it('is bounded in entries and in size, the least recently used going first', () => {
    const memo = new DisclosureMemo({ entries: 2, bytes: 10_000 });
    const o = (n: number) => ({
      ok: true,
      hidden: Array.from({ length: n }, (_, i) => [`c${i}`, 'withheld'] as [string, 'withheld']),
      audit: {
        ok: true,
        failures: [],
        stats: { components: 0, audited: 0, reused: 0, solves: 0, unknowns: 0 },
      },
      withheld: n,
      withheldBy: {},
      rounds: 0,
    });
    memo.set('a', o(1));
    memo.set('b', o(1));
    expect(memo.get('a')).toBeDefined();
    memo.set('c', o(1));
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('a')).toBeDefined();
    expect(memo.stats()).toMatchObject({ entries: 2, evicted: 1 });
    // Past the size: the oldest go until it fits; an outcome larger than the whole is not kept.
    memo.set('d', o(100));
    expect(memo.stats().bytes).toBeLessThanOrEqual(10_000);
    expect(memo.get('d')).toBeDefined();
    memo.set('e', o(1_000));
    expect(memo.get('e')).toBeUndefined();
  });
});
