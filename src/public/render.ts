// One projection, every public output: the status page, the feed and the CSV per
// language, the JSON and the HXL CSV for all (src/public/urls.ts says where each is served).
import { DEVELOPMENT_TAG_AUTHORITY } from '../tag-authority.ts';
import type { PublicProjection } from '../domain/privacy.ts';
import type { Lang } from '../i18n/index.ts';
import { statusAtom } from '../presenters/public-atom.ts';
import { statusCsv, statusHxl } from '../presenters/public-csv.ts';
import { statusJson } from '../presenters/public-data.ts';
import { presentMethodology } from '../presenters/methodology.ts';
import {
  parsePagePath,
  presentRoutePage,
  presentTimelinePages,
  publicPageFormats,
} from '../presenters/public-pages.ts';

export { publicPageFormats };
import { presentStatusPage } from '../presenters/status-page.ts';
import { notFound } from '../errors.ts';
import type { Renderer } from '../views.ts';
import type { PublicFormat, RenderFn, Rendered } from './build.ts';

export function publicRenderer(deps: {
  renderer: Renderer;
  baseUrl: string;
  tagAuthority?: string;
}): RenderFn {
  const { baseUrl, tagAuthority = DEVELOPMENT_TAG_AUTHORITY } = deps;
  return (projection: PublicProjection, lang: Lang, format: PublicFormat, meta): Rendered => {
    switch (format) {
      case 'html':
        return {
          body: deps.renderer.render(
            'public/status',
            presentStatusPage(projection, lang, { ...meta, baseUrl }),
          ),
          contentType: 'text/html; charset=utf-8',
        };
      case 'json':
        return {
          body: JSON.stringify(statusJson(projection, meta), null, 1),
          contentType: 'application/json; charset=utf-8',
        };
      case 'atom':
        return {
          body: statusAtom(projection, lang, { baseUrl, tagAuthority, degradedAsOf: meta.degradedAsOf }),
          contentType: 'application/atom+xml; charset=utf-8',
        };
      case 'csv':
        return { body: statusCsv(projection, lang), contentType: 'text/csv; charset=utf-8; header=present' };
      case 'methodology':
        return {
          body: deps.renderer.render('public/methodology', presentMethodology(projection, lang)),
          contentType: 'text/html; charset=utf-8',
        };
      case 'hxl':
        return { body: statusHxl(projection), contentType: 'text/csv; charset=utf-8; header=present' };
    }
    // A page with a parameter: a route's own page, or a page of the timeline.
    const page = parsePagePath(format);
    if (!page) throw notFound('Page');
    const body =
      page.kind === 'route'
        ? deps.renderer.render(
            'public/route',
            presentRoutePage(projection, lang, page.slug, page.page, baseUrl),
          )
        : deps.renderer.render('public/timeline', presentTimelinePages(projection, lang, page.page, baseUrl));
    return { body, contentType: 'text/html; charset=utf-8' };
  };
}
