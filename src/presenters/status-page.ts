// Public projection → view model of the status page. All formatting happens
// here; the template only places finished strings and numbers.
import type {
  PublicFigure,
  PublicMovement,
  PublicOperation,
  PublicProjection,
  PublicRoute,
  PublicSource,
} from '../domain/privacy.ts';
import { type Lang, LANGUAGES, localized, nativeName, t } from '../i18n/index.ts';
import { arrivalsChart } from './arrivals-chart.ts';
import { formatDateTime, formatDay } from './format.ts';
import { figureCell, figureValue, formatTime, zoneName } from './public-format.ts';
import { routeDiagram } from './route-diagram.ts';

export type PageMeta = {
  /** Set when the database could not be read: the figures are those of this moment. */
  degradedAsOf?: Date;
};

export function languageLinks(lang: Lang, path = '/') {
  return LANGUAGES.map((l) => ({
    code: l,
    label: nativeName(l),
    current: l === lang,
    href: `${path}?lang=${l}`,
  }));
}

export function presentStatusPage(projection: PublicProjection, lang: Lang, meta: PageMeta = {}) {
  const zone = projection.operations[0]?.timeZone ?? 'Asia/Almaty';
  return {
    lang,
    title: t(lang, 'site.title'),
    description: t(lang, 'site.tagline'),
    languages: languageLinks(lang),
    degraded: meta.degradedAsOf
      ? { text: t(lang, 'status.degraded', { time: formatDateTime(lang, meta.degradedAsOf, zone) }) }
      : null,
    empty: projection.operations.length === 0,
    operations: projection.operations.map((op, i) => presentOperation(op, lang, i)),
    links: { json: '/api/v1/status', atom: `/feed.atom?lang=${lang}`, csv: '/status.csv' },
  };
}

function presentOperation(op: PublicOperation, lang: Lang, index: number) {
  const tz = op.timeZone;
  const k = op.threshold;
  // The headline names the next departure still to come; one only overdue is marked so.
  const next = op.nextDepartures.find((d) => !d.overdue) ?? op.nextDepartures[0];
  const headline = [
    { key: 'arrived', label: t(lang, 'headline.arrived'), ...figureCell(lang, op.totals.arrived) },
    { key: 'on-the-way', label: t(lang, 'headline.on_the_way'), ...figureCell(lang, op.totals.onTheWay) },
    { key: 'waiting', label: t(lang, 'headline.waiting'), ...figureCell(lang, op.totals.waiting) },
  ];
  const chart = arrivalsChart(lang, op.arrivalsByDay);
  return {
    id: `op-${index}`,
    name: localized(op.names, lang),
    closed: op.status === 'closed',
    updated: formatDateTime(lang, op.lastUpdatedAt, tz),
    updatedIso: op.lastUpdatedAt.toISOString(),
    timeZone: t(lang, 'status.time_zone', { zone: zoneName(lang, tz, op.lastUpdatedAt) }),
    notices: op.notices.map((n) => ({ body: localized(n.bodies, lang), pinned: n.pinned })),
    hasNotices: op.notices.length > 0,
    headline,
    next: next
      ? {
          date: next.scheduledDate
            ? formatDay(lang, next.scheduledDate)
            : t(lang, 'movement.date_not_reported'),
          route: localized(next.routeNames, lang),
          overdue: next.overdue ? t(lang, 'next.overdue') : null,
          more:
            op.nextDepartures.length > 1
              ? t(lang, 'headline.more_departures', { count: op.nextDepartures.length - 1 })
              : null,
        }
      : null,
    nextDepartures: op.nextDepartures.map((d) => ({
      date: d.scheduledDate ? formatDay(lang, d.scheduledDate) : t(lang, 'movement.date_not_reported'),
      iso: d.scheduledDate,
      overdue: d.overdue ? t(lang, 'next.overdue') : null,
      route: localized(d.routeNames, lang),
    })),
    groups: op.groups.length
      ? op.groups.map((g) => ({
          label: t(lang, `group.${g.group}`),
          registered: figureCell(lang, g.figures.registered),
          departed: figureCell(lang, g.figures.departed),
          arrived: figureCell(lang, g.figures.arrived),
          progress: progress(lang, g.figures.arrived, g.figures.registered, g.figures.departed),
        }))
      : null,
    chart,
    days: op.arrivalsByDay.map((d) => ({
      label: formatDay(lang, d.day),
      iso: d.day,
      ...figureCell(lang, d.arrived),
    })),
    undated: op.arrivalsUndated ? figureCell(lang, op.arrivalsUndated) : null,
    hasArrivals: op.arrivalsByDay.length > 0 || op.arrivalsUndated !== null,
    routes: op.routes.map((r, i) => presentRoute(r, lang, tz, op.staleAfterHours, `${index}-${i}`)),
    sources: op.sources.map((s) => sourceLine(lang, s)),
    privacyNote: t(lang, 'privacy.note', { count: k }),
    delayNote: op.publicationDelayMinutes
      ? t(lang, 'privacy.delay', { count: op.publicationDelayMinutes })
      : t(lang, 'privacy.after_departure'),
  };
}

/** "120 of 150 home", against those registered (or, without a list, those who left). */
function progress(lang: Lang, arrived: PublicFigure, registered: PublicFigure, departed: PublicFigure) {
  const a = figureValue(arrived);
  const base = [figureValue(registered), figureValue(departed)].find(
    (v) => v !== null && a !== null && v >= a,
  );
  if (a === null || base === undefined || base === null || base === 0) return null;
  return {
    text: t(lang, 'groups.progress', { arrived: a, total: base }),
    width: Math.round((a / base) * 1000) / 10,
  };
}

function presentRoute(r: PublicRoute, lang: Lang, tz: string, staleAfterHours: number, id: string) {
  return {
    id: `route-${id}`,
    name: localized(r.names, lang),
    updated: formatDateTime(lang, r.updatedAt, tz),
    updatedIso: r.updatedAt.toISOString(),
    stale: r.stale ? t(lang, 'route.stale', { count: staleAfterHours }) : null,
    note: r.publicNote,
    diagram: routeDiagram(lang, r.legs),
    source: r.source ? sourceLine(lang, r.source) : null,
    hasMovements: r.movements.length > 0,
    movements: r.movements.map((m) => presentMovement(m, lang, tz)),
    totals: {
      registered: figureCell(lang, r.figures.registered),
      departed: figureCell(lang, r.figures.departed),
      arrived: figureCell(lang, r.figures.arrived),
    },
    hasTotals: r.movements.filter((m) => m.published).length > 1,
  };
}

function presentMovement(m: PublicMovement, lang: Lang, tz: string) {
  const date = m.scheduledDate ? formatDay(lang, m.scheduledDate) : t(lang, 'movement.date_not_reported');
  if (!m.published) {
    return {
      published: false,
      label: t(lang, m.status === 'cancelled' ? 'movement.cancelled_label' : 'movement.upcoming_label'),
      date,
      status: t(lang, m.status === 'cancelled' ? 'movement.status.cancelled' : 'movement.status.upcoming'),
      statusClass: m.status === 'cancelled' ? 's-cancelled' : 's-upcoming',
      pending: m.status === 'cancelled' ? null : t(lang, 'movement.after_departure'),
    };
  }
  return {
    published: true,
    label: m.label,
    kind: t(lang, `movement.kind.${m.kind}`),
    date,
    status: t(lang, `movement.status.${m.status}`),
    statusClass: `s-${m.status}`,
    delayed: m.delayed,
    departed: m.departedAt
      ? t(lang, 'movement.departed_at', { time: formatTime(lang, m.departedAt, tz) })
      : null,
    arrived: m.arrivedAt ? t(lang, 'movement.arrived_at', { time: formatTime(lang, m.arrivedAt, tz) }) : null,
    updated: t(lang, 'movement.updated', { time: formatTime(lang, m.updatedAt, tz) }),
    updatedIso: m.updatedAt.toISOString(),
    registered: figureCell(lang, m.figures.registered),
    departedCount: figureCell(lang, m.figures.departed),
    arrivedCount: figureCell(lang, m.figures.arrived),
    note: m.publicNote,
    source: m.source ? sourceLine(lang, m.source) : null,
  };
}

function sourceLine(lang: Lang, s: PublicSource) {
  return { outlet: s.outlet, title: s.title, date: formatDay(lang, s.publishedOn), url: s.url };
}
