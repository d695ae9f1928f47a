// The same committed migrations on both drivers, at start and by `npm run db:migrate`.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import pg from 'pg';
import { migrationsDir as migrationsFolder } from '../paths.ts';
import type { Database } from './database.ts';

export { migrationsFolder };

// An arbitrary constant: every Corridor process takes the same advisory lock,
// so several starting at once apply the migrations one after another.
const MIGRATION_LOCK = 4_207_262_026;

export function expectedMigrationCount(): number {
  const journal = JSON.parse(fs.readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  const client = new pg.Client({
    connectionString: database.connectionString,
    application_name: 'corridor-migrate',
  });
  // Failures surface through the queries; this keeps a lost connection from being an unhandled event.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

/** How many migrations the database has applied (0 when none). */
export async function appliedMigrationCount(database: Database): Promise<number> {
  const [exists] = await database.rows<{ present: boolean }>(
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  if (!exists?.present) return 0;
  const [row] = await database.rows<{ n: number | string }>(
    sql`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`,
  );
  return Number(row?.n ?? 0);
}
