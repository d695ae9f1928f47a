// One evacuation route as the public sees it (part of the public projection,
// privacy.ts): its legs and places, each movement published or only announced, the
// route's figures from the disclosure, and when it is "as of" and stale.
import type { LocalizedText } from '../../db/schema.ts';
import { startOfDay } from './calendar.ts';
import { movementAsOfMoment, latestMoment } from './figures-as-of.ts';
import { publicationTime } from './publication.ts';
import { staleFrom } from './staleness.ts';
import type { SnapshotMovement, SnapshotRoute } from './snapshot.ts';
import type {
  PublicMovement,
  PublicPlace,
  PublicRoute,
  PublicSource,
  PublicStageFigures,
  PublishedMovement,
} from './public-projection.ts';

export function projectRoute(
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
  const asOf = latestMoment(
    pub.map((m) => movementAsOfMoment(m, now, h.timeZone)),
    h.timeZone,
  );
  // Without any, the route is as of its report (never the time it was written down).
  const reported = h.source(r.sourceId)?.publishedOn;
  const updatedAt = asOf?.at ?? (reported ? startOfDay(reported, h.timeZone) : new Date(0));
  // Stale after the threshold from the latest moment the figures may have been true
  // (a day-only as-of: that day's end), staleness.ts; the projection changes then.
  const staleAt =
    asOf && !h.final ? staleFrom(asOf.at, asOf.timeKnown, h.timeZone, staleAfterHours).getTime() : null;
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
      const moment = movementAsOfMoment(m, now, h.timeZone);
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
