import { type Counts, emptyCounts } from '../src/domain/figures.ts';

/** Figures the updater writes: departed and arrived, broken down in part. */
export function figuresFor(departed: number): Counts {
  const c = emptyCounts();
  c.registered.total = departed + 20;
  c.departed.total = departed;
  c.departed.over60 = Math.floor(departed / 5);
  c.departed.womenChildren = Math.floor(departed / 3);
  c.arrived.total = departed - 40;
  c.arrived.over60 = Math.floor(departed / 5) - 10;
  return c;
}
