// The database a benchmark's app runs on: PGlite in memory for 'pglite', else the
// PostgreSQL URL given; migrated and seeded, as a fresh server would be.
// BENCH_PGLITE_THREAD=false: PGlite on the app's own thread (as before issue 16's thread).
import { prepareDatabase } from '../src/bootstrap.ts';
import type { Logger } from '../src/log.ts';
import { type Database, openDatabase } from '../src/store/database.ts';

export async function openSeededDatabase(target: string, logger: Logger): Promise<Database> {
  const database =
    target === 'pglite'
      ? await openDatabase({ kind: 'pglite', logger, thread: process.env.BENCH_PGLITE_THREAD !== 'false' })
      : await openDatabase({ kind: 'postgres', url: target, poolSize: 10, logger });
  await prepareDatabase(database, { seed: true, logger });
  return database;
}
