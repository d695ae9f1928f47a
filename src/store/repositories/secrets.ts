// Keys generated once and shared by every process (app_secrets). The first process to
// need one inserts it; a concurrent one keeps whatever was inserted first.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../database.ts';

/** The stored secret called `name`, inserting `candidate` if there is none yet. */
export async function storedSecret(db: Db, name: string, candidate: string): Promise<string> {
  await rowsOf(
    db,
    sql`INSERT INTO app_secrets (name, value) VALUES (${name}, ${candidate})
                       ON CONFLICT (name) DO NOTHING RETURNING name`,
  );
  const [row] = await rowsOf<{ value: string }>(db, sql`SELECT value FROM app_secrets WHERE name = ${name}`);
  return row!.value;
}
