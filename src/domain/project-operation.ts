// One operation as the public sees it (part of the public projection, privacy.ts):
// which movements are published, the disclosure of their figures (disclosure.ts),
// the reconciled totals, groups, arrivals by day, next departures, notices, sources
// and contacts. Every time at which this would change is pushed to `changes`.
import { localDay } from './calendar.ts';
import {
  type FigureInput,
  type OperationDisclosure,
  type PublicFigure,
  discloseOperation,
  figureOf,
} from './disclosure.ts';
import { comparable, figureInput } from './figure-input.ts';
import { isFinal, latestMoment, movementAsOfMoment } from './figures-as-of.ts';
import { projectRoute } from './project-route.ts';
import { publicationTime } from './publication.ts';
import type { Snapshot, SnapshotMovement } from './snapshot.ts';
import type {
  ProjectionOptions,
  PublicOperation,
  PublicRoute,
  PublicSource,
  PublicStageFigures,
} from './public-projection.ts';
import { byCodeUnits } from '../compare.ts';

export function projectOperation(
  snap: Snapshot,
  now: Date,
  changes: number[],
  options: ProjectionOptions,
  disclosures: OperationDisclosure[],
): PublicOperation {
  const op = snap.operation;
  const sources = sourceBook(snap);
  const { publishedByRoute, waitingMovements } = splitByPublication(snap, now, changes);
  const publishedIds = new Set([...publishedByRoute.values()].flat().map((m) => m.id));
  const input = figureInput(snap, (m) => publishedIds.has(m.id));
  const started = performance.now();
  const d = discloseOperation(op.id, input, {
    previous: options.previous?.get(op.id),
    memory: options.memory?.get(op.id),
    cache: options.cache,
  });
  if (options.timing) options.timing.discloseMs += performance.now() - started;
  disclosures.push(d);
  const fig = (id: string): PublicFigure => figureOf(d, id);
  const stageFigures = (prefix: string): PublicStageFigures => ({
    registered: fig(`${prefix}.R`),
    departed: fig(`${prefix}.D`),
    arrived: fig(`${prefix}.A`),
  });
  const routes: PublicRoute[] = snap.routes.map((r) =>
    projectRoute(r, publishedByRoute.get(r.id)!, now, op.staleAfterHours, changes, {
      stageFigures,
      source: sources.use,
      final: isFinal(op.status, r.movements),
      timeZone: op.timeZone,
    }),
  );
  const visibleNotices = visibleNoticesAt(snap, now, changes);
  // Registered figures of movements not yet public show in the waiting total: their as-of counts.
  const opAsOf = latestMoment(
    [
      ...routes.map((r) => (r.figuresAsOf ? { at: r.figuresAsOf, timeKnown: r.figuresAsOfTimeKnown } : null)),
      ...waitingMovements.map((m) => movementAsOfMoment(m, now, op.timeZone, true)),
    ],
    op.timeZone,
  );
  return {
    id: op.id,
    slug: op.slug,
    names: op.names,
    timeZone: op.timeZone,
    workingLanguage: op.workingLanguage,
    status: op.status,
    threshold: op.smallCountThreshold,
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
    totals: publicTotals(d, waitingMovements.length > 0),
    totalsSources: totalsSources(
      [...[...publishedByRoute.values()].flat(), ...waitingMovements],
      sources.use,
    ),
    groups: publicGroups(d, input, stageFigures),
    arrivalsByDay: input.days.map((day) => ({ day, arrived: fig(`day.${day}`) })),
    arrivalsUndated: d.table.has('day.undated') ? fig('day.undated') : null,
    // (A copy lives a minute at most, so the overdue mark appears within a minute of midnight.)
    nextDepartures: nextDepartures(snap, waitingMovements, now),
    routes,
    notices: publicNotices(visibleNotices, sources.use),
    sources: sources.used(),
    publisher: { authority: op.authority ?? null, url: op.authorityUrl ?? null, lead: op.publicLead ?? null },
    contacts: publicContacts(snap),
  };
}

/** The operation's sources as the public sees them, and which ones the projection cited. */
function sourceBook(snap: Snapshot) {
  const usedSources = new Set<number>();
  const source = (id: number | null | undefined): PublicSource | null => {
    const s = id === null || id === undefined ? undefined : snap.sources.get(id);
    return s ? { ...s } : null;
  };
  return {
    /** The source, counted as cited. */
    use: (id: number | null | undefined): PublicSource | null => {
      const s = source(id);
      if (s) usedSources.add(s.id);
      return s;
    },
    used: (): PublicSource[] => [...usedSources].map((id) => source(id)!).sort((a, b) => a.id - b.id),
  };
}

/**
 * Live movements by route: published (departed, past the delay) or still waiting. The
 * time at which a waiting one becomes public is pushed to `changes`.
 */
function splitByPublication(snap: Snapshot, now: Date, changes: number[]) {
  const delay = snap.operation.publicationDelayMinutes;
  const published = (m: SnapshotMovement) => {
    const at = publicationTime(m, delay);
    if (at && at > now) changes.push(at.getTime());
    return at !== null && at <= now;
  };
  const publishedByRoute = new Map<number, SnapshotMovement[]>();
  const waitingMovements: SnapshotMovement[] = [];
  for (const r of snap.routes) {
    const list: SnapshotMovement[] = [];
    for (const m of r.movements) {
      if (m.status === 'cancelled') continue;
      if (published(m)) list.push(m);
      else waitingMovements.push(m);
    }
    publishedByRoute.set(r.id, list);
  }
  return { publishedByRoute, waitingMovements };
}

/** The notices published by now; when each appears or expires is pushed to `changes`. */
function visibleNoticesAt(snap: Snapshot, now: Date, changes: number[]): Snapshot['notices'] {
  for (const n of snap.notices) {
    if (n.publishedAt > now) changes.push(n.publishedAt.getTime());
    if (n.expiresAt) changes.push(n.expiresAt.getTime());
  }
  return snap.notices.filter((n) => n.publishedAt <= now);
}

/** The headline (headline.ts) as printed: each a value, "at least" a value, or suppressed. */
function publicTotals(d: OperationDisclosure, anyWaiting: boolean): PublicOperation['totals'] {
  const h = d.headline;
  return {
    registered: figureOf(d, 'h.total', h.total.atLeast),
    waiting: d.table.has('h.waiting')
      ? figureOf(d, 'h.waiting', h.waiting.atLeast)
      : anyWaiting
        ? { kind: 'not_reported' }
        : { kind: 'value', value: 0 },
    departed: figureOf(d, 'op.D'),
    arrived: figureOf(d, 'op.A', h.home.atLeast),
    onTheWay: figureOf(d, 'h.onTheWay', h.onTheWay.atLeast),
    stageNotReported: figureOf(d, 'h.notReported'),
  };
}

function publicContacts(snap: Snapshot): PublicOperation['contacts'] {
  return snap.contacts.map((c) => ({
    ...{ id: c.id, kind: c.kind, countryCode: c.countryCode, names: c.names },
    ...{ phone: c.phone, email: c.email, url: c.url, address: c.address, hours: c.hours },
    checkedOn: c.checkedOn,
  }));
}

/** The priority groups any stage of which has a figure, each with whether "X of Y" compares like with like. */
function publicGroups(
  d: OperationDisclosure,
  input: FigureInput,
  stageFigures: (prefix: string) => PublicStageFigures,
): PublicOperation['groups'] {
  return (['womenChildren', 'over60', 'medical', 'other', 'notBrokenDown'] as const)
    .map((g) => ({ g, key: g === 'notBrokenDown' ? 'nbd' : g }))
    .filter(({ key }) => ['R', 'D', 'A'].some((s) => d.table.has(`g.${key}.${s}`)))
    .map(({ g, key }) => ({
      group: g,
      figures: stageFigures(`g.${key}`),
      comparable: comparable(input, g),
    }));
}

/**
 * The movements not yet public, by scheduled date (undated last), with their route.
 * (A copy lives a minute at most, so the overdue mark appears within a minute of midnight.)
 */
function nextDepartures(
  snap: Snapshot,
  waiting: SnapshotMovement[],
  now: Date,
): PublicOperation['nextDepartures'] {
  const routeNames = new Map(snap.routes.map((r) => [r.id, r.names]));
  const routeOf = new Map(snap.routes.flatMap((r) => r.movements.map((m) => [m.id, r.id] as const)));
  const today = localDay(now, snap.operation.timeZone);
  return waiting
    .slice()
    .sort((a, b) => byCodeUnits(a.scheduledDate ?? '9999', b.scheduledDate ?? '9999') || a.id - b.id)
    .map((m) => ({
      movementId: m.id,
      routeId: routeOf.get(m.id)!,
      routeNames: routeNames.get(routeOf.get(m.id)!)!,
      scheduledDate: m.scheduledDate,
      overdue: m.scheduledDate !== null && m.scheduledDate < today,
    }));
}

/** The published notices, pinned first, then newest first. */
function publicNotices(
  visible: Snapshot['notices'],
  source: (id: number | null) => PublicSource | null,
): PublicOperation['notices'] {
  return visible
    .slice()
    .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.publishedAt.getTime() - a.publishedAt.getTime())
    .map((n) => ({
      id: n.id,
      bodies: n.bodies,
      pinned: n.pinned,
      publishedAt: n.publishedAt,
      source: source(n.sourceId),
      quote: n.quote,
    }));
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

function latest(dates: Date[], fallback = new Date(0)): Date {
  return dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : fallback;
}
