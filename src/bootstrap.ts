// Opening and preparing the database from config: shared by the server and the CLIs.
import { sql } from 'drizzle-orm';
import type { Config } from './config.ts';
import { seedReportedFigures } from './domain/seed.ts';
import type { Logger } from './log.ts';
import { type Database, openDatabase } from './store/database.ts';
import { appliedMigrationCount, migrateDatabase } from './store/migrate.ts';
import { countOperations } from './store/repositories/catalog.ts';
import { monotonicMs } from './clock.ts';

/** The database did not answer within DB_START_TIMEOUT_SECONDS. */
export class DatabaseUnreachableError extends Error {
  readonly code = 'db_unreachable';
}

export async function openConfiguredDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.DATABASE_URL) {
    const database = await openDatabase({
      kind: 'postgres',
      url: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      logger,
    });
    await waitForDatabase(database, { timeoutMs: config.DB_START_TIMEOUT_SECONDS * 1000, logger });
    return database;
  }
  return openDatabase({
    kind: 'pglite',
    dataDir: config.DATA_DIR,
    backupDir: config.BACKUP_DIR,
    logger,
    thread: config.PGLITE_THREAD,
    ...pgliteTuning(config),
  });
}

/** The embedded database's memory settings (docs/operations.md, "Memory"). */
export function pgliteTuning(config: Config) {
  return {
    tuning: {
      sharedBuffersMb: config.PGLITE_SHARED_BUFFERS_MB,
      workMemMb: config.PGLITE_WORK_MEM_MB,
      walBuffersMb: config.PGLITE_WAL_BUFFERS_MB,
      maxWalSizeMb: config.PGLITE_MAX_WAL_SIZE_MB,
    },
  };
}

/**
 * PostgreSQL down at start (a reboot brings the app up first, a managed database
 * restarting): try again with a growing delay, saying so, up to `timeoutMs`.
 */
export async function waitForDatabase(
  database: Database,
  options: { timeoutMs: number; logger: Logger },
): Promise<void> {
  const until = monotonicMs() + options.timeoutMs;
  for (let attempt = 1, delay = 250; ; attempt++, delay = Math.min(delay * 2, 5_000)) {
    try {
      await database.ping();
      if (attempt > 1) options.logger.info({ code: 'db_reachable', attempt }, 'database reachable; starting');
      return;
    } catch (err) {
      const reason = (err as Error).message || String((err as { code?: string }).code);
      if (monotonicMs() + delay > until) {
        // Giving up on a database that never answered: its close can only fail the same way.
        await database.close().catch(() => {});
        throw new DatabaseUnreachableError(
          `PostgreSQL did not answer within ${Math.round(options.timeoutMs / 1000)} s (${reason}). ` +
            'Check DATABASE_URL and that the server is running; DB_START_TIMEOUT_SECONDS sets how long to wait.',
        );
      }
      options.logger.warn(
        { code: 'db_retrying', attempt, retryInMs: delay, reason },
        'database not reachable yet; retrying',
      );
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * Migrate, then load the reported figures — only into a database this start
 * created: a new embedded data folder, or a PostgreSQL database that had no
 * tables. An existing database that looks empty is never seeded (an emptied
 * database should be restored, not quietly filled with other figures).
 */
export async function prepareDatabase(
  database: Database,
  options: { seed: boolean; logger: Logger },
): Promise<void> {
  const fresh =
    database.kind === 'pglite'
      ? database.createdNow !== false
      : (await appliedMigrationCount(database)) === 0;
  await migrateDatabase(database);
  if (!options.seed) return;
  if (fresh && (await countOperations(database.db)) === 0) {
    const result = await seedReportedFigures({ db: database.db });
    options.logger.info({ code: 'seeded', ...result }, 'new database: loaded the reported figures');
    // Write the seed's pages out now: the WAL of a fresh folder is not replayed at every start.
    if (database.kind === 'pglite') await database.rows(sql`CHECKPOINT`);
  } else if (!fresh && (await countOperations(database.db)) === 0) {
    options.logger.warn(
      { code: 'seed_skipped' },
      'the database has no operation, but it was not created by this start, so the reported figures were not loaded (npm run db:seed loads them)',
    );
  }
}
