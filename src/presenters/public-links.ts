// Addresses of the public pages beyond the fixed outputs (src/public/urls.ts): a route's
// own page and the timeline's earlier pages, per language; anchors are publicAnchor's.
import type { Lang } from '../i18n/index.ts';
import { publicPath } from '../public/urls.ts';

export const publicLinks = {
  page: (lang: Lang) => publicPath(lang, 'html'),
  methodology: (lang: Lang) => publicPath(lang, 'methodology'),
  route: (lang: Lang, slug: string, page = 1) =>
    `/${lang}/routes/${encodeURIComponent(slug)}${page > 1 ? `/${page}` : ''}`,
  timeline: (lang: Lang, page: number) => `/${lang}/timeline${page > 1 ? `/${page}` : ''}`,
};
