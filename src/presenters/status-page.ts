// Public projection → view model of the status page. All formatting happens
// here; the template only places finished strings and numbers. The order is the
// reader's: who publishes it, the headline, help and contacts, the daily email,
// what happened, the map, then the routes one line each and the detail.
import type { PublicOperation, PublicProjection } from '../domain/privacy.ts';
import { type Lang, LANGUAGES, localized, nativeName, t } from '../i18n/index.ts';
import type { Localized } from '../i18n/languages.ts';
import type { PublicFormat } from '../public/build.ts';
import { alternates, publicAnchor, publicPath } from '../public/urls.ts';
import { arrivalsChart } from './arrivals-chart.ts';
import { languageChoices } from './languages.ts';
import { corridorMap } from './corridor-map.ts';
import { formatDay } from './format.ts';
import { presentGroups, presentHeadline } from './headline.ts';
import { localizedPart, optionalQuote } from './localized-part.ts';
import { figureCell, zoneName } from './public-format.ts';
import { presentHelp } from './public-help.ts';
import { asOfLine, degradedLine } from './public-as-of.ts';
import { presentStory } from './public-story.ts';
import { presentTimelineStart } from './public-timeline.ts';
import { publicLinks } from './public-links.ts';
import { presentRouteCards, sourceLine } from './public-routes.ts';
import { nextDeparture } from '../domain/next-departure.ts';

/** Next departures listed on the page. */
const NEXT_ON_PAGE = 10;

export type PageMeta = {
  /** Set when the database could not be read: the figures are those of this moment. */
  degradedAsOf?: Date;
  /** PUBLIC_BASE_URL: the hreflang alternates are absolute. */
  baseUrl?: string;
};

/** The switcher: plain links to the same page in each language (src/public/urls.ts). */
export function languageLinks(lang: Lang, format: PublicFormat = 'html', path?: (l: Lang) => string) {
  return LANGUAGES.map((l) => ({
    code: l,
    label: nativeName(l),
    current: l === lang,
    href: path ? path(l) : publicPath(l, format),
  }));
}

/** Who publishes the pages: the first public operation's authority (a deployment has one ministry). */
export function presentPublisher(projection: PublicProjection, lang: Lang) {
  const op = projection.operations.find((o) => o.publisher.authority);
  if (!op) return null;
  return publisherHeader(lang, op.publisher.authority!, op.publisher.url);
}

/** The header's publisher, on every public page: its name as written, its official site. */
export function publisherHeader(lang: Lang, authority: Localized, url: string | null | undefined) {
  return {
    name: localizedPart(authority, lang),
    url: url ?? null,
    site: t(lang, 'publisher.official_site'),
  };
}

/** The common parts of every public page's layout: title, header, language links, footer links. */
export function presentPublicChrome(
  projection: PublicProjection,
  lang: Lang,
  title: string,
  page: { format?: PublicFormat; path?: (l: Lang) => string; baseUrl?: string } = {},
) {
  const publisher = presentPublisher(projection, lang);
  const base = (page.baseUrl ?? '').replace(/\/+$/, '');
  return {
    lang,
    title: publisher ? `${title} — ${publisher.name.text}` : title,
    publisher,
    languages: languageLinks(lang, page.format, page.path),
    alternates: page.path
      ? [...LANGUAGES.map((l) => ({ hreflang: l, href: `${base}${page.path!(l)}` }))]
      : alternates(page.baseUrl ?? '', page.format ?? 'html'),
    methodology: { href: publicLinks.methodology(lang), text: t(lang, 'methodology.link') },
    home: publicLinks.page(lang),
    links: {
      json: publicPath(lang, 'json'),
      atom: publicPath(lang, 'atom'),
      csv: publicPath(lang, 'csv'),
      hxl: publicPath(lang, 'hxl'),
    },
  };
}

export function presentStatusPage(projection: PublicProjection, lang: Lang, meta: PageMeta = {}) {
  const first = projection.operations[0];
  const title = first
    ? `${localized(first.names, lang)}: ${t(lang, 'site.title_short')}`
    : t(lang, 'site.title');
  return {
    ...presentPublicChrome(projection, lang, title, { format: 'html', baseUrl: meta.baseUrl }),
    description: t(lang, 'site.tagline'),
    degraded: meta.degradedAsOf
      ? {
          text: degradedLine(lang, projection.operations, meta.degradedAsOf),
          asOf: meta.degradedAsOf.toISOString(),
        }
      : null,
    empty: projection.operations.length === 0,
    operations: projection.operations.map((op, i) => presentOperation(op, lang, i)),
  };
}

function presentNotice(n: PublicOperation['notices'][number], lang: Lang, prefer: Lang[]) {
  return {
    anchor: publicAnchor('notice', n.id),
    body: localizedPart(n.bodies, lang, prefer),
    pinned: n.pinned,
    quote: optionalQuote(n.quote, lang),
    source: n.source ? sourceLine(lang, n.source, prefer) : null,
  };
}

function presentOperation(op: PublicOperation, lang: Lang, index: number) {
  const tz = op.timeZone;
  const k = op.threshold;
  const id = `op-${index}`;
  // The headline names the next departure still to come; one only overdue is marked so.
  const next = nextDeparture(op.nextDepartures);
  const headline = presentHeadline(op, lang);
  const prefer = [op.workingLanguage];
  return {
    id,
    name: localized(op.names, lang),
    closed: op.status === 'closed',
    // "Figures as of …" / "Final figures as of …": the evacuation's time, not a write time.
    asOf: asOfLine(lang, tz, op),
    timeZone: t(lang, 'status.time_zone', { zone: zoneName(lang, tz, op.lastUpdatedAt) }),
    lead: op.publisher.lead ? localizedPart(op.publisher.lead, lang, prefer) : null,
    // The desk's own and pinned notices are what a reader must see first; a note that
    // states a fact from a cited report (who the lists prioritise, with its quotation)
    // is background, read beside the groups after the routes, so the first phone
    // screens keep the headline, help, timeline and map (issue 17).
    notices: op.notices.filter((n) => n.pinned || !n.source).map((n) => presentNotice(n, lang, prefer)),
    reportNotes: op.notices.filter((n) => !n.pinned && n.source).map((n) => presentNotice(n, lang, prefer)),
    story: presentStory(op, lang).text,
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
    help: presentHelp(op, lang),
    signup:
      op.status === 'active'
        ? {
            id: `${id}-signup`,
            operation: op.slug,
            languages: languageChoices(lang),
            routes: op.routes.map((r) => ({ id: r.id, name: localized(r.names, lang) })),
          }
        : null,
    timeline: presentTimelineStart(op, lang),
    map: corridorMap(lang, op),
    // The soonest few; the rest are on the routes' pages (a crisis may have thousands scheduled).
    nextDepartures: op.nextDepartures.slice(0, NEXT_ON_PAGE).map((d) => ({
      date: d.scheduledDate ? formatDay(lang, d.scheduledDate) : t(lang, 'movement.date_not_reported'),
      iso: d.scheduledDate,
      overdue: d.overdue ? t(lang, 'next.overdue') : null,
      route: localized(d.routeNames, lang),
    })),
    nextMore:
      op.nextDepartures.length > NEXT_ON_PAGE
        ? t(lang, 'headline.more_departures', { count: op.nextDepartures.length - NEXT_ON_PAGE })
        : null,
    groups: presentGroups(op, lang),
    chart: arrivalsChart(lang, op.arrivalsByDay),
    days: op.arrivalsByDay.map((d) => ({
      label: formatDay(lang, d.day),
      iso: d.day,
      ...figureCell(lang, d.arrived),
    })),
    undated: op.arrivalsUndated ? figureCell(lang, op.arrivalsUndated) : null,
    hasArrivals: op.arrivalsByDay.length > 0 || op.arrivalsUndated !== null,
    routes: presentRouteCards(op.routes, {
      lang,
      tz,
      staleAfterHours: op.staleAfterHours,
      prefer,
      departures: op.nextDepartures,
    }),
    sources: op.sources.map((s) => sourceLine(lang, s, prefer)),
    totalsSources: op.totalsSources.map((s) => sourceLine(lang, s, prefer)),
    privacyNote: t(lang, 'privacy.note', { count: k }),
    delayNote: op.publicationDelayMinutes
      ? t(lang, 'privacy.delay', { count: op.publicationDelayMinutes })
      : t(lang, 'privacy.after_departure'),
  };
}
