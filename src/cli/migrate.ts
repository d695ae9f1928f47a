import { openConfiguredDatabase } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { appliedMigrationCount, migrateDatabase } from '../store/migrate.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const database = await openConfiguredDatabase(config, logger);
try {
  await migrateDatabase(database);
  console.log(`Migrations applied: ${await appliedMigrationCount(database)} (${database.kind})`);
} finally {
  await database.close();
}
