// The public pages with a parameter (src/public/urls.ts): a route's own page,
// /{lang}/routes/<slug>[/<n>], with all its movements a page at a time, and the
// timeline's pages, /{lang}/timeline[/<n>]. Same layout, header and language
// links as the status page; plain links between pages, no script. A slug or a
// page number that does not exist is a 404 (AppError not_found).
import type { PublicOperation, PublicProjection, PublicRoute } from '../domain/privacy.ts';
import { operationTimeline } from '../domain/public-timeline.ts';
import type { PublicFormat } from '../public/build.ts';
import { notFound } from '../errors.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { publicLinks } from './public-links.ts';
import { ROUTE_PAGE_ROWS, routeCard } from './public-routes.ts';
import { TIMELINE_PAGE_SIZE, presentTimelinePage } from './public-timeline.ts';
import { presentPublicChrome } from './status-page.ts';

/** `routes/<slug>[/<n>]` or `timeline[/<n>]` → what and which page; undefined if neither. */
export function parsePagePath(path: string) {
  const parts = path.split('/');
  const page = parts.length > (parts[0] === 'routes' ? 2 : 1) ? Number(parts.at(-1)) : 1;
  if (parts[0] === 'routes' && parts[1]) return { kind: 'route' as const, slug: parts[1], page };
  if (parts[0] === 'timeline') return { kind: 'timeline' as const, page };
  return undefined;
}

export function presentRoutePage(
  projection: PublicProjection,
  lang: Lang,
  slug: string,
  page: number,
  baseUrl?: string,
) {
  let found: { op: PublicOperation; route: PublicRoute } | undefined;
  for (const op of projection.operations)
    for (const route of op.routes) if (route.slug === slug) found = { op, route };
  if (!found) throw notFound('Route');
  const { op, route } = found;
  const pages = Math.max(1, Math.ceil(route.movements.length / ROUTE_PAGE_ROWS));
  if (page > pages) throw notFound('Page');
  const name = localized(route.names, lang);
  const card = routeCard(
    route,
    { lang, tz: op.timeZone, staleAfterHours: op.staleAfterHours, departures: op.nextDepartures },
    ROUTE_PAGE_ROWS,
    page,
  );
  return {
    ...presentPublicChrome(projection, lang, name, {
      path: (l) => publicLinks.route(l, slug, page),
      baseUrl,
    }),
    heading: name,
    operation: { name: localized(op.names, lang), href: `${publicLinks.page(lang)}#${card.id}` },
    card: { ...card, more: null, open: true },
    pager: pager(lang, page, pages, (n) => publicLinks.route(lang, slug, n)),
    timeZone: op.timeZone,
  };
}

export function presentTimelinePages(
  projection: PublicProjection,
  lang: Lang,
  page: number,
  baseUrl?: string,
) {
  const ops = projection.operations.map((op) => {
    const p = presentTimelinePage(op, lang, page);
    return { id: `op-${op.id}`, name: localized(op.names, lang), events: p.events, pages: p.pages };
  });
  const pages = Math.max(1, ...ops.map((o) => o.pages));
  if (page > pages) throw notFound('Page');
  const title = t(lang, 'timeline.page_title');
  return {
    ...presentPublicChrome(projection, lang, title, { path: (l) => publicLinks.timeline(l, page), baseUrl }),
    heading: title,
    operations: ops.filter((o) => o.events.length > 0),
    pager: pager(lang, page, pages, (n) => publicLinks.timeline(lang, n)),
  };
}

/** "Page 2 of 5", with plain links to the newer (previous) and older (next) pages. */
function pager(lang: Lang, page: number, pages: number, href: (n: number) => string) {
  if (pages <= 1) return null;
  return {
    position: t(lang, 'timeline.page', { page, pages }),
    previous: page > 1 ? { href: href(page - 1), text: t(lang, 'pages.previous') } : null,
    next: page < pages ? { href: href(page + 1), text: t(lang, 'pages.next') } : null,
  };
}

/** Every page with a parameter a projection has: each route's pages and the timeline's (for the published files). */
export function publicPageFormats(projection: PublicProjection): PublicFormat[] {
  const out: PublicFormat[] = ['timeline'];
  let events = 0;
  for (const op of projection.operations) {
    events = Math.max(events, operationTimeline(op).length);
    for (const r of op.routes) {
      const pages = Math.max(1, Math.ceil(r.movements.length / ROUTE_PAGE_ROWS));
      out.push(`routes/${r.slug}`);
      for (let n = 2; n <= pages; n++) out.push(`routes/${r.slug}/${n}`);
    }
  }
  for (let n = 2; n <= Math.ceil(events / TIMELINE_PAGE_SIZE); n++) out.push(`timeline/${n}`);
  return out;
}
