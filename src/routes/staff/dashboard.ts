// The staff dashboard: movements by route and status, and what needs attention.
import { Router } from 'express';
import type { AppDeps } from '../../deps.ts';
import { loadDashboard } from '../../domain/staff/attention.ts';
import { t } from '../../i18n/index.ts';
import { presentDashboard } from '../../presenters/ws-dashboard.ts';
import { hasRole, staffRoute } from './define.ts';
import { renderStaff } from './render.ts';

export function dashboardRouter(deps: AppDeps): Router {
  const router = Router();
  staffRoute(router, 'get', '/', 'viewer', async (req, res) => {
    const dashboard = await loadDashboard({ db: deps.database.db, now: deps.clock.now() });
    const lang = res.locals.lang;
    renderStaff(deps, req, res, 'staff/ws-dashboard', {
      title: t(lang, 'ws.dashboard.title'),
      ...presentDashboard(lang, dashboard, hasRole(res.locals.user, 'officer')),
    });
  });
  return router;
}
