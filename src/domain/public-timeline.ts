// The timeline of public events of an operation, newest first: departures,
// arrivals, cancellations, border crossings' status, notices and corrections,
// each with when it happened and its source. Made from the public projection
// only, so it shows nothing the page does not; the page's timeline, its older
// pages (/{lang}/timeline/2 …) and the Atom feed's entries are these events.
//
// When an event's time was not recorded, it is dated by its day (the scheduled
// day), else by its source's day, else by when it was recorded, and says so (`precision`).
// A rescheduling (its planned day moved while it had not left, reschedulings.ts) is
// dated when it was recorded, the moment the page said it, with the route's source
// (the movement's, once it is published).
import type { Localized, LocalizedText } from '../../db/schema.ts';
import { startOfDay } from './calendar.ts';
import type {
  PublicFigure,
  PublicOperation,
  PublicRoute,
  PublicSource,
  PublishedMovement,
} from './public-projection.ts';
import { byCodeUnits } from '../compare.ts';

export type TimelineEventKind =
  'departed' | 'arrived' | 'cancelled' | 'rescheduled' | 'crossing' | 'notice' | 'corrected';

export type TimelineEvent = {
  /** Stable for as long as the record lives: the feed's tag: id (movement/7/departed). */
  id: string;
  kind: TimelineEventKind;
  at: Date;
  /**
   * 'time': `at` is the recorded time; 'day': only its day is known; 'reported': neither,
   * dated by its source's day; 'recorded': none of these, dated when it was recorded.
   */
  precision: 'time' | 'day' | 'reported' | 'recorded';
  route: { id: number; slug: string; names: LocalizedText } | null;
  /** The movement's label in every language it was written in (the presenter picks and marks one). */
  movement: { id: number; labels: Localized; kind: string } | null;
  /** The figure the event is about: departed for a departure, arrived for an arrival. */
  figure: PublicFigure | null;
  /** A notice's text; a crossing's places. */
  bodies: Localized | null;
  crossing: {
    from: LocalizedText;
    to: LocalizedText;
    status: 'open' | 'restricted' | 'closed' | null;
  } | null;
  source: PublicSource | null;
  /** A rescheduling's days (YYYY-MM-DD): the one it was set for and the new one. */
  days: { from: string; to: string } | null;
};

/** A change this long after a movement's last event is a correction, not its recording. */
const CORRECTION_AFTER_MS = 24 * 3_600_000;

/** Timelines already made, per projected operation (a projection is never changed once made). */
const timelines = new WeakMap<PublicOperation, readonly TimelineEvent[]>();

/**
 * Every public event of the operation, newest first (ties by id, the same order in every
 * language). Made once per projected operation: every page of the timeline, the feed and the
 * list of pages read it, and at 1,000 movements making it costs about 20 ms (time zones).
 */
export function operationTimeline(op: PublicOperation): readonly TimelineEvent[] {
  let made = timelines.get(op);
  if (!made) timelines.set(op, (made = makeTimeline(op)));
  return made;
}

function makeTimeline(op: PublicOperation): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const tz = op.timeZone;
  const dayStart = (day: string | null) => (day ? startOfDay(day, tz) : null);
  for (const n of op.notices) {
    // A note stating a report's fact, dated by that report's day (the seed's): never "00:00".
    const cited = dayStart(n.source?.publishedOn ?? null);
    const precision = cited?.getTime() === n.publishedAt.getTime() ? 'reported' : 'time';
    events.push({
      ...blank(`notice/${n.id}`, 'notice', n.publishedAt, precision),
      bodies: n.bodies,
      source: n.source,
    });
  }
  for (const r of op.routes) {
    const route = { id: r.id, slug: r.slug, names: r.names };
    for (const l of r.legs)
      if (l.crossesBorder && l.crossingStatus)
        events.push({
          ...blank(`route/${r.id}/leg/${l.position}/crossing`, 'crossing', l.updatedAt, 'recorded'),
          route,
          crossing: { from: l.from.names, to: l.to.names, status: l.crossingStatus },
          source: r.source,
        });
    for (const m of r.movements) {
      for (const x of m.reschedulings ?? [])
        events.push({
          ...blank(`movement/${m.id}/rescheduled/${x.at.getTime()}`, 'rescheduled', x.at, 'time'),
          route,
          days: { from: x.from, to: x.to },
          source: (m.published ? m.source : null) ?? r.source,
        });
      if (!m.published) {
        if (m.status !== 'cancelled') continue;
        const at = dayStart(m.scheduledDate);
        if (at) events.push({ ...blank(`movement/${m.id}/cancelled`, 'cancelled', at, 'day'), route });
        continue;
      }
      events.push(...movementEvents(m, r, route, dayStart, op.publicationDelayMinutes));
    }
  }
  return events.sort((a, b) => b.at.getTime() - a.at.getTime() || byCodeUnits(a.id, b.id));
}

function movementEvents(
  m: PublishedMovement,
  r: PublicRoute,
  route: NonNullable<TimelineEvent['route']>,
  dayStart: (day: string | null) => Date | null,
  delayMinutes: number,
): TimelineEvent[] {
  const movement = { id: m.id, labels: m.labels, kind: m.kind };
  const source = m.source ?? r.source;
  const out: TimelineEvent[] = [];
  const reported = dayStart(source?.publishedOn ?? null);
  // A departure reported by its day only ("on March 3") is dated to the day, never "00:00".
  const dayOnly = m.departedAt !== null && !m.departedTimeKnown;
  const left = when(
    dayOnly ? null : m.departedAt,
    dayOnly ? m.departedAt : dayStart(m.scheduledDate),
    reported,
    m.updatedAt,
  );
  out.push({
    ...blank(`movement/${m.id}/departed`, 'departed', left.at, left.precision),
    route,
    movement,
    figure: m.figures.departed,
    source,
  });
  let last = left.at.getTime() + delayMinutes * 60_000;
  if (m.status === 'arrived') {
    const came = when(m.arrivedAt, null, reported, m.updatedAt);
    out.push({
      ...blank(`movement/${m.id}/arrived`, 'arrived', came.at, came.precision),
      route,
      movement,
      figure: m.figures.arrived,
      source,
    });
    last = Math.max(last, came.at.getTime());
  }
  // Changed well after its last event was public: its figures were corrected or completed
  // (only said when that event's time is known; otherwise its recording is no news).
  const timed = out.every((e) => e.precision === 'time');
  if (timed && m.updatedAt.getTime() > last + CORRECTION_AFTER_MS)
    out.push({
      ...blank(`movement/${m.id}/corrected/${m.updatedAt.getTime()}`, 'corrected', m.updatedAt, 'time'),
      route,
      movement,
      source,
    });
  return out;
}

/** The event's time: recorded, else its day, else its source's day, else when it was recorded. */
function when(time: Date | null, day: Date | null, reported: Date | null, recorded: Date) {
  if (time) return { at: time, precision: 'time' as const };
  if (day) return { at: day, precision: 'day' as const };
  if (reported) return { at: reported, precision: 'reported' as const };
  return { at: recorded, precision: 'recorded' as const };
}

function blank(
  id: string,
  kind: TimelineEventKind,
  at: Date,
  precision: TimelineEvent['precision'],
): TimelineEvent {
  return {
    id,
    kind,
    at,
    precision,
    route: null,
    movement: null,
    figure: null,
    bodies: null,
    crossing: null,
    source: null,
    days: null,
  };
}

/** One page of the timeline: `size` events, page 1 the newest. */
export function timelinePage(events: readonly TimelineEvent[], page: number, size: number) {
  const pages = Math.max(1, Math.ceil(events.length / size));
  return { events: events.slice((page - 1) * size, page * size), page, pages };
}
