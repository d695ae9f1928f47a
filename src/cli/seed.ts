import { openConfiguredDatabase } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { seedReportedFigures } from '../domain/seed.ts';
import { createLogger } from '../log.ts';
import { migrateDatabase } from '../store/migrate.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const database = await openConfiguredDatabase(config, logger);
try {
  await migrateDatabase(database);
  const result = await seedReportedFigures({ db: database.db });
  console.log(
    `Seed: ${result.routesAdded} routes and ${result.movementsAdded} movements added (${database.kind}).`,
  );
} finally {
  await database.close();
}
