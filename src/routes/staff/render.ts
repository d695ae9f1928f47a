// Render a staff page inside layouts/staff with the layout's view model.
import type { Request, Response } from 'express';
import type { AppDeps } from '../../deps.ts';
import { DEFAULT_LANG, type Lang } from '../../i18n/index.ts';
import { presentStaffLayout } from '../../presenters/staff-layout.ts';

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
    csrfToken: res.locals.csrfToken,
    title: model.title,
  });
  const html = deps.renderer.render(
    view,
    { ...model, ...layout, csrfToken: res.locals.csrfToken },
    'layouts/staff',
  );
  res.status(status).set('Cache-Control', 'no-store').type('html').send(html);
}
