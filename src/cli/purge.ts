// npm run db:purge: run the retention purge now (closed operations older than RETENTION_DAYS).
import { openConfiguredDatabase } from '../bootstrap.ts';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { purgeClosedOperations } from '../domain/retention.ts';
import { createLogger } from '../log.ts';
import { migrateDatabase } from '../store/migrate.ts';

const config = loadConfig();
const database = await openConfiguredDatabase(config, createLogger(config.LOG_LEVEL));
try {
  await migrateDatabase(database);
  const reports = await purgeClosedOperations({
    db: database.db,
    clock: systemClock,
    retentionDays: config.RETENTION_DAYS,
  });
  if (reports.length === 0) console.log(`Nothing to purge (RETENTION_DAYS=${config.RETENTION_DAYS}).`);
  for (const r of reports) console.log(JSON.stringify(r));
} finally {
  await database.close();
}
