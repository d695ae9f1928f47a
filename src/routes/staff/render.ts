// Render a staff page inside layouts/staff with the layout's view model.
import type { Request, Response } from 'express';
import type { AppDeps } from '../../deps.ts';
import { DEFAULT_LANG, type Lang } from '../../i18n/index.ts';
import { presentStaffLayout } from '../../presenters/staff-layout.ts';
import { withFormIds } from '../../presenters/ws-form.ts';

/** `model.title` is the page's heading (already translated). */
export function renderStaff(
  deps: Pick<AppDeps, 'renderer'>,
  req: Request,
  res: Response,
  view: string,
  model: { title: string } & Record<string, unknown>,
  status = 200,
): void {
  const lang: Lang = res.locals.lang ?? DEFAULT_LANG;
  const layout = presentStaffLayout({
    lang,
    user: res.locals.user,
    path: req.baseUrl + req.path === '/staff/' ? '/staff' : (req.baseUrl + req.path).replace(/\/$/, ''),
    here: pageAddress(req),
    csrfToken: res.locals.csrfToken,
    title: model.title,
  });
  const html = deps.renderer.render(
    view,
    { ...withFormIds(model), ...layout, csrfToken: res.locals.csrfToken },
    'layouts/staff',
  );
  res.status(status).set('Cache-Control', 'no-store').type('html').send(html);
}

/**
 * Where the language links lead: this page with its query (minus lang), or,
 * for a page answering a form post, the page the form was on.
 */
function pageAddress(req: Request): string {
  let url: URL;
  try {
    url = new URL(
      req.method === 'GET' || req.method === 'HEAD' ? req.originalUrl : (req.get('referer') ?? ''),
      'http://staff.invalid',
    );
    if (req.method !== 'GET' && req.method !== 'HEAD' && url.host !== req.get('host')) return '/staff';
  } catch {
    return '/staff';
  }
  if (!url.pathname.startsWith('/staff')) return '/staff';
  url.searchParams.delete('lang');
  return url.pathname + url.search;
}
