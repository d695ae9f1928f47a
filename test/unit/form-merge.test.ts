// The field-level merge rule of versioned forms (src/domain/form-merge.ts), on strings:
// mine applied, theirs kept, both-changed-differently a conflict, same value no conflict,
// an absent checkbox with a base is '' (unchecked), a field without a base taken as typed.
import { describe, expect, it } from 'vitest';
import { hasBase, mergeFormValues, rebased } from '../../src/domain/form-merge.ts';

describe('mergeFormValues', () => {
  const now = { version: '3', a: 'A2', b: 'B1', c: 'C2', d: '1', e: 'E1' };
  const typed = {
    version: '2',
    'base.a': 'A1',
    a: 'A1', // left alone, they changed it → theirs
    'base.b': 'B1',
    b: 'B9', // only mine → mine
    'base.c': 'C1',
    c: 'C9', // both, differently → conflict
    'base.d': '', // checkbox: they ticked it, I left it (absent) → theirs
    e: 'E7', // no base: as typed
  };

  it('applies mine, keeps theirs and reports the field both changed', () => {
    const m = mergeFormValues(typed, now);
    expect(m.merged).toMatchObject({ a: 'A2', b: 'B9', c: 'C9', d: '1', e: 'E7' });
    expect(m.mine.sort()).toEqual(['b', 'c']);
    expect(m.kept.sort()).toEqual(['a', 'd']);
    expect(m.conflicts).toEqual([{ field: 'c', base: 'C1', yours: 'C9', theirs: 'C2' }]);
  });

  it('is no conflict when both typed the same value', () => {
    expect(mergeFormValues({ 'base.c': 'C1', c: 'C2' }, now).conflicts).toEqual([]);
  });

  it('rebases: the record now becomes the base and version', () => {
    const next = rebased({ c: 'C9' }, now, 3);
    expect(next).toMatchObject({ version: '3', c: 'C9', 'base.c': 'C2', 'base.a': 'A2' });
    expect(hasBase(next)).toBe(true);
    expect(hasBase({ a: '1' })).toBe(false);
  });
});
