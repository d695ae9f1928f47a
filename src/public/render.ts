// One projection, five outputs: the status page and "how these figures are made" (per
// language), JSON, Atom (per language), CSV.
import type { PublicProjection } from '../domain/privacy.ts';
import type { Lang } from '../i18n/index.ts';
import { statusAtom, statusCsv, statusJson } from '../presenters/public-data.ts';
import { presentMethodology } from '../presenters/methodology.ts';
import { presentStatusPage } from '../presenters/status-page.ts';
import type { Renderer } from '../views.ts';
import type { PublicFormat, RenderFn, Rendered } from './cache.ts';

export function publicRenderer(deps: { renderer: Renderer; baseUrl: string }): RenderFn {
  return (projection: PublicProjection, lang: Lang, format: PublicFormat, meta): Rendered => {
    switch (format) {
      case 'html':
        return {
          body: deps.renderer.render('public/status', presentStatusPage(projection, lang, meta)),
          contentType: 'text/html; charset=utf-8',
        };
      case 'json':
        return {
          body: JSON.stringify(statusJson(projection, meta), null, 1),
          contentType: 'application/json; charset=utf-8',
        };
      case 'atom':
        return {
          body: statusAtom(projection, lang, deps.baseUrl, meta),
          contentType: 'application/atom+xml; charset=utf-8',
        };
      case 'methodology':
        return {
          body: deps.renderer.render('public/methodology', presentMethodology(projection, lang)),
          contentType: 'text/html; charset=utf-8',
        };
      case 'csv':
        return { body: statusCsv(projection), contentType: 'text/csv; charset=utf-8; header=present' };
    }
  };
}
