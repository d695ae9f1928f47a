// The driver layer: PGlite (embedded) or node-postgres behind one interface.
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from '../../db/schema.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { createPgListener, type Listener } from './listener.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DriverKind = 'pglite' | 'postgres';

export interface Database {
  readonly kind: DriverKind;
  readonly db: Db;
  /** Raw SQL, with rows normalised across drivers. */
  rows<T extends Record<string, unknown>>(query: SQL, executor?: Db): Promise<T[]>;
  /** Subscribe to a notification channel; `onReconnect` runs after a lost connection is back. */
  listen(channel: string, onMessage: (payload: string) => void, onReconnect?: () => void): Promise<Listener>;
  ping(): Promise<void>;
  /** Pool figures for metrics (zero on PGlite). */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
  /** node-postgres only: the connection settings, for a dedicated client. */
  readonly connectionString?: string;
}

export type OpenOptions =
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob; lock?: boolean; logger?: Logger }
  | { kind: 'postgres'; url: string; poolSize?: number; logger?: Logger; applicationName?: string };

async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] } | T[];
  return Array.isArray(result) ? result : result.rows;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.kind === 'pglite' ? openPglite(options) : openPostgres(options);
}

async function openPglite(options: Extract<OpenOptions, { kind: 'pglite' }>): Promise<Database> {
  const release = options.dataDir && options.lock !== false ? lockDataDir(options.dataDir) : () => {};
  let client: PGlite;
  try {
    client = new PGlite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
    await client.waitReady;
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    rows: (query, executor) => rowsOf(executor ?? db, query),
    async listen(channel, onMessage) {
      const unlisten = await client.listen(channel, onMessage);
      return { close: () => unlisten(), connected: () => !client.closed };
    },
    async ping() {
      await client.query('select 1');
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async close() {
      try {
        if (!client.closed) await client.close();
      } finally {
        release();
      }
    },
  };
}

async function openPostgres(options: Extract<OpenOptions, { kind: 'postgres' }>): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'corridor',
  });
  // An idle client losing its server (a PostgreSQL restart) must not kill the process.
  pool.on('error', (err) => options.logger?.warn({ err: err.message }, 'idle database connection lost'));
  // A client checked out of the pool (inside a transaction, between two queries)
  // has no pool listener: without its own, a server restart's 'error' event
  // would be unhandled and kill the process. The query in progress fails anyway.
  pool.on('connect', (client) => {
    client.on('error', (err) =>
      options.logger?.warn({ err: err.message }, 'database connection lost while in use'),
    );
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const listeners = new Set<Listener>();
  return {
    kind: 'postgres',
    db,
    connectionString: options.url,
    rows: (query, executor) => rowsOf(executor ?? db, query),
    async listen(channel, onMessage, onReconnect) {
      const listener = await createPgListener({
        url: options.url,
        channel,
        onMessage,
        onReconnect,
        logger: options.logger,
      });
      listeners.add(listener);
      return listener;
    },
    async ping() {
      await pool.query('select 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await Promise.all([...listeners].map((l) => l.close()));
      await pool.end();
    },
  };
}
