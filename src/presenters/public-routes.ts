// Route cards of the public page. Each route is one line (<details>) that opens on
// a tap or an anchor link; routes with no movements that carry the same note and
// start from the same place share one compact card ("Iran → Armenia, Azerbaijan or
// Turkmenistan"). A card lists at most ROUTE_ROWS movements; its own page has all.
import type { PublicMovement, PublicRoute, PublicSource, PublishedMovement } from '../domain/privacy.ts';
import { type Lang, localeOf, localized, t } from '../i18n/index.ts';
import { localDay } from '../domain/calendar.ts';
import { formatDay } from './format.ts';
import { asOfLine } from './public-as-of.ts';
import { figureCell, formatTime } from './public-format.ts';
import { publicAnchor } from '../public/urls.ts';
import { publicLinks } from './public-links.ts';
import { localizedPart, optionalPart, optionalQuote, sourceParts } from './localized-part.ts';
import { routeDiagram } from './route-diagram.ts';
import { byCodeUnits } from '../compare.ts';
import { type Departure, nextDeparture } from '../domain/next-departure.ts';

/** Movements a card shows on the page (the next departures, then the latest news). */
export const ROUTE_ROWS = 8;
/** Movements per page of a route's own page. */
export const ROUTE_PAGE_ROWS = 100;

/**
 * `prefer`: the operation's working language, shown first where the reader's is missing.
 * `departures`: the operation's next departures (the projection's, with their "date passed"
 * flag), so a card names its next one as the headline does (domain/next-departure.ts).
 */
type Ctx = {
  lang: Lang;
  tz: string;
  staleAfterHours: number;
  prefer?: readonly Lang[];
  departures: readonly Departure[];
};

export function presentRouteCards(routes: PublicRoute[], ctx: Ctx) {
  const groups = new Map<string, PublicRoute[]>();
  for (const r of routes) {
    if (r.movements.length > 0 || r.legs.length === 0) continue;
    const key = `${r.legs[0]!.from.slug}\u0000${JSON.stringify(r.publicNotes)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const grouped = new Set([...groups.values()].filter((g) => g.length > 1).flat());
  const cards: ReturnType<typeof routeCard | typeof groupCard>[] = [];
  const done = new Set<PublicRoute>();
  for (const r of routes) {
    if (done.has(r)) continue;
    if (grouped.has(r)) {
      const members = [...groups.values()].find((g) => g.includes(r))!;
      members.forEach((m) => done.add(m));
      cards.push(groupCard(members, ctx));
    } else cards.push(routeCard(r, ctx, ROUTE_ROWS));
  }
  return cards;
}

/** One route with its movements, `limit` of them (its own page: all, a page at a time). */
export function routeCard(r: PublicRoute, ctx: Ctx, limit: number, page = 1) {
  const { lang, tz } = ctx;
  const shown = limit >= r.movements.length ? r.movements : pickRows(r.movements, limit, page);
  const overdue = new Set(
    ctx.departures.filter((d) => d.routeId === r.id && d.overdue).map((d) => d.movementId),
  );
  return {
    group: false as const,
    id: publicAnchor('route', r.id),
    name: localized(r.names, lang),
    state: routeState(r, lang, ctx.departures),
    // "Figures as of …" (final when every movement arrived or was cancelled); a route
    // with none is dated by its report.
    asOf: asOfLine(lang, tz, r, r.source?.publishedOn),
    stale: r.stale ? t(lang, 'route.stale', { count: ctx.staleAfterHours }) : null,
    note: optionalPart(r.publicNotes, lang, ctx.prefer),
    quote: optionalQuote(r.publicQuote, lang),
    legNotes: r.legs.flatMap((l) => optionalPart(l.publicNotes, lang, ctx.prefer) ?? []),
    diagram: routeDiagram(lang, r.legs),
    source: r.source ? sourceLine(lang, r.source, ctx.prefer) : null,
    hasMovements: r.movements.length > 0,
    movements: shown.map((m) => presentMovement(m, lang, tz, ctx.prefer, overdue.has(m.id))),
    more:
      shown.length < r.movements.length && page === 1
        ? {
            href: publicLinks.route(lang, r.slug),
            text: t(lang, 'route.all_movements', { count: r.movements.length }),
          }
        : null,
    totals: {
      registered: figureCell(lang, r.figures.registered),
      departed: figureCell(lang, r.figures.departed),
      arrived: figureCell(lang, r.figures.arrived),
    },
    hasTotals: r.movements.filter((m) => m.published).length > 1,
  };
}

function groupCard(members: PublicRoute[], ctx: Ctx) {
  const { lang } = ctx;
  const first = members[0]!;
  const from = localized(first.legs[0]!.from.names, lang);
  const ends = members.map((r) => localized(r.legs[r.legs.length - 1]!.to.names, lang));
  const list = new Intl.ListFormat(localeOf(lang), { type: 'disjunction' }).format(ends);
  const sources = new Map<number, PublicSource>();
  for (const r of members) if (r.source) sources.set(r.source.id, r.source);
  return {
    group: true as const,
    id: `routes-${first.slug}`,
    name: t(lang, 'routes.group_title', { from, to: list }),
    state: { text: t(lang, 'route.state.none'), cls: 'st-none', overdue: null },
    note: optionalPart(first.publicNotes, lang, ctx.prefer),
    // The members' quotations, each once (the reports they rest on may differ).
    quotes: [...new Map(members.map((r) => [JSON.stringify(r.publicQuote), r.publicQuote])).values()].flatMap(
      (q) => optionalQuote(q, lang) ?? [],
    ),
    routes: members.map((r) => ({
      id: publicAnchor('route', r.id),
      name: localized(r.names, lang),
      stale: r.stale ? t(lang, 'route.stale', { count: ctx.staleAfterHours }) : null,
      crossings: r.legs
        .filter((l) => l.crossesBorder)
        .map((l) => ({
          text: t(lang, `crossing.${l.crossingStatus ?? 'unknown'}`),
          cls: `x-${l.crossingStatus ?? 'unknown'}`,
        })),
      modes: [...new Set(r.legs.map((l) => t(lang, `mode.${l.mode}`)))].join(', '),
    })),
    sources: [...sources.values()].map((s) => sourceLine(lang, s, ctx.prefer)),
  };
}

/**
 * The one-line state of a route: under way, next departure, completed, cancelled, none.
 * The next departure is picked, and said to be past its day, as the headline does
 * ("4 March 2026, date passed, no update yet"), from the same projection's flags.
 */
function routeState(r: PublicRoute, lang: Lang, departures: readonly Departure[]) {
  const published = r.movements.filter((m) => m.published);
  const next = nextDeparture(departures.filter((d) => d.routeId === r.id));
  if (published.some((m) => m.status === 'departed'))
    return { text: t(lang, 'route.state.moving'), cls: 'st-moving', overdue: null };
  if (next) {
    return {
      text: next.scheduledDate
        ? t(lang, 'route.state.next', { date: formatDay(lang, next.scheduledDate) })
        : t(lang, 'route.state.next_undated'),
      cls: 'st-next',
      overdue: next.overdue ? t(lang, 'next.overdue') : null,
    };
  }
  if (published.length) return { text: t(lang, 'route.state.done'), cls: 'st-done', overdue: null };
  if (r.movements.length)
    return { text: t(lang, 'route.state.cancelled'), cls: 'st-cancelled', overdue: null };
  return { text: t(lang, 'route.state.none'), cls: 'st-none', overdue: null };
}

/**
 * Which movements a card shows when there are more than `limit`: on the page, the
 * next departures (up to half) and then the most recently updated; on the route's own
 * page, every movement in date order, a page at a time.
 */
function pickRows(movements: PublicMovement[], limit: number, page: number): PublicMovement[] {
  if (page > 1 || limit >= ROUTE_PAGE_ROWS) return movements.slice((page - 1) * limit, page * limit);
  const upcoming = movements
    .filter((m) => !m.published && m.status === 'upcoming')
    .sort((a, b) => byCodeUnits(a.scheduledDate ?? '9999', b.scheduledDate ?? '9999'))
    .slice(0, Math.ceil(limit / 2));
  const latest = movements
    .filter((m): m is PublishedMovement => m.published)
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
    .slice(0, limit - upcoming.length);
  const keep = new Set([...upcoming, ...latest]);
  return movements.filter((m) => keep.has(m));
}

/** `overdue`: a movement not yet public whose day has passed without news (the projection's flag). */
export function presentMovement(
  m: PublicMovement,
  lang: Lang,
  tz: string,
  prefer: readonly Lang[] = [],
  overdue = false,
) {
  const date = m.scheduledDate ? formatDay(lang, m.scheduledDate) : t(lang, 'movement.date_not_reported');
  if (!m.published) {
    return {
      id: publicAnchor('movement', m.id),
      published: false,
      label: t(lang, m.status === 'cancelled' ? 'movement.cancelled_label' : 'movement.upcoming_label'),
      date,
      status: t(lang, m.status === 'cancelled' ? 'movement.status.cancelled' : 'movement.status.upcoming'),
      statusClass: m.status === 'cancelled' ? 's-cancelled' : 's-upcoming',
      overdue: overdue && m.status !== 'cancelled' ? t(lang, 'next.overdue') : null,
      pending: m.status === 'cancelled' ? null : t(lang, 'movement.after_departure'),
    };
  }
  return {
    id: publicAnchor('movement', m.id),
    published: true,
    label: localizedPart(m.labels, lang, prefer),
    kind: t(lang, `movement.kind.${m.kind}`),
    date,
    status: t(lang, `movement.status.${m.status}`),
    statusClass: `s-${m.status}`,
    delayed: m.delayed,
    departed: m.departedAt
      ? m.departedTimeKnown
        ? t(lang, 'movement.departed_at', { time: formatTime(lang, m.departedAt, tz) })
        : t(lang, 'asof.departed_day', { day: formatDay(lang, localDay(m.departedAt, tz)) })
      : null,
    arrived: m.arrivedAt
      ? m.arrivedTimeKnown
        ? t(lang, 'movement.arrived_at', { time: formatTime(lang, m.arrivedAt, tz) })
        : t(lang, 'asof.arrived_day', { day: formatDay(lang, localDay(m.arrivedAt, tz)) })
      : null,
    asOf: asOfLine(lang, tz, {
      figuresAsOf: m.updatedAt,
      figuresAsOfTimeKnown: m.figuresAsOfTimeKnown,
    }),
    registered: figureCell(lang, m.figures.registered),
    departedCount: figureCell(lang, m.figures.departed),
    arrivedCount: figureCell(lang, m.figures.arrived),
    note: optionalPart(m.publicNotes, lang, prefer),
    quote: optionalQuote(m.publicQuote, lang),
    source: m.source ? sourceLine(lang, m.source, prefer) : null,
  };
}

/** What a source's line is made of (a public source, or a digest's source line). */
export type SourceLineInput = Pick<
  PublicSource,
  'title' | 'titles' | 'outlet' | 'outlets' | 'language' | 'publishedOn' | 'url'
>;

/**
 * A source as a line: outlet, date, title (each in the reader's language or marked).
 * The status page, the feeds and the digest's "Sources" write it alike.
 */
export function sourceLine(lang: Lang, s: SourceLineInput, prefer: readonly Lang[] = []) {
  return { ...sourceParts(s, lang, prefer), date: formatDay(lang, s.publishedOn), url: s.url };
}
