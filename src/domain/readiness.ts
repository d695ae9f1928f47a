// Whether this process may take traffic: the disk has room, the database answers and
// every migration this build ships is applied. /readyz (routes/health.ts) reports it.
import type { Database } from '../store/database.ts';
import { appliedMigrationCount, expectedMigrationCount } from '../store/migrate.ts';

export type Readiness =
  | { ready: true; migrations: number }
  | { ready: false; reason: 'disk_full'; freeMb: number | null }
  | { ready: false; reason: 'migrations_pending'; applied: number; expected: number }
  | { ready: false; reason: 'database_unreachable' };

export function readinessCheck(database: Database): () => Promise<Readiness> {
  const expected = expectedMigrationCount();
  return async () => {
    const disk = database.disk.status();
    // Reads still work; writes are refused until space is freed.
    if (disk.full) return { ready: false, reason: 'disk_full', freeMb: disk.freeMb };
    try {
      await database.ping();
      const applied = await appliedMigrationCount(database);
      if (applied < expected) return { ready: false, reason: 'migrations_pending', applied, expected };
      return { ready: true, migrations: applied };
    } catch {
      return { ready: false, reason: 'database_unreachable' };
    }
  };
}
