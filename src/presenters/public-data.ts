// The JSON API (GET /api/v1/status), a view of the same PublicProjection as the page.
// The Atom feed is in public-atom.ts, the CSV and its HXL variant in public-csv.ts.
import type { PublicFigure, PublicMovement, PublicProjection } from '../domain/privacy.ts';

export const API_VERSION = 1;

type JsonFigure =
  | { status: 'value'; value: number }
  /** A lower bound: some of the people it counts have no reported figure. */
  | { status: 'at_least'; value: number }
  | { status: 'not_reported'; value: null }
  | { status: 'fewer_than'; value: null; threshold: number }
  | { status: 'withheld'; value: null };

export function jsonFigure(f: PublicFigure): JsonFigure {
  if (f.kind === 'value' || f.kind === 'at_least') return { status: f.kind, value: f.value };
  if (f.kind === 'fewer_than') return { status: 'fewer_than', value: null, threshold: f.threshold };
  return { status: f.kind, value: null };
}

const stages = (f: Record<'registered' | 'departed' | 'arrived', PublicFigure>) => ({
  registered: jsonFigure(f.registered),
  departed: jsonFigure(f.departed),
  arrived: jsonFigure(f.arrived),
});

export function statusJson(p: PublicProjection, meta: { degradedAsOf?: Date }) {
  return {
    version: API_VERSION,
    lastUpdatedAt: p.lastUpdatedAt.toISOString(),
    /** The database could not be read: these are the figures as of `figuresAsOf`. */
    degraded: meta.degradedAsOf !== undefined,
    figuresAsOf: meta.degradedAsOf?.toISOString() ?? null,
    operations: p.operations.map((op) => ({
      slug: op.slug,
      names: op.names,
      timeZone: op.timeZone,
      workingLanguage: op.workingLanguage,
      status: op.status,
      lastUpdatedAt: op.lastUpdatedAt.toISOString(),
      figuresAsOf: op.figuresAsOf?.toISOString() ?? null,
      figuresAsOfTimeKnown: op.figuresAsOfTimeKnown,
      final: op.final,
      smallCountThreshold: op.threshold,
      publicationDelayMinutes: op.publicationDelayMinutes,
      staleAfterHours: op.staleAfterHours,
      totals: {
        registered: jsonFigure(op.totals.registered),
        waiting: jsonFigure(op.totals.waiting),
        departed: jsonFigure(op.totals.departed),
        arrived: jsonFigure(op.totals.arrived),
        onTheWay: jsonFigure(op.totals.onTheWay),
        stageNotReported: jsonFigure(op.totals.stageNotReported),
      },
      /** The sources the totals rest on (ids into `sources`): each counted movement's latest change. */
      totalsSources: op.totalsSources.map((s) => s.id),
      groups: op.groups.map((g) => ({ group: g.group, ...stages(g.figures) })),
      arrivalsByDay: op.arrivalsByDay.map((d) => ({ date: d.day, arrived: jsonFigure(d.arrived) })),
      arrivalsUndated: op.arrivalsUndated ? jsonFigure(op.arrivalsUndated) : null,
      nextDepartures: op.nextDepartures.map((d) => ({
        route: op.routes.find((r) => r.id === d.routeId)?.slug ?? null,
        date: d.scheduledDate,
        overdue: d.overdue,
      })),
      notices: op.notices.map((n) => ({
        id: n.id,
        text: n.bodies,
        pinned: n.pinned,
        publishedAt: n.publishedAt.toISOString(),
        source: n.source?.id ?? null,
        quote: n.quote,
      })),
      routes: op.routes.map((r) => ({
        slug: r.slug,
        names: r.names,
        notes: r.publicNotes,
        quote: r.publicQuote,
        source: r.source?.id ?? null,
        updatedAt: r.updatedAt.toISOString(),
        figuresAsOf: r.figuresAsOf?.toISOString() ?? null,
        figuresAsOfTimeKnown: r.figuresAsOfTimeKnown,
        final: r.final,
        stale: r.stale,
        totals: stages(r.figures),
        legs: r.legs.map((l) => ({
          position: l.position,
          from: l.from,
          to: l.to,
          mode: l.mode,
          crossesBorder: l.crossesBorder,
          crossingStatus: l.crossingStatus,
          notes: l.publicNotes,
        })),
        movements: r.movements.map(jsonMovement),
      })),
      sources: op.sources.map((s) => ({
        id: s.id,
        title: s.title,
        titles: s.titles,
        outlet: s.outlet,
        outlets: s.outlets,
        publishedOn: s.publishedOn,
        language: s.language,
        url: s.url,
      })),
      publisher: { names: op.publisher.authority, url: op.publisher.url },
      lead: op.publisher.lead,
      contacts: op.contacts.map((c) => ({
        id: c.id,
        kind: c.kind,
        country: c.countryCode,
        names: c.names,
        phone: c.phone,
        email: c.email,
        url: c.url,
        address: c.address,
        hours: c.hours,
        checkedOn: c.checkedOn,
      })),
    })),
  };
}

function jsonMovement(m: PublicMovement) {
  if (!m.published) return { published: false, id: m.id, status: m.status, date: m.scheduledDate };
  return {
    published: true,
    id: m.id,
    labels: m.labels,
    kind: m.kind,
    status: m.status,
    delayed: m.delayed,
    date: m.scheduledDate,
    departedAt: m.departedAt?.toISOString() ?? null,
    arrivedAt: m.arrivedAt?.toISOString() ?? null,
    updatedAt: m.updatedAt.toISOString(),
    figuresAsOf: m.figuresAsOf?.toISOString() ?? null,
    figuresAsOfTimeKnown: m.figuresAsOfTimeKnown,
    notes: m.publicNotes,
    quote: m.publicQuote,
    source: m.source?.id ?? null,
    figures: stages(m.figures),
  };
}
