// The staff dashboard: what needs attention first (a public build the disclosure
// audit refused among it), routes by status, then one page of movements filtered
// by route and status from a plain GET form: /staff/?route=<id>&status=<s>&page=<n>.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { type DashboardFilter, loadDashboard } from '../../domain/staff/dashboard.ts';
import { MOVEMENT_STATUSES } from '../../domain/vocabulary.ts';
import { AppError } from '../../errors.ts';
import { t } from '../../i18n/index.ts';
import { presentDashboard } from '../../presenters/ws-dashboard.ts';
import { hasRole, staffRoute } from './define.ts';
import { f } from './forms.ts';
import { renderStaff } from './render.ts';

const blank = (v: unknown) => (v === '' ? undefined : v);
// The numbers are the forms' whole numbers (forms.ts f.optionalInt: decimal digits only):
// z.coerce.number() took 0x10, 0b1, 1e0 and +1 for numbers.
const filterQuery = z.object({
  route: f.optionalInt(1),
  status: z.preprocess(blank, z.enum(['attention', ...MOVEMENT_STATUSES]).optional()),
  page: f.optionalInt(1, 1_000_000),
});

/** The filters of the dashboard's GET form; anything malformed is a 400 (bad_request). */
export function parseDashboardFilter(query: unknown): DashboardFilter {
  const parsed = filterQuery.safeParse(query);
  if (!parsed.success) throw new AppError('bad_request', 'Unknown dashboard filter.');
  const { route, status, page } = parsed.data;
  return { routeId: route ?? undefined, status, page: page ?? 1 };
}

export function dashboardRouter(deps: AppDeps): Router {
  const router = Router();
  staffRoute(router, 'get', '/', 'viewer', async (req, res) => {
    const filter = parseDashboardFilter(req.query);
    const dashboard = await loadDashboard(
      { db: deps.database.db, now: deps.clock.now(), refusal: deps.publicCache?.refusal() },
      filter,
    );
    const lang = res.locals.lang;
    renderStaff(deps, req, res, 'staff/ws-dashboard', {
      title: t(lang, 'ws.dashboard.title'),
      ...presentDashboard(lang, dashboard, hasRole(res.locals.user, 'officer')),
    });
  });
  return router;
}
