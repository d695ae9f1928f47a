import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { loadPublicSnapshots } from '../domain/public-status.ts';
import { presentStatusPage } from '../presenters/status-page.ts';

export function publicRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const now = deps.clock.now();
    const snapshots = await loadPublicSnapshots({ db: deps.database.db, now });
    const model = presentStatusPage(snapshots, res.locals.lang, now);
    res.type('html').send(deps.renderer.render('public/status', model));
  });
  return router;
}
