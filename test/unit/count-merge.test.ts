// The field-level merge of figures: only what the person changed applies, what
// only the other changed is kept, and what both changed differently is a conflict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeCounts, rewind } from '../../src/domain/count-merge.ts';
import { type Counts, FIELDS, STAGES, emptyCounts, fieldKey } from '../../src/domain/figures.ts';

const grid = (values: Record<string, number | null>): Counts => {
  const counts = emptyCounts();
  for (const [key, value] of Object.entries(values)) {
    const [stage, field] = key.split('.') as [keyof Counts, keyof Counts['registered']];
    counts[stage][field] = value;
  }
  return counts;
};

describe('mergeCounts', () => {
  it('keeps both when two people edit different groups', () => {
    const base = grid({ 'registered.total': 100 });
    const a = grid({ 'registered.total': 100, 'registered.womenChildren': 40 }); // saved first
    const b = grid({ 'registered.total': 100, 'registered.over60': 25 }); // stale form
    const merged = mergeCounts(base, b, a);
    expect(merged.conflicts).toEqual([]);
    expect(merged.next.registered).toMatchObject({ total: 100, womenChildren: 40, over60: 25 });
    expect(merged.mine).toEqual(['registered.over60']);
    expect(merged.kept).toEqual(['registered.womenChildren']);
  });

  it('reports a field both changed differently with the other value, who and when', () => {
    const base = grid({ 'departed.total': null, 'registered.total': 500 });
    const current = grid({ 'registered.total': 500, 'departed.total': 450 });
    const typed = grid({ 'registered.total': 500, 'departed.total': 460 });
    const at = new Date('2026-03-03T10:00:00Z');
    const merged = mergeCounts(base, typed, current, new Map([['departed.total', { by: 'A', at }]]));
    expect(merged.conflicts).toEqual([
      expect.objectContaining({ key: 'departed.total', mine: 460, theirs: 450, base: null, by: 'A', at }),
    ]);
    expect(merged.next.departed.total).toBe(450); // nothing of the first is lost
  });

  it('is not a conflict when both typed the same value', () => {
    const merged = mergeCounts(grid({}), grid({ 'arrived.total': 3 }), grid({ 'arrived.total': 3 }));
    expect(merged.conflicts).toEqual([]);
  });

  const value = fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null });
  const anyGrid = fc.array(value, { minLength: 15, maxLength: 15 }).map((vs) => {
    const c = emptyCounts();
    let i = 0;
    for (const s of STAGES) for (const f of FIELDS) c[s][f] = vs[i++]!;
    return c;
  });

  it('never drops a change: every field ends as mine, theirs, or is a conflict', () => {
    fc.assert(
      fc.property(anyGrid, anyGrid, anyGrid, (base, typed, current) => {
        const { next, conflicts } = mergeCounts(base, typed, current);
        const conflicted = new Set(conflicts.map((c) => c.key));
        for (const s of STAGES)
          for (const f of FIELDS) {
            const key = fieldKey(s, f);
            if (conflicted.has(key)) expect(next[s][f]).toBe(current[s][f]);
            else if (typed[s][f] !== base[s][f]) expect(next[s][f]).toBe(typed[s][f]);
            else expect(next[s][f]).toBe(current[s][f]);
            if (conflicted.has(key)) {
              expect(typed[s][f]).not.toBe(base[s][f]);
              expect(current[s][f]).not.toBe(base[s][f]);
              expect(current[s][f]).not.toBe(typed[s][f]);
            }
          }
      }),
      { numRuns: 300 },
    );
  });
});

describe('rewind', () => {
  it('undoes later change sets and names the last author of each field', () => {
    const current = grid({ 'registered.total': 130, 'departed.total': 90 });
    const later = [
      {
        actorLabel: 'B',
        createdAt: new Date('2026-03-03T12:00:00Z'),
        changes: [{ stage: 'registered' as const, field: 'total' as const, oldValue: 120, newValue: 130 }],
      },
      {
        actorLabel: 'A',
        createdAt: new Date('2026-03-03T11:00:00Z'),
        changes: [
          { stage: 'registered' as const, field: 'total' as const, oldValue: 100, newValue: 120 },
          { stage: 'departed' as const, field: 'total' as const, oldValue: null, newValue: 90 },
        ],
      },
    ];
    const { base, authors } = rewind(current, later);
    expect(base.registered.total).toBe(100);
    expect(base.departed.total).toBeNull();
    expect(authors.get('registered.total')?.by).toBe('B');
    expect(authors.get('departed.total')?.by).toBe('A');
  });
});
