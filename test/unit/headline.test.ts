// What the headline total counts (domain/headline.ts), movement by movement: people
// on evacuation lists, on the way or home, each once. Its label says so in every
// output (test/http/public-story.test.ts); these are the cases the label must stay
// true for: a movement with only a list figure, only departed/arrived figures, or both.
import { describe, expect, it } from 'vitest';
import { emptyStage } from '../../src/domain/figures.ts';
import { type HeadlineMovement, reconcileHeadline } from '../../src/domain/headline.ts';

const stage = (total: number | null) => ({ ...emptyStage(), total });
const m = (
  R: number | null,
  D: number | null,
  A: number | null,
  state: 'waiting' | 'left' | 'arrived',
): HeadlineMovement => ({
  published: state !== 'waiting',
  arrivedStatus: state === 'arrived',
  counts: { registered: stage(R), departed: stage(D), arrived: stage(A) },
});

/** The total and where its people are, as plain numbers (and whether the total is a lower bound). */
function summary(movements: HeadlineMovement[]) {
  const h = reconcileHeadline(movements);
  // Every person is in exactly one bucket: the buckets make the total.
  expect(h.waiting.value + h.onTheWay.value + h.home.value + h.stageNotReported.value).toBe(h.total.value);
  return {
    total: h.total.value,
    atLeast: h.total.atLeast,
    onList: h.waiting.value + h.stageNotReported.value,
    left: h.onTheWay.value + h.home.value,
  };
}

describe('the headline total: on evacuation lists, on the way or home', () => {
  it('only a list figure: the list, waiting or (once it left) with its stage not reported', () => {
    expect(summary([m(343, null, null, 'waiting')])).toEqual({
      total: 343,
      atLeast: false,
      onList: 343,
      left: 0,
    });
    expect(summary([m(467, null, null, 'left')])).toEqual({
      total: 467,
      atLeast: false,
      onList: 467,
      left: 0,
    });
  });

  it('only departed and arrived figures (no list): counted as on the way or home, not as on a list', () => {
    expect(summary([m(null, 306, 306, 'arrived')])).toEqual({
      total: 306,
      atLeast: false,
      onList: 0,
      left: 306,
    });
    expect(summary([m(null, 40, 10, 'left')])).toEqual({ total: 40, atLeast: false, onList: 0, left: 40 });
  });

  it('both: who left once it has left (the rest of its list is not counted again), its list before', () => {
    expect(summary([m(500, 480, null, 'left')])).toEqual({
      total: 480,
      atLeast: false,
      onList: 0,
      left: 480,
    });
    expect(summary([m(500, 480, 470, 'arrived')])).toEqual({
      total: 480,
      atLeast: false,
      onList: 0,
      left: 480,
    });
    expect(summary([m(500, null, null, 'waiting')]).total).toBe(500);
  });

  it('the seed: 467 + 343 on lists and 306 FlyDubai passengers home make 1,116, more than the 810 listed', () => {
    const seed = [m(467, null, null, 'left'), m(343, null, null, 'waiting'), m(null, 306, 306, 'arrived')];
    expect(summary(seed)).toEqual({ total: 1116, atLeast: false, onList: 810, left: 306 });
  });

  it('people with no figure at all make it a lower bound, never a 0 that stands for unknown', () => {
    expect(summary([m(null, null, null, 'waiting'), m(343, null, null, 'waiting')])).toMatchObject({
      total: 343,
      atLeast: true,
    });
    expect(summary([m(null, null, null, 'left')])).toMatchObject({ total: 0, atLeast: true });
  });
});
