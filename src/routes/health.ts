import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { appliedMigrationCount, expectedMigrationCount } from '../store/migrate.ts';

export function healthRouter(deps: AppDeps): Router {
  const router = Router();
  const expected = expectedMigrationCount();

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    const disk = deps.database.disk.status();
    if (disk.full) {
      // Reads still work; writes are refused until space is freed.
      res.status(503).json({ status: 'not_ready', reason: 'disk_full', freeMb: disk.freeMb });
      return;
    }
    try {
      await deps.database.ping();
      const applied = await appliedMigrationCount(deps.database);
      if (applied < expected) {
        res.status(503).json({ status: 'not_ready', reason: 'migrations_pending', applied, expected });
        return;
      }
      res.json({ status: 'ready', database: deps.database.kind, migrations: applied });
    } catch {
      res.status(503).json({ status: 'not_ready', reason: 'database_unreachable' });
    }
  });
  return router;
}
