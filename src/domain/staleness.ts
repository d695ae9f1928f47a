// When figures turn stale: the one rule, used by the public projection, its
// Last-Modified and Atom dates, the digest and (as SQL, stale-sql.ts) the staff
// dashboard. A figure is fresh for the operation's stale threshold after the latest
// moment it may have been true: its as-of when the source gave a time; when it gave a
// day only (asOfTimeKnown false, stored as that day's local midnight), the END of that
// local day — the report may be from any time that day, and staleness must never claim
// more than the source. The day's end is reckoned in the operation's zone (calendar.ts),
// so a day of 23 or 25 hours (DST) ends at its real next midnight, not 24 h later.
import { dayBounds, localDay } from './calendar.ts';
import type { PublicOperation, PublicRoute } from './public-projection.ts';

const HOUR = 3_600_000;

/** The latest moment figures as of `asOf` may have been true. */
export function latestTrueAt(asOf: Date, asOfTimeKnown: boolean, timeZone: string): Date {
  return asOfTimeKnown ? asOf : dayBounds(localDay(asOf, timeZone), timeZone).end;
}

/** The instant figures as of `asOf` turn stale: stale at any moment after it. */
export function staleFrom(
  asOf: Date,
  asOfTimeKnown: boolean,
  timeZone: string,
  staleAfterHours: number,
): Date {
  return new Date(latestTrueAt(asOf, asOfTimeKnown, timeZone).getTime() + staleAfterHours * HOUR);
}

/** Stale at `now`: strictly after staleFrom (at the instant itself, still fresh). */
export function isStale(
  asOf: Date,
  asOfTimeKnown: boolean,
  timeZone: string,
  staleAfterHours: number,
  now: Date,
): boolean {
  return now.getTime() > staleFrom(asOf, asOfTimeKnown, timeZone, staleAfterHours).getTime();
}

/**
 * When a public route turns stale (null: it never does — no figures yet, or final):
 * from its "figures as of". Last-Modified and the Atom entry date the stale mark by it.
 */
export function routeStaleFrom(
  r: Pick<PublicRoute, 'figuresAsOf' | 'figuresAsOfTimeKnown' | 'final'>,
  op: Pick<PublicOperation, 'timeZone' | 'staleAfterHours'>,
): Date | null {
  if (!r.figuresAsOf || r.final) return null;
  return staleFrom(r.figuresAsOf, r.figuresAsOfTimeKnown, op.timeZone, op.staleAfterHours);
}
