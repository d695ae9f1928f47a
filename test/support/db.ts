// A fresh, migrated database per test file (or per test): copied from the run's template.
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { withDatabase } from './global-setup.ts';

let counter = 0;

export const usingPostgres = () => Boolean(process.env.TEST_DATABASE_URL);

/** A new database with every migration applied and no data; closed after the file's tests. */
export async function createTestDatabase(options: { autoClose?: boolean } = {}): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  let database: Database;
  if (url) {
    const name = `corridor_t_${inject('runId')}_${process.pid}_${++counter}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
    } finally {
      await admin.end();
    }
    database = await openDatabase({ kind: 'postgres', url: withDatabase(url, name), poolSize: 25 });
  } else {
    const blob = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
    database = await openDatabase({ kind: 'pglite', loadDataDir: blob });
  }
  if (options.autoClose !== false) afterAll(() => database.close());
  return database;
}

/** Connection string of a PostgreSQL test database (for a second process or raw client). */
export function testDatabaseUrl(database: Database): string {
  if (!database.connectionString) throw new Error('not a PostgreSQL test database');
  return database.connectionString;
}
