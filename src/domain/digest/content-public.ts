// The public version of a day's digest: built from the public projection
// (privacy.ts), so it follows the status page's rules exactly — only published
// movements, figures as disclosed, notices as shown. The projection is the day's
// as-of day end, audited jointly with the day before and recorded in the disclosure
// ledger (public-days.ts); the snapshot only adds what the projection does not
// carry: whether an event's time is known, when a movement was cancelled.
import type { PublicOperation, PublicProjection } from '../privacy.ts';
import type { PublicMovement, PublicRoute, PublishedMovement } from '../public-projection.ts';
import type { Snapshot } from '../snapshot.ts';
import { type DigestContent, type Figure, type MovementLine, iso, operationHeader } from './content-model.ts';
import { inDayOf, shiftDay } from './day.ts';
import { timesKnown } from './day-facts.ts';

type Lines = Pick<DigestContent, 'departed' | 'arrived' | 'cancelled'>;

export function buildPublic(
  snap: Snapshot,
  projection: PublicProjection,
  day: string,
  generatedAt: Date,
): DigestContent {
  const op = projection.operations[0] as PublicOperation;
  const nextDay = shiftDay(day, 1);
  return {
    audience: 'public',
    operation: operationHeader(snap),
    day,
    nextDay,
    generatedAt: generatedAt.toISOString(),
    lastUpdatedAt: op.lastUpdatedAt.toISOString(),
    previous: null,
    ...dayArrivals(op, day),
    totals: totalsOf(op),
    ...movementLines(snap, op, day),
    dueNotDeparted: plannedOn(op, day),
    scheduledNextDay: plannedOn(op, nextDay),
    routes: routesOf(op),
    groups: op.groups.map((g) => ({ group: g.group, figures: g.figures, change: null })),
    notices: noticesOf(op),
  };
}

/** The movements that departed, arrived or were cancelled during the day. */
function movementLines(snap: Snapshot, op: PublicOperation, day: string): Lines {
  const timeKnown = timesKnown(snap);
  const inDay = inDayOf(day, op.timeZone);
  const cancelledAt = new Map(
    snap.routes.flatMap((r) => r.movements.map((m) => [m.id, m.cancelledAt] as const)),
  );
  const lines: Lines = { departed: [], arrived: [], cancelled: [] };
  for (const r of op.routes) {
    for (const m of r.movements) {
      if (m.published) {
        const known = timeKnown.get(m.id);
        if (inDay(m.departedAt))
          lines.departed.push(line(op, r, m, m.departedAt, m.figures.departed, known?.departed ?? true));
        if (inDay(m.arrivedAt))
          lines.arrived.push(line(op, r, m, m.arrivedAt, m.figures.arrived, known?.arrived ?? true));
        continue;
      }
      if (m.status !== 'cancelled') continue;
      const at = cancelledAt.get(m.id) ?? null;
      // The day it was cancelled; without a recorded time, the day it was due.
      if (at ? inDay(at) : m.scheduledDate === day)
        lines.cancelled.push({
          ...base(r, m),
          label: null,
          at: null,
          people: null,
          status: 'cancelled',
          delayed: false,
        });
    }
  }
  return lines;
}

const base = (r: PublicRoute, m: PublicMovement) => ({
  routeId: r.id,
  routeNames: r.names,
  scheduledDate: m.scheduledDate,
  id: m.id,
});

/** A published movement's line: its label in the working language, the figure of that event. */
function line(
  op: PublicOperation,
  r: PublicRoute,
  m: PublishedMovement,
  at: Date | null,
  people: Figure,
  timeKnown: boolean,
): MovementLine {
  return {
    ...base(r, m),
    label: m.labels[op.workingLanguage] ?? Object.values(m.labels).find(Boolean) ?? '',
    labels: m.labels,
    at: iso(at),
    timeKnown,
    people,
    status: m.status,
    delayed: m.delayed,
  };
}

/** Arrived that day; nothing dated that day but arrivals without a day: unknown, not 0. */
function dayArrivals(
  op: PublicOperation,
  day: string,
): Pick<DigestContent, 'arrivedOnDay' | 'arrivedUndated'> {
  const arrivals = op.arrivalsByDay.find((a) => a.day === day);
  return {
    arrivedOnDay: arrivals
      ? arrivals.arrived
      : op.arrivalsUndated
        ? { kind: 'not_reported' }
        : { kind: 'value', value: 0 },
    arrivedUndated: op.arrivalsUndated,
  };
}

function totalsOf(op: PublicOperation): DigestContent['totals'] {
  const t = op.totals;
  return {
    registered: t.registered,
    departed: t.departed,
    arrived: t.arrived,
    onTheWay: t.onTheWay,
    waiting: t.waiting,
    stageNotReported: t.stageNotReported,
  };
}

/** The public departures scheduled for a day, as lines (details come once they leave). */
function plannedOn(op: PublicOperation, day: string): MovementLine[] {
  return op.nextDepartures
    .filter((d) => d.scheduledDate === day)
    .map((d) => ({
      id: d.movementId,
      routeId: d.routeId,
      routeNames: d.routeNames,
      label: null,
      scheduledDate: d.scheduledDate,
      at: null,
      people: null,
      status: 'planned' as const,
      delayed: false,
    }));
}

function routesOf(op: PublicOperation): DigestContent['routes'] {
  return op.routes.map((r) => ({
    id: r.id,
    names: r.names,
    figures: r.figures,
    change: null,
    stale: r.stale,
    updatedAt: r.updatedAt.toISOString(),
    publicNotes: r.publicNotes,
  }));
}

function noticesOf(op: PublicOperation): DigestContent['notices'] {
  return op.notices.map((n) => ({
    id: n.id,
    bodies: n.bodies,
    pinned: n.pinned,
    publishedAt: n.publishedAt.toISOString(),
    ...(n.source ? { reportedOn: n.source.publishedOn } : {}),
  }));
}
