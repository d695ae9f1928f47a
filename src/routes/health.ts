// Liveness (/healthz: the process answers) and readiness (/readyz: domain/readiness.ts).
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { readinessCheck } from '../domain/readiness.ts';

export function healthRouter(deps: AppDeps): Router {
  const router = Router();
  const readiness = readinessCheck(deps.database);

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    const r = await readiness();
    if (r.ready) res.json({ status: 'ready', database: deps.database.kind, migrations: r.migrations });
    else {
      const { ready: _ready, ...why } = r;
      res.status(503).json({ status: 'not_ready', ...why });
    }
  });
  return router;
}
