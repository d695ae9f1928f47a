// The public version of a day's digest: built from the public projection
// (privacy.ts), so it follows the status page's rules exactly — only published
// movements, figures as disclosed, notices as shown. The projection is made by the
// caller (content.ts), so the day before can be projected first and the day's
// projection audited jointly with it.
import type { PublicOperation, PublicProjection } from '../privacy.ts';
import type { Snapshot } from '../snapshot.ts';
import { type DigestContent, type Figure, type MovementLine, iso, operationHeader } from './content-model.ts';
import { inDayOf, shiftDay } from './day.ts';
import { timesKnown } from './day-facts.ts';

export function buildPublic(
  snap: Snapshot,
  projection: PublicProjection,
  day: string,
  generatedAt: Date,
): DigestContent {
  const timeKnown = timesKnown(snap);
  const op = projection.operations[0] as PublicOperation;
  const inDay = inDayOf(day, op.timeZone);
  const cancelledAt = new Map(
    snap.routes.flatMap((r) => r.movements.map((m) => [m.id, m.cancelledAt] as const)),
  );
  const lines = {
    departed: [] as MovementLine[],
    arrived: [] as MovementLine[],
    cancelled: [] as MovementLine[],
  };
  const nextDay = shiftDay(day, 1);
  for (const r of op.routes) {
    for (const m of r.movements) {
      const base = { routeId: r.id, routeNames: r.names, scheduledDate: m.scheduledDate, id: m.id };
      if (m.published) {
        const line = (at: Date | null, people: Figure, known: boolean) => ({
          ...base,
          label: m.labels[op.workingLanguage] ?? Object.values(m.labels).find(Boolean) ?? '',
          labels: m.labels,
          at: iso(at),
          timeKnown: known,
          people,
          status: m.status,
          delayed: m.delayed,
        });
        const known = timeKnown.get(m.id);
        if (inDay(m.departedAt))
          lines.departed.push(line(m.departedAt, m.figures.departed, known?.departed ?? true));
        if (inDay(m.arrivedAt))
          lines.arrived.push(line(m.arrivedAt, m.figures.arrived, known?.arrived ?? true));
      } else if (m.status === 'cancelled') {
        const at = cancelledAt.get(m.id) ?? null;
        // The day it was cancelled; without a recorded time, the day it was due.
        if (at ? inDay(at) : m.scheduledDate === day) {
          lines.cancelled.push({
            ...base,
            label: null,
            at: null,
            people: null,
            status: 'cancelled',
            delayed: false,
          });
        }
      }
    }
  }
  const arrivals = op.arrivalsByDay.find((a) => a.day === day);
  // The public departures scheduled for a day, as lines (details come once they leave).
  const plannedOn = (d0: string) =>
    op.nextDepartures
      .filter((d) => d.scheduledDate === d0)
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
  return {
    audience: 'public',
    operation: operationHeader(snap),
    day,
    nextDay,
    generatedAt: generatedAt.toISOString(),
    lastUpdatedAt: op.lastUpdatedAt.toISOString(),
    previous: null,
    // Nothing dated that day but arrivals without a day: the day's count is unknown, not 0.
    arrivedOnDay: arrivals
      ? arrivals.arrived
      : op.arrivalsUndated
        ? { kind: 'not_reported' }
        : { kind: 'value', value: 0 },
    arrivedUndated: op.arrivalsUndated,
    totals: {
      registered: op.totals.registered,
      departed: op.totals.departed,
      arrived: op.totals.arrived,
      onTheWay: op.totals.onTheWay,
      waiting: op.totals.waiting,
      stageNotReported: op.totals.stageNotReported,
    },
    ...lines,
    dueNotDeparted: plannedOn(day),
    scheduledNextDay: plannedOn(nextDay),
    routes: op.routes.map((r) => ({
      id: r.id,
      names: r.names,
      figures: r.figures,
      change: null,
      stale: r.stale,
      updatedAt: r.updatedAt.toISOString(),
      publicNotes: r.publicNotes,
    })),
    groups: op.groups.map((g) => ({ group: g.group, figures: g.figures, change: null })),
    notices: op.notices.map((n) => ({
      id: n.id,
      bodies: n.bodies,
      pinned: n.pinned,
      publishedAt: n.publishedAt.toISOString(),
      ...(n.source ? { reportedOn: n.source.publishedOn } : {}),
    })),
  };
}
