// Which departure "the next departure" names: one rule for the headline, its sentence
// (headline-story.ts) and a route's card (presenters/public-routes.ts), so they never
// disagree on a day or on whether that day has passed. `overdue` is the projection's
// (project-operation.ts: the day is before today in the operation's zone, by the
// injected clock); nothing here reads a clock.
import type { PublicOperation } from './public-projection.ts';

export type Departure = PublicOperation['nextDepartures'][number];

/**
 * The first departure still to come (they are by day, undated last); when every one's
 * day has passed without news, the first of those, which is then said to be overdue.
 */
export function nextDeparture<D extends Pick<Departure, 'overdue'>>(departures: readonly D[]): D | undefined {
  return departures.find((d) => !d.overdue) ?? departures[0];
}
