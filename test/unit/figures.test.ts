import { describe, expect, it } from 'vitest';
import {
  countErrors,
  diffCounts,
  emptyCounts,
  notBrokenDown,
  parseFigure,
  revertChanges,
} from '../../src/domain/figures.ts';
import { canTransition } from '../../src/domain/movement-status.ts';
import { counts } from '../support/factories.ts';

describe('parseFigure', () => {
  it('reads blanks as not reported and whole numbers as figures', () => {
    expect(parseFigure('')).toEqual({ value: null });
    expect(parseFigure('  ')).toEqual({ value: null });
    expect(parseFigure('467')).toEqual({ value: 467 });
    expect(parseFigure('1 200')).toEqual({ value: 1200 });
    expect(parseFigure(0)).toEqual({ value: 0 });
  });
  it.each([
    ['-3', 'figure.negative'],
    ['2.5', 'figure.not_integer'],
    ['12abc', 'figure.not_integer'],
    ['1e3', 'figure.not_integer'],
    ['99999999999', 'figure.too_large'],
    [-1, 'figure.negative'],
    [1.5, 'figure.not_integer'],
  ])('refuses %s', (raw, error) => {
    expect(parseFigure(raw)).toEqual({ error });
  });
});

describe('countErrors', () => {
  it('accepts empty figures, totals only, and partial breakdowns', () => {
    expect(countErrors(emptyCounts())).toEqual({});
    expect(countErrors(counts({ registered: { total: 467 } }))).toEqual({});
    expect(
      countErrors(counts({ departed: { total: 10, over60: 3 }, arrived: { total: 5, over60: 2 } })),
    ).toEqual({});
  });
  it('refuses negative and fractional figures', () => {
    expect(countErrors(counts({ registered: { total: -1 } }))).toEqual({
      'registered.total': 'figure.negative',
    });
    expect(countErrors(counts({ registered: { total: 10, medical: 1.5 } }))).toEqual({
      'registered.medical': 'figure.not_integer',
    });
  });
  it('refuses a breakdown above its total, and groups without a total', () => {
    expect(countErrors(counts({ registered: { total: 5, over60: 4, medical: 2 } }))).toEqual({
      'registered.total': 'figure.breakdown_exceeds_total',
    });
    expect(countErrors(counts({ registered: { over60: 4 } }))).toEqual({
      'registered.total': 'figure.total_required',
    });
  });
  it('refuses arrived above departed, in total and per group', () => {
    expect(countErrors(counts({ departed: { total: 5 }, arrived: { total: 6 } }))).toEqual({
      'arrived.total': 'figure.arrived_exceeds_departed',
    });
    expect(countErrors(counts({ arrived: { total: 1 } }))).toEqual({
      'arrived.total': 'figure.arrived_exceeds_departed',
    });
    expect(
      countErrors(counts({ departed: { total: 9, over60: 2 }, arrived: { total: 5, over60: 3 } })),
    ).toEqual({
      'arrived.over60': 'figure.arrived_exceeds_departed',
    });
  });
});

describe('diff and revert', () => {
  it('lists changed fields and reverts them exactly', () => {
    const before = counts({ registered: { total: 467 } });
    const after = counts({ registered: { total: 470, medical: 12 }, departed: { total: 100 } });
    const changes = diffCounts(before, after);
    expect(changes).toEqual([
      { stage: 'registered', field: 'total', oldValue: 467, newValue: 470 },
      { stage: 'registered', field: 'medical', oldValue: null, newValue: 12 },
      { stage: 'departed', field: 'total', oldValue: null, newValue: 100 },
    ]);
    expect(revertChanges(after, changes)).toEqual(before);
    expect(notBrokenDown(after.registered)).toBe(458);
    expect(notBrokenDown(after.arrived)).toBeNull();
  });
});

describe('movement status machine', () => {
  it('allows only forward transitions', () => {
    expect(canTransition('planned', 'departed')).toBe(true);
    expect(canTransition('departed', 'arrived')).toBe(true);
    expect(canTransition('arrived', 'planned')).toBe(false);
    expect(canTransition('departed', 'planned')).toBe(false);
    expect(canTransition('cancelled', 'planned')).toBe(true);
  });
});
