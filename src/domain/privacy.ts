// The privacy and safety rules of every public output (page, JSON, Atom, CSV,
// the public digest), in one place. Nothing public is built from a Snapshot
// directly: it is built from the PublicProjection this module returns.
//
// - Aggregates only: no name, no staff note, no meeting point, no scheduled
//   time, no actor; only the figures, route, dates and public notes.
// - A movement is public once it has departed and the operation's
//   publication delay has passed; before that only its route and date show.
// - Every figure below the operation's threshold shows as "fewer than k", and
//   enough other figures are withheld that no sum or difference recovers it
//   (see disclosure.ts).
import type { LocalizedText } from '../../db/schema.ts';
import { daysBetween, localDay } from './calendar.ts';
import { FigureCells, type PublicFigure, suppressSmallCounts } from './disclosure.ts';
import { GROUPS, STAGES, type Stage, notBrokenDown } from './figures.ts';
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
  // A departure recorded without its time counts from when it was recorded.
  const departed = m.departedAt ?? m.updatedAt;
  return new Date(departed.getTime() + delayMinutes * MINUTE);
}

export function isPublished(m: SnapshotMovement, delayMinutes: number, now: Date): boolean {
  const at = publicationTime(m, delayMinutes);
  return at !== null && at.getTime() <= now.getTime();
}

export function toPublicProjection(snapshot: Snapshot, now: Date): PublicProjection;
export function toPublicProjection(snapshots: Snapshot[], now: Date): PublicProjection;
export function toPublicProjection(input: Snapshot | Snapshot[], now: Date): PublicProjection {
  const snapshots = Array.isArray(input) ? input : [input];
  const changes: number[] = [];
  const operations = snapshots.map((s) => projectOperation(s, now, changes));
  const future = changes.filter((t) => t > now.getTime());
  const last = operations.map((o) => o.lastUpdatedAt.getTime());
  return {
    operations,
    generatedAt: now,
    lastUpdatedAt: new Date(last.length ? Math.max(...last) : 0),
    validUntil: future.length ? new Date(Math.min(...future)) : null,
  };
}

function projectOperation(snap: Snapshot, now: Date, changes: number[]): PublicOperation {
  const op = snap.operation;
  const k = op.smallCountThreshold;
  const tz = op.timeZone;
  const cells = new FigureCells();
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

  // Cells: per published movement and stage; per route; per operation; per group; per day.
  const publishedByRoute = new Map<number, SnapshotMovement[]>();
  const waitingMovements: SnapshotMovement[] = [];
  for (const r of snap.routes) {
    const pub = r.movements.filter((m) => live(m) && published(m));
    publishedByRoute.set(r.id, pub);
    waitingMovements.push(...r.movements.filter((m) => live(m) && !published(m)));
    for (const m of pub) {
      for (const s of STAGES) cells.add(`m${m.id}.${s}`, m.counts[s].total);
      cells.differences(`m${m.id}`);
    }
    for (const s of STAGES)
      cells.sum(
        `r${r.id}.${s}`,
        pub.map((m) => `m${m.id}.${s}`),
      );
    cells.differences(`r${r.id}`);
  }
  const allPublished = [...publishedByRoute.values()].flat();
  const routeIds = snap.routes.map((r) => r.id);

  cells.add('op.waiting', sumKnown(waitingMovements.map((m) => m.counts.registered.total)));
  for (const s of ['departed', 'arrived'] as const)
    cells.sum(
      `op.${s}`,
      routeIds.map((id) => `r${id}.${s}`),
    );
  cells.sum('op.registered', [...routeIds.map((id) => `r${id}.registered`), 'op.waiting']);
  cells.differences('op', true);

  // Groups: registered over every live movement; departed and arrived over the published ones.
  const stageMovements = (s: Stage) =>
    s === 'registered' ? [...allPublished, ...waitingMovements] : allPublished;
  for (const s of STAGES) {
    const withTotal = stageMovements(s).filter((m) => m.counts[s].total !== null);
    const parts: string[] = [];
    for (const g of GROUPS) {
      const known = withTotal.map((m) => m.counts[s][g]).filter((v): v is number => v !== null);
      if (known.length === 0) continue;
      cells.add(`g.${g}.${s}`, sumKnown(known));
      parts.push(`g.${g}.${s}`);
    }
    if (parts.length > 0) {
      cells.add(`g.notBrokenDown.${s}`, sumKnown(withTotal.map((m) => notBrokenDown(m.counts[s]))));
      cells.relate(`op.${s}`, [...parts, `g.notBrokenDown.${s}`]);
    }
  }
  for (const g of [...GROUPS, 'notBrokenDown'] as const) cells.differences(`g.${g}`);

  // Arrivals per day: a movement's arrived figure on the local day it arrived.
  const byDay = new Map<string, string[]>();
  const undated: string[] = [];
  for (const m of allPublished) {
    if (m.counts.arrived.total === null) continue;
    if (m.arrivedAt) {
      const day = localDay(m.arrivedAt, tz);
      byDay.set(day, [...(byDay.get(day) ?? []), `m${m.id}.arrived`]);
    } else undated.push(`m${m.id}.arrived`);
  }
  const days = withQuietDays([...byDay.keys()].sort());
  for (const d of days) cells.sum(`day.${d}`, byDay.get(d) ?? [], 0);
  if (undated.length) cells.sum('day.undated', undated);
  if (days.length || undated.length)
    cells.relate('op.arrived', [...days.map((d) => `day.${d}`), ...(undated.length ? ['day.undated'] : [])]);

  const hidden = suppressSmallCounts(cells.list(), cells.relations, k);
  const fig = (id: string): PublicFigure => cells.figure(id, hidden.get(id), k);
  const stageFigures = (prefix: string): PublicStageFigures => ({
    registered: fig(`${prefix}.registered`),
    departed: fig(`${prefix}.departed`),
    arrived: fig(`${prefix}.arrived`),
  });

  const routes: PublicRoute[] = snap.routes.map((r) =>
    projectRoute(r, publishedByRoute.get(r.id)!, now, op.staleAfterHours, changes, {
      stageFigures,
      source: (id) => use(source(id)),
    }),
  );
  const visibleNotices = snap.notices.filter((n) => n.publishedAt <= now);
  for (const n of snap.notices) {
    if (n.publishedAt > now) changes.push(n.publishedAt.getTime());
    if (n.expiresAt) changes.push(n.expiresAt.getTime());
  }
  const routeNames = new Map(snap.routes.map((r) => [r.id, r.names]));
  const routeOf = new Map(snap.routes.flatMap((r) => r.movements.map((m) => [m.id, r.id] as const)));
  return {
    id: op.id,
    slug: op.slug,
    names: op.names,
    timeZone: tz,
    status: op.status,
    threshold: k,
    publicationDelayMinutes: op.publicationDelayMinutes,
    staleAfterHours: op.staleAfterHours,
    lastUpdatedAt: latest([
      op.updatedAt,
      ...routes.map((r) => r.updatedAt),
      ...visibleNotices.map((n) => n.publishedAt),
    ]),
    totals: {
      registered: fig('op.registered'),
      waiting: fig('op.waiting'),
      departed: fig('op.departed'),
      arrived: fig('op.arrived'),
      onTheWay: fig('op.departed-arrived'),
    },
    groups: (['womenChildren', 'over60', 'medical', 'other', 'notBrokenDown'] as const)
      .filter((g) => STAGES.some((s) => cells.has(`g.${g}.${s}`)))
      .map((g) => ({ group: g, figures: stageFigures(`g.${g}`) })),
    arrivalsByDay: days.map((d) => ({ day: d, arrived: fig(`day.${d}`) })),
    arrivalsUndated: undated.length ? fig('day.undated') : null,
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
      .map((n) => ({ id: n.id, bodies: n.bodies, pinned: n.pinned, publishedAt: n.publishedAt })),
    sources: [...usedSources].map((id) => source(id)!).sort((a, b) => a.id - b.id),
  };
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
  },
): PublicRoute {
  const pubIds = new Set(pub.map((m) => m.id));
  // What the public can see changed: unpublished movements' edits do not count.
  const updatedAt = latest(
    [r.updatedAt, ...r.legs.map((l) => l.updatedAt), ...pub.map((m) => m.updatedAt)].filter((d) => d <= now),
    r.updatedAt,
  );
  const staleAt = updatedAt.getTime() + staleAfterHours * HOUR;
  changes.push(staleAt);
  return {
    id: r.id,
    slug: r.slug,
    names: r.names,
    publicNote: r.publicNote,
    source: h.source(r.sourceId),
    legs: r.legs.map((l) => ({
      position: l.position,
      from: place(l.from),
      to: place(l.to),
      mode: l.mode,
      crossesBorder: l.crossesBorder,
      crossingStatus: l.crossesBorder ? l.crossingStatus : null,
      updatedAt: l.updatedAt,
    })),
    movements: r.movements.map((m): PublicMovement => {
      if (!pubIds.has(m.id)) {
        return {
          published: false,
          id: m.id,
          status: m.status === 'cancelled' ? 'cancelled' : 'upcoming',
          scheduledDate: m.scheduledDate,
        };
      }
      return {
        published: true,
        id: m.id,
        label: m.label,
        kind: m.kind,
        status: m.status as PublishedMovement['status'],
        delayed: m.delayed,
        scheduledDate: m.scheduledDate,
        departedAt: m.departedAt,
        arrivedAt: m.arrivedAt,
        publicNote: m.publicNote,
        source: h.source(m.countsSourceId ?? m.sourceId) ?? h.source(m.sourceId),
        figures: h.stageFigures(`m${m.id}`),
        updatedAt: m.updatedAt,
      };
    }),
    figures: h.stageFigures(`r${r.id}`),
    updatedAt,
    stale: now.getTime() > staleAt,
  };
}

const place = (p: {
  slug: string;
  names: LocalizedText;
  countryCode: string;
  kind: string;
}): PublicPlace => ({
  slug: p.slug,
  names: p.names,
  countryCode: p.countryCode,
  kind: p.kind,
});

function latest(dates: Date[], fallback = new Date(0)): Date {
  return dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : fallback;
}

function sumKnown(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

/** Every day from the first to the last (up to four months), so a chart shows the quiet days too. */
function withQuietDays(sorted: string[]): string[] {
  if (sorted.length === 0) return [];
  const [first, last] = [sorted[0]!, sorted[sorted.length - 1]!];
  if ((Date.parse(last) - Date.parse(first)) / (24 * HOUR) > 120) return sorted;
  return daysBetween(first, last);
}
