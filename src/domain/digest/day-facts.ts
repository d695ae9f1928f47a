// What a day's digest adds to its figures: when they were true (figures as of),
// the sources they come from, the corrections of that day recorded later, and
// staleness measured from the evacuation's time, not the database's.
import type { LateCorrection } from '../../store/repositories/as-of.ts';
import { hasDeparted } from '../movement-status.ts';
import { type AsOfMoment, isFinal, latestMoment, movementAsOfMoment } from '../figures-as-of.ts';
import { localDay } from '../calendar.ts';
import { isStale } from '../staleness.ts';
import type { Snapshot, SnapshotRoute } from '../snapshot.ts';
import type { CorrectionLine, DigestContent, SourceLine } from './content-model.ts';
import { byCodeUnits } from '../../compare.ts';

/** Any figure recorded as of this state: a day before the first has nothing to compare with. */
export function hasAnyFigure(snap: Snapshot): boolean {
  return snap.routes.some((r) => r.movements.some((m) => m.figuresAsOf !== null));
}

/** Per movement: whether its departure and arrival times are known (or only their day). */
export function timesKnown(snap: Snapshot): Map<number, { departed: boolean; arrived: boolean }> {
  return new Map(
    snap.routes.flatMap((r) =>
      r.movements.map((m) => [m.id, { departed: m.departedTimeKnown, arrived: m.arrivedTimeKnown }] as const),
    ),
  );
}

/**
 * Stale: no figure or event for longer than the threshold — counted from the latest moment
 * the figures may have been true (staleness.ts) — unless the route's figures are final.
 */
export function routeStale(
  r: SnapshotRoute,
  operation: { status: 'active' | 'closed'; timeZone: string; staleAfterHours: number },
  now: Date,
): boolean {
  const live = r.movements.filter((m) => m.status !== 'cancelled');
  if (live.length === 0 || isFinal(operation.status, r.movements)) return false;
  const tz = operation.timeZone;
  const asOf = latestMoment(
    live.map((m) => movementAsOfMoment(m, now, tz)),
    tz,
  );
  return (
    asOf !== null && isStale(asOf.at, asOf.timeKnown, operation.timeZone, operation.staleAfterHours, now)
  );
}

/**
 * The day a digest of `day` dates a source by: its own (a report's date, as the status page
 * shows it). A source dated after the digest's day was recorded after it — the desk's own
 * record, or a source typed on the count editor, is dated the day it was recorded — and a
 * reader never sees when a figure was recorded: it is dated by the as-of day of the figures
 * cited from it (never after `day`), or `day` when none is known.
 */
export function sourceDay(publishedOn: string, day: string, citedAsOfDay: string | null): string {
  if (byCodeUnits(publishedOn, day) <= 0) return publishedOn;
  return citedAsOfDay !== null && byCodeUnits(citedAsOfDay, day) <= 0 ? citedAsOfDay : day;
}

/** Add the day's figures-as-of, sources and corrections (public: no labels, no values). */
export function withDayFacts(
  content: DigestContent,
  snap: Snapshot,
  facts: { corrections: LateCorrection[]; at: Date },
): DigestContent {
  const isPublic = content.audience === 'public';
  const shown = new Set(
    [
      ...content.departed,
      ...content.arrived,
      ...content.cancelled,
      ...content.scheduledNextDay,
      ...(content.dueNotDeparted ?? []),
    ].map((l) => l.id),
  );
  const movements = snap.routes.flatMap((r) =>
    r.movements.filter((m) => m.status !== 'cancelled').map((m) => ({ r, m })),
  );
  const tz = content.operation.timeZone;
  // Public: departed movements' figures and events; the others only through the waiting total.
  const asOf = latestMoment(
    movements.map(({ m }) => movementAsOfMoment(m, facts.at, tz, isPublic && !hasDeparted(m.status))),
    tz,
  );
  // Each source with the latest as-of of the figures cited from it (the day a source
  // recorded after D is dated by: sourceDay).
  const cited = new Map<number, AsOfMoment | null>();
  for (const { r, m } of movements) {
    const counted = m.figuresAsOf !== null || shown.has(m.id);
    if (!counted || (isPublic && !hasDeparted(m.status) && !shown.has(m.id))) continue;
    const id = m.countsSourceId ?? m.sourceId ?? r.sourceId;
    const moment = movementAsOfMoment(m, facts.at, tz, isPublic && !hasDeparted(m.status));
    if (id !== null) cited.set(id, latestMoment([cited.get(id) ?? null, moment], tz));
  }
  const sources: SourceLine[] = [...cited]
    .flatMap(([id, moment]) => {
      const s = snap.sources.get(id);
      if (!s) return [];
      const publishedOn = sourceDay(s.publishedOn, content.day, moment ? localDay(moment.at, tz) : null);
      return [{ s, publishedOn }];
    })
    .sort((a, b) => byCodeUnits(a.publishedOn, b.publishedOn) || a.s.id - b.s.id)
    .map(({ s, publishedOn }) => ({
      outlet: s.outlet,
      title: s.title,
      outlets: s.outlets,
      titles: s.titles,
      language: s.language,
      publishedOn,
      url: s.url,
    }));
  const where = new Map(movements.map(({ r, m }) => [m.id, { r, m }]));
  const corrections: CorrectionLine[] = [];
  for (const c of facts.corrections) {
    const found = where.get(c.movementId);
    if (!found || (isPublic && !hasDeparted(found.m.status) && c.stage !== 'registered')) continue;
    corrections.push({
      routeId: found.r.id,
      routeNames: found.r.names,
      label: isPublic ? null : found.m.label,
      stage: c.stage,
      field: c.field,
      oldValue: isPublic ? null : c.oldValue,
      newValue: isPublic ? null : c.newValue,
      recordedAt: c.recordedAt.toISOString(),
    });
  }
  // Times shown are the evacuation's (as of), never when the database was written.
  const fallback = (asOf?.at ?? facts.at).toISOString();
  const routeAsOf = new Map(
    snap.routes.map((r) => {
      const moment = latestMoment(
        r.movements
          .filter((m) => m.status !== 'cancelled')
          .map((m) => movementAsOfMoment(m, facts.at, tz, isPublic && !hasDeparted(m.status))),
        tz,
      );
      return [r.id, moment ? moment.at.toISOString() : fallback] as const;
    }),
  );
  return {
    ...content,
    lastUpdatedAt: fallback,
    routes: content.routes.map((r) => ({ ...r, updatedAt: routeAsOf.get(r.id) ?? fallback })),
    figuresAsOf: asOf ? asOf.at.toISOString() : null,
    figuresAsOfTimeKnown: asOf?.timeKnown ?? true,
    sources,
    corrections,
  };
}
