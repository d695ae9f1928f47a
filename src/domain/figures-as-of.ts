// "Figures as of …": the evacuation's time of what a view shows — the latest
// as-of among the figures and the event times (departed, arrived) it shows,
// never when they were written. Used by the public projection and the digest.
import type { SnapshotMovement } from './snapshot.ts';

/** A moment and whether its time of day is known (false: the source gave the day only). */
export type AsOfMoment = { at: Date; timeKnown: boolean };

const later = (a: AsOfMoment | null, b: AsOfMoment | null): AsOfMoment | null =>
  !a ? b : !b ? a : b.at > a.at ? b : a;

/** What a shown movement contributes: its figures' as-of and its event times up to `until`. */
export function movementAsOfMoment(
  m: SnapshotMovement,
  until: Date,
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
  ].reduce(later, null);
}

/** The latest of several (null when none is known). */
export function latestMoment(moments: (AsOfMoment | null)[]): AsOfMoment | null {
  return moments.reduce(later, null);
}

/**
 * Final figures: the operation is closed, or it has movements and every one of
 * them arrived or was cancelled. Final figures are never stale.
 */
export function isFinal(status: 'active' | 'closed', movements: SnapshotMovement[]): boolean {
  if (status === 'closed') return true;
  return movements.length > 0 && movements.every((m) => m.status === 'arrived' || m.status === 'cancelled');
}
