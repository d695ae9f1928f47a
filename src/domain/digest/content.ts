// What a day's digest says, as plain serialisable data. The public version is
// built from the public projection (privacy.ts: the status page's rules); the
// staff version from the full snapshot. Both are stored with the run, so every
// recipient of a run gets the same figures, and the next run compares against them.
import type { Localized, LocalizedText } from '../../../db/schema.ts';
import type { Lang } from '../../i18n/languages.ts';
import { GROUPS, STAGES, type Stage } from '../figures.ts';
import {
  type PublicFigure,
  type PublicGroupKey,
  type PublicOperation,
  toPublicProjection,
} from '../privacy.ts';
import type { Snapshot, SnapshotMovement } from '../snapshot.ts';
import { reconcileHeadline } from '../headline.ts';
import { hasDeparted } from '../movement-status.ts';
import type { LateCorrection } from '../../store/repositories/as-of.ts';
import { endOfDay, inDay, shiftDay } from './day.ts';
import { hasAnyFigure, routeStale, timesKnown, withDayFacts } from './day-facts.ts';
import { compareWith } from './derive.ts';

export type Audience = 'public' | 'staff';
export type Figure = PublicFigure;
export type StageFigureSet = Record<Stage, Figure>;
/**
 * A change since the end of the previous day; `first`: not reported then, reported now
 * ("first reported: 608", never "+608"); unknown when either side is not an exact figure.
 */
export type Change =
  { kind: 'delta'; value: number } | { kind: 'first'; value: number } | { kind: 'unknown' };

export type CorrectionLine = {
  routeId: number;
  routeNames: LocalizedText;
  /** Staff version only (null in the public one, as are the values). */
  label: string | null;
  stage: Stage;
  field: string;
  oldValue: number | null;
  newValue: number | null;
  recordedAt: string;
};

export type SourceLine = {
  outlet: string;
  title: string;
  /** Per language (absent in runs stored before sources were per language). */
  outlets?: Localized;
  titles?: Localized;
  publishedOn: string;
  url: string | null;
};

export type MovementLine = {
  id: number;
  routeId: number;
  routeNames: LocalizedText;
  /** Null in the public version for a movement that is not published yet. */
  label: string | null;
  /** The label per language (absent in runs stored before labels were per language). */
  labels?: Localized | null;
  scheduledDate: string | null;
  /** Departure, arrival or cancellation time, ISO; null when not recorded or not public. */
  at: string | null;
  /** False when the source gave the day only: show the day and "time not reported". */
  timeKnown?: boolean;
  /** People on it for that event (departed or arrived), when known and public. */
  people: Figure | null;
  status: string;
  delayed: boolean;
  /** Staff version only. */
  staffNote?: string | null;
  meetingPoint?: string | null;
  scheduledDepartureAt?: string | null;
};

export type RouteSection = {
  id: number;
  names: LocalizedText;
  figures: StageFigureSet;
  change: Record<Stage, Change> | null;
  stale: boolean;
  updatedAt: string;
  /** Runs stored before notes were per language; newer runs carry publicNotes. */
  publicNote?: string | null;
  publicNotes?: Localized;
  staffNote?: string | null;
};

export type GroupSection = {
  group: PublicGroupKey;
  figures: StageFigureSet;
  change: Record<Stage, Change> | null;
};

export type DigestContent = {
  audience: Audience;
  operation: {
    id: number;
    slug: string;
    names: LocalizedText;
    timeZone: string;
    staleAfterHours: number;
    /** Who publishes it (the From name); absent in runs stored before it existed. */
    authority?: LocalizedText | null;
    /** Where a reader's language is missing, content in it comes first (absent in older runs). */
    workingLanguage?: Lang;
  };
  day: string;
  nextDay: string;
  generatedAt: string;
  lastUpdatedAt: string;
  previous: { day: string; generatedAt: string } | null;
  arrivedOnDay: Figure;
  /** Arrivals whose day was not recorded (part of the total, on no day). */
  arrivedUndated: Figure | null;
  /** The reconciled headline (headline.ts); waiting and stageNotReported absent in runs stored before it. */
  totals: {
    registered: Figure;
    departed: Figure;
    arrived: Figure;
    onTheWay: Figure;
    waiting?: Figure;
    stageNotReported?: Figure;
  };
  departed: MovementLine[];
  arrived: MovementLine[];
  cancelled: MovementLine[];
  scheduledNextDay: MovementLine[];
  /** Scheduled for the day and, at its end, not reported as departed. */
  dueNotDeparted?: MovementLine[];
  /** The latest as-of among the figures and events shown (the evacuation's time), ISO. */
  figuresAsOf?: string | null;
  figuresAsOfTimeKnown?: boolean;
  /** Figures as of this day recorded after it: what a re-run says was corrected. */
  corrections?: CorrectionLine[];
  /** Every source of the figures shown. */
  sources?: SourceLine[];
  routes: RouteSection[];
  groups: GroupSection[];
  notices: {
    id: number;
    bodies: Localized;
    pinned: boolean;
    publishedAt: string;
    /** A notice stating a report's fact is dated by its report (a day, no invented time). */
    reportedOn?: string;
  }[];
};

/** Both versions of one operation's digest for `day`: what a run stores. */
export type DigestRunContent = { version: 1; public: DigestContent; staff: DigestContent };

const value = (n: number | null): Figure =>
  n === null ? { kind: 'not_reported' } : { kind: 'value', value: n };
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const sumKnown = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
};

function operationHeader(snap: Snapshot) {
  const op = snap.operation;
  return {
    id: op.id,
    slug: op.slug,
    names: op.names,
    timeZone: op.timeZone,
    staleAfterHours: op.staleAfterHours,
    authority: op.authority ?? null,
    workingLanguage: op.workingLanguage,
  };
}

/**
 * The digest of local day `day`, from the state as of its end (`snapshot`), compared
 * with the state as of the end of the day before (`previousSnapshot`). `now` is only
 * when it was generated: the content depends on the two states and the corrections.
 */
export function buildDigestContent(input: {
  snapshot: Snapshot;
  day: string;
  now: Date;
  previousSnapshot?: Snapshot | null;
  corrections?: LateCorrection[];
}): DigestRunContent {
  const { snapshot, day, now } = input;
  const tz = snapshot.operation.timeZone;
  const at = endOfDay(day, tz);
  const facts = { corrections: input.corrections ?? [], at };
  const pub = withDayFacts(buildPublic(snapshot, day, at, now), snapshot, facts);
  const staff = withDayFacts(buildStaff(snapshot, day, at, now), snapshot, facts);
  const prevSnap = input.previousSnapshot;
  // "First summary" only on the first day with any figure: before it there is nothing to compare.
  if (!prevSnap || !hasAnyFigure(prevSnap)) return { version: 1, public: pub, staff };
  const prevDay = shiftDay(day, -1);
  const prevAt = endOfDay(prevDay, tz);
  return {
    version: 1,
    public: compareWith(pub, buildPublic(prevSnap, prevDay, prevAt, now)),
    staff: compareWith(staff, buildStaff(prevSnap, prevDay, prevAt, now)),
  };
}

function buildPublic(snap: Snapshot, day: string, now: Date, generatedAt: Date): DigestContent {
  const projection = toPublicProjection(snap, now);
  const timeKnown = timesKnown(snap);
  const op = projection.operations[0] as PublicOperation;
  const tz = op.timeZone;
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
        if (inDay(m.departedAt, day, tz))
          lines.departed.push(line(m.departedAt, m.figures.departed, known?.departed ?? true));
        if (inDay(m.arrivedAt, day, tz))
          lines.arrived.push(line(m.arrivedAt, m.figures.arrived, known?.arrived ?? true));
      } else if (m.status === 'cancelled') {
        const at = cancelledAt.get(m.id) ?? null;
        // The day it was cancelled; without a recorded time, the day it was due.
        if (at ? inDay(at, day, tz) : m.scheduledDate === day) {
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

function buildStaff(snap: Snapshot, day: string, now: Date, generatedAt: Date): DigestContent {
  const tz = snap.operation.timeZone;
  const nextDay = shiftDay(day, 1);
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
        if (m.cancelledAt ? inDay(m.cancelledAt, day, tz) : m.scheduledDate === day)
          lines.cancelled.push(line(m.cancelledAt, value(m.counts.registered.total)));
        continue;
      }
      if (inDay(m.departedAt, day, tz))
        lines.departed.push(line(m.departedAt, value(m.counts.departed.total), m.departedTimeKnown));
      if (inDay(m.arrivedAt, day, tz)) {
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
