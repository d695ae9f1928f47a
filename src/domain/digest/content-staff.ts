// The staff version of a day's digest: from the full snapshot, with every
// movement's label, notes and meeting point, and exact figures (no disclosure
// control: it goes to staff only). Totals reconcile as the public headline does.
import { reconcileHeadline } from '../headline.ts';
import { GROUPS, STAGES, type Stage } from '../figures.ts';
import { hasDeparted } from '../movement-status.ts';
import type { Snapshot, SnapshotMovement, SnapshotRoute } from '../snapshot.ts';
import {
  type DigestContent,
  type Figure,
  type MovementLine,
  type StageFigureSet,
  iso,
  operationHeader,
  sumKnown,
  value,
} from './content-model.ts';
import { inDayOf, shiftDay } from './day.ts';
import { routeStale } from './day-facts.ts';

export function buildStaff(snap: Snapshot, day: string, now: Date, generatedAt: Date): DigestContent {
  const nextDay = shiftDay(day, 1);
  const live = snap.routes.flatMap((r) => r.movements.filter((m) => m.status !== 'cancelled'));
  const { lines, scheduledNextDay, dueNotDeparted, arrivals } = dayLines(snap, day, nextDay);
  return {
    audience: 'staff',
    operation: operationHeader(snap),
    day,
    nextDay,
    generatedAt: generatedAt.toISOString(),
    lastUpdatedAt: snap.lastUpdatedAt.toISOString(),
    previous: null,
    arrivedOnDay: !arrivals.any && arrivals.undated.length ? { kind: 'not_reported' } : value(arrivals.onDay),
    arrivedUndated: arrivals.undated.length ? value(sumKnown(arrivals.undated)) : null,
    totals: staffTotals(live),
    ...lines,
    scheduledNextDay,
    dueNotDeparted,
    routes: routeSummaries(snap, now),
    groups: groupFigures(live),
    notices: noticeItems(snap, now),
  };
}

const stageTotal = (s: Stage, ms: SnapshotMovement[]) => sumKnown(ms.map((m) => m.counts[s].total));

/** One movement as a digest line, at a time with the figure that goes with it. */
function movementLine(
  r: SnapshotRoute,
  m: SnapshotMovement,
  at: Date | null,
  people: Figure | null,
  timeKnown = true,
): MovementLine {
  return {
    id: m.id,
    routeId: r.id,
    routeNames: r.names,
    label: m.label,
    labels: m.labels,
    scheduledDate: m.scheduledDate,
    at: iso(at),
    timeKnown,
    people,
    status: m.status,
    delayed: m.delayed,
    staffNote: m.staffNote,
    meetingPoint: m.meetingPoint,
    scheduledDepartureAt: iso(m.scheduledDepartureAt),
  };
}

/**
 * What happened during the day, movement by movement: departures, arrivals and
 * cancellations in it, what is due tomorrow and what was due today and has not left,
 * and the people who arrived that day (with arrivals that have no date apart).
 */
function dayLines(snap: Snapshot, day: string, nextDay: string) {
  const inDay = inDayOf(day, snap.operation.timeZone);
  const lines = {
    departed: [] as MovementLine[],
    arrived: [] as MovementLine[],
    cancelled: [] as MovementLine[],
  };
  const scheduledNextDay: MovementLine[] = [];
  const dueNotDeparted: MovementLine[] = [];
  const arrivals = { onDay: 0, any: false, undated: [] as (number | null)[] };
  for (const r of snap.routes) {
    for (const m of r.movements) {
      const line = (at: Date | null, people: Figure | null, timeKnown = true) =>
        movementLine(r, m, at, people, timeKnown);
      if (m.status === 'cancelled') {
        if (m.cancelledAt ? inDay(m.cancelledAt) : m.scheduledDate === day)
          lines.cancelled.push(line(m.cancelledAt, value(m.counts.registered.total)));
        continue;
      }
      if (inDay(m.departedAt))
        lines.departed.push(line(m.departedAt, value(m.counts.departed.total), m.departedTimeKnown));
      if (inDay(m.arrivedAt)) {
        lines.arrived.push(line(m.arrivedAt, value(m.counts.arrived.total), m.arrivedTimeKnown));
        arrivals.onDay += m.counts.arrived.total ?? 0;
        arrivals.any = true;
      } else if (!m.arrivedAt && m.counts.arrived.total !== null)
        arrivals.undated.push(m.counts.arrived.total);
      const waiting = m.status === 'planned' || m.status === 'boarding';
      if (m.scheduledDate === nextDay && waiting)
        scheduledNextDay.push(line(m.scheduledDepartureAt, value(m.counts.registered.total)));
      if (m.scheduledDate === day && waiting)
        dueNotDeparted.push(line(m.scheduledDepartureAt, value(m.counts.registered.total)));
    }
  }
  return { lines, scheduledNextDay, dueNotDeparted, arrivals };
}

/** The headline's buckets as figures: a lower bound is "at least", or "not reported" at 0. */
const bucket = (b: { value: number; atLeast: boolean }): Figure =>
  b.atLeast
    ? b.value > 0
      ? { kind: 'at_least', value: b.value }
      : { kind: 'not_reported' }
    : value(b.value);

/** The operation's totals, reconciled as the public headline is (exact: staff only). */
function staffTotals(live: SnapshotMovement[]): DigestContent['totals'] {
  const headline = reconcileHeadline(
    live.map((m) => ({
      published: hasDeparted(m.status),
      arrivedStatus: m.status === 'arrived',
      counts: m.counts,
    })),
  );
  return {
    registered: bucket(headline.total),
    departed: value(stageTotal('departed', live)),
    arrived: bucket(headline.home),
    onTheWay: bucket(headline.onTheWay),
    waiting: bucket(headline.waiting),
    stageNotReported: bucket(headline.stageNotReported),
  };
}

/** Each route's figures per stage (cancelled movements left out), staleness and notes. */
function routeSummaries(snap: Snapshot, now: Date): DigestContent['routes'] {
  return snap.routes.map((r) => {
    const ms = r.movements.filter((m) => m.status !== 'cancelled');
    return {
      id: r.id,
      names: r.names,
      figures: {
        registered: value(stageTotal('registered', ms)),
        departed: value(stageTotal('departed', ms)),
        arrived: value(stageTotal('arrived', ms)),
      },
      change: null,
      stale: routeStale(r, snap.operation, now),
      updatedAt: r.updatedAt.toISOString(),
      publicNotes: r.publicNotes,
      staffNote: r.staffNote,
    };
  });
}

/** Figures per priority group and stage (and what is not broken down), where any breakdown is known. */
function groupFigures(live: SnapshotMovement[]): DigestContent['groups'] {
  return [...GROUPS, 'notBrokenDown' as const]
    .map((g) => {
      const figures = {} as StageFigureSet;
      for (const s of STAGES) {
        const withTotal = live.filter((m) => m.counts[s].total !== null);
        const known = withTotal.map((m) =>
          g === 'notBrokenDown'
            ? m.counts[s].total! - GROUPS.reduce((a, x) => a + (m.counts[s][x] ?? 0), 0)
            : m.counts[s][g],
        );
        const anyBreakdown = withTotal.some((m) => GROUPS.some((x) => m.counts[s][x] !== null));
        figures[s] = anyBreakdown ? value(sumKnown(known)) : { kind: 'not_reported' };
      }
      return { group: g, figures, change: null };
    })
    .filter((g) => STAGES.some((s) => g.figures[s].kind === 'value'));
}

/** The notices published by now, with the date of the report each cites. */
function noticeItems(snap: Snapshot, now: Date): DigestContent['notices'] {
  return snap.notices
    .filter((n) => n.publishedAt <= now)
    .map((n) => ({
      id: n.id,
      bodies: n.bodies,
      pinned: n.pinned,
      publishedAt: n.publishedAt.toISOString(),
      ...(n.sourceId !== null && snap.sources.get(n.sourceId)
        ? { reportedOn: snap.sources.get(n.sourceId)!.publishedOn }
        : {}),
    }));
}
