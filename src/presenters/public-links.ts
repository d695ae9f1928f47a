// Addresses of the public pages, in one place: the page, a route's own page, the
// timeline's earlier pages and "how these figures are made", per language.
import type { Lang } from '../i18n/index.ts';

// (Until one URL per language lands, the language is the ?lang= query.)
export const publicLinks = {
  page: (lang: Lang) => `/?lang=${lang}`,
  route: (lang: Lang, slug: string, page = 1) =>
    `/routes/${encodeURIComponent(slug)}${page > 1 ? `/${page}` : ''}?lang=${lang}`,
  timeline: (lang: Lang, page: number) => `/timeline${page > 1 ? `/${page}` : ''}?lang=${lang}`,
  methodology: (lang: Lang) => `/methodology?lang=${lang}`,
};

/** Anchors on the page (feed entries link to them): a route's card, a movement's row. */
export const anchors = {
  route: (slug: string) => `route-${slug}`,
  movement: (id: number) => `movement-${id}`,
  event: (id: string) => `event-${id}`,
};
