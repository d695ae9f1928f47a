// When the content of a public output last changed: its Last-Modified. Computed from the
// projection alone, so every process dates the same content the same way.
//
// Content changes in two ways: something is recorded (a figure, a route, a notice — the
// projection's lastUpdatedAt), or time passes a mark and the same records read
// differently: a route turns stale (staleness.ts: its figures' as-of + staleAfterHours, from
// the end of the as-of's day when the source gave a day only), a departed movement's
// publication delay ends, a departure's day passes without news (overdue, on the first
// moment of the next day in the operation's time zone). Each output counts only the
// marks it shows.
import { dayBounds } from '../domain/calendar.ts';
import type { PublicProjection } from '../domain/privacy.ts';
import { routeStaleFrom } from '../domain/staleness.ts';
import type { PublicFormat } from './build.ts';

export type TimeMark = 'stale' | 'published' | 'overdue';

/** The time-driven marks each output shows (the page and the JSON show all). */
const MARKS: Record<string, ReadonlySet<TimeMark>> = {
  html: new Set(['stale', 'published', 'overdue']),
  json: new Set(['stale', 'published', 'overdue']),
  atom: new Set(['stale', 'published']),
  csv: new Set(['stale', 'published']),
  hxl: new Set(['stale', 'published']),
  // Settings and sources only: no mark of time.
  methodology: new Set(),
};

const MINUTE = 60_000;

/** The first instant of the day after `day` (YYYY-MM-DD) in `timeZone`. */
const startOfNextDay = (day: string, timeZone: string): number => dayBounds(day, timeZone).end.getTime();

/** The time of the latest change of the content of `format`, at or before `now`. */
export function contentChangedAt(p: PublicProjection, format: PublicFormat, now: Date): Date {
  // A route's page and the timeline's pages show what the page shows.
  const marks = MARKS[format] ?? MARKS.html!;
  const limit = now.getTime();
  let latest = p.lastUpdatedAt.getTime();
  const mark = (t: number) => {
    if (t <= limit && t > latest) latest = t;
  };
  for (const op of p.operations) {
    for (const r of op.routes) {
      const staleAt = marks.has('stale') && r.stale ? routeStaleFrom(r, op) : null;
      if (staleAt) mark(staleAt.getTime());
      if (!marks.has('published')) continue;
      for (const m of r.movements)
        if (m.published)
          // As privacy.ts dates it: from departure, or from when it was recorded without a time.
          mark((m.departedAt ?? m.updatedAt).getTime() + op.publicationDelayMinutes * MINUTE);
    }
    if (marks.has('overdue'))
      for (const d of op.nextDepartures)
        if (d.overdue && d.scheduledDate) mark(startOfNextDay(d.scheduledDate, op.timeZone));
  }
  return new Date(latest);
}
