// "Figures as of …": the evacuation's time of what a view shows — the latest
// as-of among the figures and the event times (departed, arrived) it shows,
// never when they were written. Used by the public projection and the digest.
import type { SnapshotMovement } from './snapshot.ts';
import { latestTrueAt } from './staleness.ts';

/** A moment and whether its time of day is known (false: the source gave the day only). */
export type AsOfMoment = { at: Date; timeKnown: boolean };

/**
 * The later of two moments, by the latest instant each may have been true (staleness.ts): a
 * day-only as-of is stored as its local day's midnight, but its report may be from any time
 * that day, so a timed figure of the same day is not later than it. Compared by the stored
 * instants, a route with both showed the timed one and turned stale hours before the day-only
 * figure alone would have. On a tie the timed one, which says more.
 */
const laterIn =
  (timeZone: string) =>
  (a: AsOfMoment | null, b: AsOfMoment | null): AsOfMoment | null => {
    if (!a || !b) return a ?? b;
    const ta = latestTrueAt(a.at, a.timeKnown, timeZone).getTime();
    const tb = latestTrueAt(b.at, b.timeKnown, timeZone).getTime();
    if (ta !== tb) return tb > ta ? b : a;
    return b.timeKnown && !a.timeKnown ? b : a;
  };

/**
 * What a shown movement contributes: its figures' as-of and its event times up to `until`;
 * days end in the operation's `timeZone`.
 */
export function movementAsOfMoment(
  m: SnapshotMovement,
  until: Date,
  timeZone: string,
  registeredOnly = false,
): AsOfMoment | null {
  const upTo = (at: Date | null, timeKnown: boolean): AsOfMoment | null =>
    at && at <= until ? { at, timeKnown } : null;
  if (registeredOnly) return upTo(m.registeredAsOf, m.figuresAsOfTimeKnown);
  return [
    upTo(m.figuresAsOf, m.figuresAsOfTimeKnown),
    upTo(m.departedAt, m.departedTimeKnown),
    upTo(m.arrivedAt, m.arrivedTimeKnown),
    m.status === 'departed' || m.status === 'arrived' ? upTo(m.statusAsOf, false) : null,
  ].reduce(laterIn(timeZone), null);
}

/** The latest of several (null when none is known); days end in the operation's `timeZone`. */
export function latestMoment(moments: (AsOfMoment | null)[], timeZone: string): AsOfMoment | null {
  return moments.reduce(laterIn(timeZone), null);
}

/**
 * Final figures: the operation is closed, or it has movements and every one of
 * them arrived or was cancelled. Final figures are never stale.
 */
export function isFinal(status: 'active' | 'closed', movements: SnapshotMovement[]): boolean {
  if (status === 'closed') return true;
  return movements.length > 0 && movements.every((m) => m.status === 'arrived' || m.status === 'cancelled');
}
