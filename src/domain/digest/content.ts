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
import { inDay, shiftDay } from './day.ts';
import { compareWith } from './derive.ts';

export type Audience = 'public' | 'staff';
export type Figure = PublicFigure;
export type StageFigureSet = Record<Stage, Figure>;
/** A change since the previous digest; unknown when either side is not an exact figure. */
export type Change = { kind: 'delta'; value: number } | { kind: 'unknown' };

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
  routes: RouteSection[];
  groups: GroupSection[];
  notices: { id: number; bodies: Localized; pinned: boolean; publishedAt: string }[];
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

export function buildDigestContent(input: {
  snapshot: Snapshot;
  day: string;
  now: Date;
  previous?: { day: string; content: DigestRunContent } | null;
}): DigestRunContent {
  const pub = buildPublic(input.snapshot, input.day, input.now);
  const staff = buildStaff(input.snapshot, input.day, input.now);
  const prev = input.previous ?? null;
  return {
    version: 1,
    public: prev ? compareWith(pub, prev.content.public) : pub,
    staff: prev ? compareWith(staff, prev.content.staff) : staff,
  };
}

function buildPublic(snap: Snapshot, day: string, now: Date): DigestContent {
  const projection = toPublicProjection(snap, now);
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
        const line = (at: Date | null, people: Figure) => ({
          ...base,
          label: m.labels[op.workingLanguage] ?? Object.values(m.labels).find(Boolean) ?? '',
          labels: m.labels,
          at: iso(at),
          people,
          status: m.status,
          delayed: m.delayed,
        });
        if (inDay(m.departedAt, day, tz)) lines.departed.push(line(m.departedAt, m.figures.departed));
        if (inDay(m.arrivedAt, day, tz)) lines.arrived.push(line(m.arrivedAt, m.figures.arrived));
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
  return {
    audience: 'public',
    operation: operationHeader(snap),
    day,
    nextDay,
    generatedAt: now.toISOString(),
    lastUpdatedAt: op.lastUpdatedAt.toISOString(),
    previous: null,
    arrivedOnDay: arrivals ? arrivals.arrived : { kind: 'value', value: 0 },
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
    scheduledNextDay: op.nextDepartures
      .filter((d) => d.scheduledDate === nextDay)
      .map((d) => ({
        id: d.movementId,
        routeId: d.routeId,
        routeNames: d.routeNames,
        label: null,
        scheduledDate: d.scheduledDate,
        at: null,
        people: null,
        status: 'planned',
        delayed: false,
      })),
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
    notices: op.notices.map((n) => ({ ...n, publishedAt: n.publishedAt.toISOString() })),
  };
}

function buildStaff(snap: Snapshot, day: string, now: Date): DigestContent {
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
  let arrivedOnDay = 0;
  const undated: (number | null)[] = [];
  for (const r of snap.routes) {
    for (const m of r.movements) {
      const line = (at: Date | null, people: Figure | null): MovementLine => ({
        id: m.id,
        routeId: r.id,
        routeNames: r.names,
        label: m.label,
        labels: m.labels,
        scheduledDate: m.scheduledDate,
        at: iso(at),
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
        lines.departed.push(line(m.departedAt, value(m.counts.departed.total)));
      if (inDay(m.arrivedAt, day, tz)) {
        lines.arrived.push(line(m.arrivedAt, value(m.counts.arrived.total)));
        arrivedOnDay += m.counts.arrived.total ?? 0;
      } else if (!m.arrivedAt && m.counts.arrived.total !== null) undated.push(m.counts.arrived.total);
      if (m.scheduledDate === nextDay && (m.status === 'planned' || m.status === 'boarding'))
        scheduledNextDay.push(line(m.scheduledDepartureAt, value(m.counts.registered.total)));
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
    generatedAt: now.toISOString(),
    lastUpdatedAt: snap.lastUpdatedAt.toISOString(),
    previous: null,
    arrivedOnDay: value(arrivedOnDay),
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
        stale: now.getTime() - r.updatedAt.getTime() > staleMs,
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
      })),
  };
}
