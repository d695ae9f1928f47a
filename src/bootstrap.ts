// Opening and preparing the database from config: shared by the server and the CLIs.
import type { Config } from './config.ts';
import { seedReportedFigures } from './domain/seed.ts';
import type { Logger } from './log.ts';
import { type Database, openDatabase } from './store/database.ts';
import { migrateDatabase } from './store/migrate.ts';
import { countOperations } from './store/repositories/catalog.ts';

export async function openConfiguredDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.DATABASE_URL) {
    return openDatabase({
      kind: 'postgres',
      url: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      logger,
    });
  }
  return openDatabase({ kind: 'pglite', dataDir: config.DATA_DIR, logger });
}

/** Migrate, then load the reported figures into an empty database. */
export async function prepareDatabase(
  database: Database,
  options: { seed: boolean; logger: Logger },
): Promise<void> {
  await migrateDatabase(database);
  if (options.seed && (await countOperations(database.db)) === 0) {
    const result = await seedReportedFigures({ db: database.db });
    options.logger.info(result, 'empty database: loaded the reported figures');
  }
}
