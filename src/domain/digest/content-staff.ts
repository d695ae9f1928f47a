// The staff version of a day's digest: from the full snapshot, with every
// movement's label, notes and meeting point, and exact figures (no disclosure
// control: it goes to staff only). Totals reconcile as the public headline does.
import { reconcileHeadline } from '../headline.ts';
import { GROUPS, STAGES, type Stage } from '../figures.ts';
import { hasDeparted } from '../movement-status.ts';
import type { Snapshot, SnapshotMovement } from '../snapshot.ts';
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
  const tz = snap.operation.timeZone;
  const nextDay = shiftDay(day, 1);
  const inDay = inDayOf(day, tz);
  const live = snap.routes.flatMap((r) => r.movements.filter((m) => m.status !== 'cancelled'));
  const stageTotal = (s: Stage, ms: SnapshotMovement[]) => sumKnown(ms.map((m) => m.counts[s].total));
  const lines = {
    departed: [] as MovementLine[],
    arrived: [] as MovementLine[],
    cancelled: [] as MovementLine[],
  };
  const scheduledNextDay: MovementLine[] = [];
  const dueNotDeparted: MovementLine[] = [];
  let arrivedOnDay = 0;
  let anyArrivalOnDay = false;
  const undated: (number | null)[] = [];
  for (const r of snap.routes) {
    for (const m of r.movements) {
      const line = (at: Date | null, people: Figure | null, timeKnown = true): MovementLine => ({
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
      });
      if (m.status === 'cancelled') {
        if (m.cancelledAt ? inDay(m.cancelledAt) : m.scheduledDate === day)
          lines.cancelled.push(line(m.cancelledAt, value(m.counts.registered.total)));
        continue;
      }
      if (inDay(m.departedAt))
        lines.departed.push(line(m.departedAt, value(m.counts.departed.total), m.departedTimeKnown));
      if (inDay(m.arrivedAt)) {
        lines.arrived.push(line(m.arrivedAt, value(m.counts.arrived.total), m.arrivedTimeKnown));
        arrivedOnDay += m.counts.arrived.total ?? 0;
        anyArrivalOnDay = true;
      } else if (!m.arrivedAt && m.counts.arrived.total !== null) undated.push(m.counts.arrived.total);
      const waiting = m.status === 'planned' || m.status === 'boarding';
      if (m.scheduledDate === nextDay && waiting)
        scheduledNextDay.push(line(m.scheduledDepartureAt, value(m.counts.registered.total)));
      if (m.scheduledDate === day && waiting)
        dueNotDeparted.push(line(m.scheduledDepartureAt, value(m.counts.registered.total)));
    }
  }
  const departed = stageTotal('departed', live);
  const headline = reconcileHeadline(
    live.map((m) => ({
      published: hasDeparted(m.status),
      arrivedStatus: m.status === 'arrived',
      counts: m.counts,
    })),
  );
  const bucket = (b: { value: number; atLeast: boolean }): Figure =>
    b.atLeast
      ? b.value > 0
        ? { kind: 'at_least', value: b.value }
        : { kind: 'not_reported' }
      : value(b.value);
  const staleMs = snap.operation.staleAfterHours * 3_600_000;
  return {
    audience: 'staff',
    operation: operationHeader(snap),
    day,
    nextDay,
    generatedAt: generatedAt.toISOString(),
    lastUpdatedAt: snap.lastUpdatedAt.toISOString(),
    previous: null,
    arrivedOnDay: !anyArrivalOnDay && undated.length ? { kind: 'not_reported' } : value(arrivedOnDay),
    arrivedUndated: undated.length ? value(sumKnown(undated)) : null,
    totals: {
      registered: bucket(headline.total),
      departed: value(departed),
      arrived: bucket(headline.home),
      onTheWay: bucket(headline.onTheWay),
      waiting: bucket(headline.waiting),
      stageNotReported: bucket(headline.stageNotReported),
    },
    ...lines,
    scheduledNextDay,
    dueNotDeparted,
    routes: snap.routes.map((r) => {
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
        stale: routeStale(r, snap.operation.status, now, staleMs),
        updatedAt: r.updatedAt.toISOString(),
        publicNotes: r.publicNotes,
        staffNote: r.staffNote,
      };
    }),
    groups: [...GROUPS, 'notBrokenDown' as const]
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
      .filter((g) => STAGES.some((s) => g.figures[s].kind === 'value')),
    notices: snap.notices
      .filter((n) => n.publishedAt <= now)
      .map((n) => ({
        id: n.id,
        bodies: n.bodies,
        pinned: n.pinned,
        publishedAt: n.publishedAt.toISOString(),
        ...(n.sourceId !== null && snap.sources.get(n.sourceId)
          ? { reportedOn: snap.sources.get(n.sourceId)!.publishedOn }
          : {}),
      })),
  };
}
