// The headline that reconciles: every person on a live movement is in exactly
// one bucket, and the buckets add up to the total, people on evacuation lists, on
// the way or home. It is not the number on the lists: a movement reported only as
// departed or arrived (the seed's FlyDubai passengers: no list figure) counts its
// people as on the way or home, and a movement that left counts who left, not its list.
//
//   waiting to leave     registered on movements that have not (publicly) left
//   on the way           departed − arrived, on movements that have left;
//                        all departed, on a movement that left and has not arrived
//   arrived home         arrived
//   stage not reported   registered on a movement that left with no departed figure;
//                        departed on a movement marked arrived with no arrived figure
//
//   total = waiting + on the way + home + stage not reported
//         = Σ registered (not left) + Σ departed (left) + Σ registered (left, departed not reported)
//
// People on a list who did not leave with their movement (registered − departed)
// are not counted again: they are usually on a later list. A movement with no
// figure at all adds people nobody has counted, so the total and its bucket are
// "at least"; so are on the way and home when some people's stage is not reported.
// The page, JSON, CSV, feed and digest all take the headline from here (through
// the public projection); the disclosure model (disclosure-cells.ts) writes the
// same sums as relations.
import type { Counts } from './figures.ts';

export type HeadlineMovement = {
  /** Departed and past the publication delay; otherwise its people are waiting. */
  published: boolean;
  /** Recorded as arrived (its status), whatever its figures say. */
  arrivedStatus: boolean;
  counts: Pick<Counts, 'registered' | 'departed' | 'arrived'>;
};

export type Bucket = { value: number; atLeast: boolean };
export type Headline = {
  total: Bucket;
  waiting: Bucket;
  onTheWay: Bucket;
  home: Bucket;
  stageNotReported: Bucket;
};

/** How one movement's people split into the buckets (the part the table also needs). */
export function movementShare(m: HeadlineMovement) {
  const R = m.counts.registered.total;
  const D = m.counts.departed.total;
  const A = m.counts.arrived.total;
  if (!m.published)
    return { waiting: R, onTheWay: 0, home: 0, stageNotReported: 0, unknownPeople: R === null };
  if (D === null)
    return { waiting: 0, onTheWay: 0, home: 0, stageNotReported: R ?? 0, unknownPeople: R === null };
  if (A !== null) return { waiting: 0, onTheWay: D - A, home: A, stageNotReported: 0, unknownPeople: false };
  return m.arrivedStatus
    ? { waiting: 0, onTheWay: 0, home: 0, stageNotReported: D, unknownPeople: false }
    : { waiting: 0, onTheWay: D, home: 0, stageNotReported: 0, unknownPeople: false };
}

export function reconcileHeadline(movements: HeadlineMovement[]): Headline {
  let waiting = 0;
  let onTheWay = 0;
  let home = 0;
  let notReported = 0;
  let waitingUnknown = false;
  let leftUnknown = false;
  let arrivedUnknown = false;
  for (const m of movements) {
    const s = movementShare(m);
    waiting += s.waiting ?? 0;
    onTheWay += s.onTheWay;
    home += s.home;
    notReported += s.stageNotReported;
    if (s.unknownPeople) {
      if (!m.published) waitingUnknown = true;
      else if (m.arrivedStatus) arrivedUnknown = true;
      else leftUnknown = true;
    }
  }
  // Some people's stage is not reported: they may be on the way or home already.
  const stageOpen = notReported > 0;
  return {
    total: {
      value: waiting + onTheWay + home + notReported,
      atLeast: waitingUnknown || leftUnknown || arrivedUnknown,
    },
    waiting: { value: waiting, atLeast: waitingUnknown },
    onTheWay: { value: onTheWay, atLeast: stageOpen || leftUnknown },
    home: { value: home, atLeast: stageOpen || arrivedUnknown },
    stageNotReported: { value: notReported, atLeast: false },
  };
}
