// A fresh, migrated database per test file (or per test): copied from the run's template
// on PostgreSQL; on PGlite, a worker's PGlite emptied back to the template (pglite-pool.ts).
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { withDatabase } from './global-setup.ts';
import { lendPglite } from './pglite-pool.ts';

let counter = 0;

/**
 * The template's bytes, read once per worker (the fast files share workers: vitest.config.ts).
 * PGlite only calls arrayBuffer() on what it loads; a Blob of 40 MB reads itself back in
 * small chunks, about half a second of CPU per database, so each database gets the bytes
 * themselves. The same ArrayBuffer every time: PGlite reads the tar out of it and writes
 * copies of its files into its own memory file system (MEMFS copies what it is not told
 * it can own), so nothing writes to it; a copy per database cost 0.1–0.3 s of CPU
 * (2.1 s in a fast loop, CPU profile of 5 December 2026).
 */
let template: { file: string; bytes: ArrayBuffer } | undefined;
export function pgliteTemplate(): Blob {
  const file = inject('pgliteTemplate');
  if (template?.file !== file) {
    const read = fs.readFileSync(file);
    template = { file, bytes: read.buffer.slice(read.byteOffset, read.byteOffset + read.length) };
  }
  const { bytes } = template;
  return { type: '', arrayBuffer: () => Promise.resolve(bytes) } as unknown as Blob;
}

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
    // CORRIDOR_TEST_FRESH_PGLITE=1: a new PGlite each time, as before the pool (to compare, or to bisect).
    database = process.env.CORRIDOR_TEST_FRESH_PGLITE
      ? await openDatabase({ kind: 'pglite', loadDataDir: pgliteTemplate() })
      : await openDatabase({ kind: 'pglite', client: await lendPglite(pgliteTemplate) });
  }
  if (options.autoClose !== false) closeAfterFile(database);
  return database;
}

/**
 * The databases this file opened and has not closed. The fast files share their workers
 * (isolate: false), so a database left open outlives its file: on PostgreSQL its pool and
 * LISTEN connections pile up file after file until max_connections refuses the next one.
 * afterAll registered inside a hook (a database made in beforeAll) is not run in every
 * case, so test/support/close-databases.ts also closes what is left after each file.
 */
const open = openTestDatabases();

function closeAfterFile(database: Database) {
  const close = database.close.bind(database);
  let closing: Promise<void> | undefined;
  database.close = () => {
    open.delete(database);
    return (closing ??= close());
  };
  open.add(database);
  afterAll(() => database.close());
}

/** Shared with close-databases.ts through globalThis: it must not import the app's modules (vi.mock files). */
function openTestDatabases(): Set<{ close(): Promise<void> }> {
  const g = globalThis as { corridorOpenTestDatabases?: Set<{ close(): Promise<void> }> };
  return (g.corridorOpenTestDatabases ??= new Set());
}

/** Connection string of a PostgreSQL test database (for a second process or raw client). */
export function testDatabaseUrl(database: Database): string {
  if (!database.connectionString) throw new Error('not a PostgreSQL test database');
  return database.connectionString;
}
