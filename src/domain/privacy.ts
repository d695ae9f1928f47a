// The privacy and safety rules of every public output (page, JSON, Atom, CSV,
// the public digest), in one place. Nothing public is built from a Snapshot
// directly: it is built from the PublicProjection this module returns.
//
// - Aggregates only: no name, no staff note, no meeting point, no scheduled
//   time, no actor; only the figures, route, dates and public notes.
// - A movement is public once it has departed and the operation's
//   publication delay has passed; before that only its route and date show.
// - Every figure below the operation's threshold shows as "fewer than k", and
//   enough other figures are withheld that no sum or difference recovers it, in
//   this state or against the one published before it: disclosure.ts, proven by
//   an exact audit (docs/privacy.md). A projection whose audit fails says so in
//   `disclosure.ok`, and must not be published.
// - The headline reconciles: every person in one bucket (headline.ts).
import type { LocalizedText } from '../../db/schema.ts';
import { daysBetween, localDay, startOfDay } from './calendar.ts';
import {
  type AuditCache,
  type DisclosureMemory,
  type FigureInput,
  type HeldStates,
  type OperationDisclosure,
  type PublicFigure,
  discloseOperation,
  figureOf,
} from './disclosure.ts';
import type { Group } from './figures.ts';
import { isFinal, latestMoment, movementAsOfMoment } from './figures-as-of.ts';
import { hasDeparted } from './movement-status.ts';
import type { Snapshot, SnapshotMovement, SnapshotRoute } from './snapshot.ts';

import type {
  PublicMovement,
  PublicOperation,
  PublicPlace,
  PublicProjection,
  PublicRoute,
  PublicSource,
  PublicStageFigures,
  PublishedMovement,
} from './public-projection.ts';

export type * from './public-projection.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** When a departed movement's figures may be published; null if it has not departed. */
export function publicationTime(m: SnapshotMovement, delayMinutes: number): Date | null {
  if (!hasDeparted(m.status)) return null;
  // A departure without its time counts from when the status was true (the report's
  // as-of), else from when it was recorded.
  const departed = m.departedAt ?? m.statusAsOf ?? m.updatedAt;
  return new Date(departed.getTime() + delayMinutes * MINUTE);
}

export function isPublished(m: SnapshotMovement, delayMinutes: number, now: Date): boolean {
  const at = publicationTime(m, delayMinutes);
  return at !== null && at.getTime() <= now.getTime();
}

export type ProjectionOptions = {
  /** Per operation id: the state published before, or every state held with it (docs/privacy.md). */
  previous?: ReadonlyMap<number, HeldStates>;
  /** Per operation id: every value printed before. */
  memory?: ReadonlyMap<number, DisclosureMemory>;
  cache?: AuditCache;
};

export function toPublicProjection(
  input: Snapshot | Snapshot[],
  now: Date,
  options: ProjectionOptions = {},
): PublicProjection {
  const snapshots = Array.isArray(input) ? input : [input];
  const changes: number[] = [];
  const disclosures: OperationDisclosure[] = [];
  const operations = snapshots.map((s) => projectOperation(s, now, changes, options, disclosures));
  const future = changes.filter((t) => t > now.getTime());
  const last = operations.map((o) => o.lastUpdatedAt.getTime());
  return {
    operations,
    generatedAt: now,
    lastUpdatedAt: new Date(last.length ? Math.max(...last) : 0),
    validUntil: future.length ? new Date(Math.min(...future)) : null,
    disclosure: {
      ok: disclosures.every((d) => d.ok),
      releases: disclosures.map((d) => d.release),
      operations: disclosures.map((d) => ({
        operationId: d.release.operationId,
        ok: d.ok,
        cells: d.table.cells.size,
        fewerThan: [...d.display.values()].filter((x) => x === 'fewer_than').length,
        withheld: d.withheld,
        failures: d.audit.failures.slice(0, 5).map((f) => `${f.item.id}=${f.target} (${f.item.why})`),
        audit: d.audit.stats,
      })),
    },
  };
}

/** The figures the public outputs print, from a snapshot (the disclosure model's input). */
export function figureInput(snap: Snapshot, isPublished: (m: SnapshotMovement) => boolean): FigureInput {
  const tz = snap.operation.timeZone;
  const movements: FigureInput['movements'] = [];
  const waiting: FigureInput['waiting'] = { known: [], unknown: 0 };
  for (const r of snap.routes) {
    for (const m of r.movements) {
      if (m.status === 'cancelled') continue;
      if (!isPublished(m)) {
        const v = m.counts.registered.total;
        if (v === null) waiting.unknown++;
        else waiting.known.push(v);
        continue;
      }
      movements.push({
        id: m.id,
        route: r.id,
        arrivedDay: m.arrivedAt ? localDay(m.arrivedAt, tz) : null,
        arrivedStatus: m.status === 'arrived',
        counts: m.counts,
      });
    }
  }
  const days = withQuietDays(
    [
      ...new Set(
        movements
          .filter((m) => m.counts.arrived.total !== null && m.arrivedDay !== null)
          .map((m) => m.arrivedDay!),
      ),
    ].sort(),
  );
  return {
    k: snap.operation.smallCountThreshold,
    movements,
    waiting,
    routes: snap.routes.map((r) => r.id),
    days,
  };
}

function projectOperation(
  snap: Snapshot,
  now: Date,
  changes: number[],
  options: ProjectionOptions,
  disclosures: OperationDisclosure[],
): PublicOperation {
  const op = snap.operation;
  const k = op.smallCountThreshold;
  const tz = op.timeZone;
  const source = (id: number | null | undefined): PublicSource | null => {
    const s = id === null || id === undefined ? undefined : snap.sources.get(id);
    return s ? { ...s } : null;
  };
  const usedSources = new Set<number>();
  const use = (s: PublicSource | null) => {
    if (s) usedSources.add(s.id);
    return s;
  };

  const live = (m: SnapshotMovement) => m.status !== 'cancelled';
  const published = (m: SnapshotMovement) => {
    const at = publicationTime(m, op.publicationDelayMinutes);
    if (at && at > now) changes.push(at.getTime());
    return at !== null && at <= now;
  };
  const publishedByRoute = new Map<number, SnapshotMovement[]>();
  const waitingMovements: SnapshotMovement[] = [];
  for (const r of snap.routes) {
    publishedByRoute.set(
      r.id,
      r.movements.filter((m) => live(m) && published(m)),
    );
    waitingMovements.push(...r.movements.filter((m) => live(m) && !published(m)));
  }
  const publishedIds = new Set([...publishedByRoute.values()].flat().map((m) => m.id));
  const input = figureInput(snap, (m) => publishedIds.has(m.id));
  const d = discloseOperation(op.id, input, {
    previous: options.previous?.get(op.id),
    memory: options.memory?.get(op.id),
    cache: options.cache,
  });
  disclosures.push(d);
  const fig = (id: string): PublicFigure => figureOf(d, id);
  const stageFigures = (prefix: string): PublicStageFigures => ({
    registered: fig(`${prefix}.R`),
    departed: fig(`${prefix}.D`),
    arrived: fig(`${prefix}.A`),
  });
  const h = d.headline;
  const days = input.days;
  const hasUndated = d.table.has('day.undated');

  const routes: PublicRoute[] = snap.routes.map((r) =>
    projectRoute(r, publishedByRoute.get(r.id)!, now, op.staleAfterHours, changes, {
      stageFigures,
      source: (id) => use(source(id)),
      final: isFinal(op.status, r.movements),
      timeZone: tz,
    }),
  );
  const visibleNotices = snap.notices.filter((n) => n.publishedAt <= now);
  for (const n of snap.notices) {
    if (n.publishedAt > now) changes.push(n.publishedAt.getTime());
    if (n.expiresAt) changes.push(n.expiresAt.getTime());
  }
  const routeNames = new Map(snap.routes.map((r) => [r.id, r.names]));
  // Registered figures of movements not yet public show in the waiting total: their as-of counts.
  const opAsOf = latestMoment([
    ...routes.map((r) => (r.figuresAsOf ? { at: r.figuresAsOf, timeKnown: r.figuresAsOfTimeKnown } : null)),
    ...waitingMovements.map((m) => movementAsOfMoment(m, now, true)),
  ]);
  const routeOf = new Map(snap.routes.flatMap((r) => r.movements.map((m) => [m.id, r.id] as const)));
  return {
    id: op.id,
    slug: op.slug,
    names: op.names,
    timeZone: tz,
    workingLanguage: op.workingLanguage,
    status: op.status,
    threshold: k,
    publicationDelayMinutes: op.publicationDelayMinutes,
    staleAfterHours: op.staleAfterHours,
    // The evacuation's time: figures and events shown, notices published. Never a write
    // time: an edit the public cannot see moves nothing (docs/public-api.md).
    lastUpdatedAt: latest([
      ...routes.map((r) => r.updatedAt),
      ...(opAsOf ? [opAsOf.at] : []),
      ...visibleNotices.map((n) => n.publishedAt),
    ]),
    figuresAsOf: opAsOf?.at ?? null,
    figuresAsOfTimeKnown: opAsOf?.timeKnown ?? true,
    final: isFinal(
      op.status,
      snap.routes.flatMap((r) => r.movements),
    ),
    totals: {
      registered: figureOf(d, 'h.total', h.total.atLeast),
      waiting: d.table.has('h.waiting')
        ? figureOf(d, 'h.waiting', h.waiting.atLeast)
        : waitingMovements.length
          ? { kind: 'not_reported' }
          : { kind: 'value', value: 0 },
      departed: fig('op.D'),
      arrived: figureOf(d, 'op.A', h.home.atLeast),
      onTheWay: figureOf(d, 'h.onTheWay', h.onTheWay.atLeast),
      stageNotReported: fig('h.notReported'),
    },
    totalsSources: totalsSources([...[...publishedByRoute.values()].flat(), ...waitingMovements], (id) =>
      use(source(id)),
    ),
    groups: (['womenChildren', 'over60', 'medical', 'other', 'notBrokenDown'] as const)
      .map((g) => ({ g, key: g === 'notBrokenDown' ? 'nbd' : g }))
      .filter(({ key }) => ['R', 'D', 'A'].some((s) => d.table.has(`g.${key}.${s}`)))
      .map(({ g, key }) => ({
        group: g,
        figures: stageFigures(`g.${key}`),
        comparable: comparable(input, g),
      })),
    arrivalsByDay: days.map((day) => ({ day, arrived: fig(`day.${day}`) })),
    arrivalsUndated: hasUndated ? fig('day.undated') : null,
    // (A copy lives a minute at most, so the overdue mark appears within a minute of midnight.)
    nextDepartures: waitingMovements
      .slice()
      .sort((a, b) => (a.scheduledDate ?? '9999').localeCompare(b.scheduledDate ?? '9999') || a.id - b.id)
      .map((m) => ({
        movementId: m.id,
        routeId: routeOf.get(m.id)!,
        routeNames: routeNames.get(routeOf.get(m.id)!)!,
        scheduledDate: m.scheduledDate,
        overdue: m.scheduledDate !== null && m.scheduledDate < localDay(now, tz),
      })),
    routes,
    notices: visibleNotices
      .slice()
      .sort(
        (a, b) => Number(b.pinned) - Number(a.pinned) || b.publishedAt.getTime() - a.publishedAt.getTime(),
      )
      .map((n) => ({
        id: n.id,
        bodies: n.bodies,
        pinned: n.pinned,
        publishedAt: n.publishedAt,
        source: use(source(n.sourceId)),
        quote: n.quote,
      })),
    sources: [...usedSources].map((id) => source(id)!).sort((a, b) => a.id - b.id),
    publisher: { authority: op.authority ?? null, url: op.authorityUrl ?? null, lead: op.publicLead ?? null },
    contacts: snap.contacts.map((c) => ({
      id: c.id,
      kind: c.kind,
      countryCode: c.countryCode,
      names: c.names,
      phone: c.phone,
      email: c.email,
      url: c.url,
      address: c.address,
      hours: c.hours,
      checkedOn: c.checkedOn,
    })),
  };
}

/** The sources of the figures the totals count (each movement's latest change), once each, by id. */
function totalsSources(
  counted: SnapshotMovement[],
  source: (id: number | null) => PublicSource | null,
): PublicSource[] {
  const found = new Map<number, PublicSource>();
  for (const m of counted) {
    const s = source(m.countsSourceId ?? m.sourceId);
    if (s) found.set(s.id, s);
  }
  return [...found.values()].sort((a, b) => a.id - b.id);
}

/**
 * "X of Y home" compares like with like: every movement whose arrivals of the group
 * are counted has the group's registered figure too, and every movement counted in
 * Y that has arrived has the group's arrivals reported.
 */
function comparable(input: FigureInput, g: Group | 'notBrokenDown'): boolean {
  if (g === 'notBrokenDown') return false;
  let any = false;
  for (const m of input.movements) {
    const R = m.counts.registered[g];
    const A = m.counts.arrived[g];
    if (A !== null && R === null) return false;
    if (R !== null && A === null && m.arrivedStatus) return false;
    if (R !== null) any = true;
  }
  return any;
}

function projectRoute(
  r: SnapshotRoute,
  pub: SnapshotMovement[],
  now: Date,
  staleAfterHours: number,
  changes: number[],
  h: {
    stageFigures: (prefix: string) => PublicStageFigures;
    source: (id: number | null) => PublicSource | null;
    /** Every movement of the route arrived or was cancelled, or the operation is closed. */
    final: boolean;
    timeZone: string;
  },
): PublicRoute {
  const pubIds = new Set(pub.map((m) => m.id));
  // "Figures as of": the latest as-of among the published figures and events it shows.
  const asOf = latestMoment(pub.map((m) => movementAsOfMoment(m, now)));
  // Without any, the route is as of its report (never the time it was written down).
  const reported = h.source(r.sourceId)?.publishedOn;
  const updatedAt = asOf?.at ?? (reported ? startOfDay(reported, h.timeZone) : new Date(0));
  const staleAt = asOf && !h.final ? asOf.at.getTime() + staleAfterHours * HOUR : null;
  if (staleAt !== null) changes.push(staleAt);
  return {
    id: r.id,
    slug: r.slug,
    names: r.names,
    publicNotes: r.publicNotes,
    publicQuote: r.publicQuote,
    source: h.source(r.sourceId),
    legs: r.legs.map((l) => ({
      position: l.position,
      from: place(l.from),
      to: place(l.to),
      mode: l.mode,
      crossesBorder: l.crossesBorder,
      crossingStatus: l.crossesBorder ? l.crossingStatus : null,
      publicNotes: l.publicNotes,
      updatedAt: l.updatedAt,
    })),
    movements: r.movements.map((m): PublicMovement => {
      if (!pubIds.has(m.id)) {
        return {
          published: false,
          id: m.id,
          status: m.status === 'cancelled' ? 'cancelled' : 'upcoming',
          scheduledDate: m.scheduledDate,
          reschedulings: m.reschedulings ?? [],
        };
      }
      const moment = movementAsOfMoment(m, now);
      return {
        published: true,
        id: m.id,
        labels: m.labels,
        kind: m.kind,
        status: m.status as PublishedMovement['status'],
        delayed: m.delayed,
        scheduledDate: m.scheduledDate,
        departedAt: m.departedAt,
        departedTimeKnown: m.departedTimeKnown,
        arrivedAt: m.arrivedAt,
        arrivedTimeKnown: m.arrivedTimeKnown,
        currentLegPosition: r.legs.find((l) => l.id === m.currentLegId)?.position ?? null,
        publicNotes: m.publicNotes,
        publicQuote: m.publicQuote,
        source: h.source(m.countsSourceId ?? m.sourceId) ?? h.source(m.sourceId),
        figures: h.stageFigures(`m${m.id}`),
        updatedAt: moment?.at ?? publicationTime(m, 0)!,
        figuresAsOf: moment?.at ?? null,
        // A departure dated by a report's "as of" alone: the day is known, not the time.
        figuresAsOfTimeKnown: moment
          ? moment.timeKnown
          : m.departedAt
            ? m.departedTimeKnown
            : m.statusAsOf === null,
        reschedulings: m.reschedulings ?? [],
      };
    }),
    figures: h.stageFigures(`r${r.id}`),
    updatedAt,
    figuresAsOf: asOf?.at ?? null,
    figuresAsOfTimeKnown: asOf?.timeKnown ?? true,
    final: h.final,
    stale: staleAt !== null && now.getTime() > staleAt,
  };
}

const place = (p: {
  slug: string;
  names: LocalizedText;
  countryCode: string;
  kind: string;
  latitude: number | null;
  longitude: number | null;
}): PublicPlace => ({
  slug: p.slug,
  names: p.names,
  countryCode: p.countryCode,
  kind: p.kind,
  latitude: p.latitude,
  longitude: p.longitude,
});

function latest(dates: Date[], fallback = new Date(0)): Date {
  return dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : fallback;
}

/** Every day from the first to the last (up to four months), so a chart shows the quiet days too. */
function withQuietDays(sorted: string[]): string[] {
  if (sorted.length === 0) return [];
  const [first, last] = [sorted[0]!, sorted[sorted.length - 1]!];
  if ((Date.parse(last) - Date.parse(first)) / (24 * HOUR) > 120) return sorted;
  return daysBetween(first, last);
}
