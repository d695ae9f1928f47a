// The driver layer: PGlite (embedded) or node-postgres behind one interface.
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from '../../db/schema.ts';
import {
  DataDirError,
  type DataDirState,
  inspectDataDir,
  recoveryHints,
  recoverySources,
  writeMarker,
  completeInterruptedRestore,
  damagedDatabaseFiles,
  describeFileProblem,
} from './data-dir.ts';
import { describeTableProblem, integrityProblems, tableCounts } from './data-dir-integrity.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { type DiskWatch, WRITE_STATEMENT, createDiskWatch } from './disk.ts';
import { createFromTemplate } from './pglite-template.ts';
import { startPgliteThread } from './pglite-thread.ts';
import { queriesTakeTurns } from './pglite-turns.ts';
import { KEEPALIVE, createPgListener, type Listener } from './listener.ts';
import { systemClock } from '../clock.ts';

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
  /** PGlite in a folder: the folder was created empty by this start (the only kind seeded). */
  readonly createdNow?: boolean;
  /** Free space and refused writes, for /readyz (disk_full). */
  readonly disk: DiskWatch;
}

export type OpenOptions =
  | {
      kind: 'pglite';
      dataDir?: string;
      loadDataDir?: Blob;
      /**
       * A started PGlite to use instead of starting one: the tests lend out one per worker,
       * emptied between files (test/support/db.ts). close() calls its close().
       */
      client?: PGlite;
      lock?: boolean;
      logger?: Logger;
      /** Where `db:backup` writes, named in the message when the folder is refused. */
      backupDir?: string;
      /** A new folder starts from the cached, migrated template (default) rather than PGlite's initdb. */
      template?: boolean;
      tuning?: PgliteTuning;
      /** Writes are refused (503 disk_full) while the folder's disk has less than this free. */
      diskReserveMb?: number;
      /**
       * PGlite on a thread of its own (default; src/store/pglite-thread.ts), or on the
       * caller's (false: queries then take turns with the event loop, pglite-turns.ts).
       */
      thread?: boolean;
    }
  | { kind: 'postgres'; url: string; poolSize?: number; logger?: Logger; applicationName?: string };

/**
 * PostgreSQL settings of the embedded database that decide its memory (docs/operations.md,
 * "Memory"). PGlite's WASM heap itself cannot start smaller: its build declares 128 MB as
 * the minimum (a smaller `initialMemory` fails to link); it grows as needed, never shrinks.
 */
export type PgliteTuning = {
  sharedBuffersMb?: number;
  workMemMb?: number;
  walBuffersMb?: number;
  maxWalSizeMb?: number;
};

export const DEFAULT_PGLITE_TUNING: Required<PgliteTuning> = {
  sharedBuffersMb: 16,
  workMemMb: 4,
  walBuffersMb: 1,
  maxWalSizeMb: 64,
};

/**
 * PGlite and its drizzle driver, loaded only when a PGlite database is opened: on PostgreSQL
 * neither thread (server, projection worker) carries its code (~16 MB of RSS each).
 */
export async function loadPglite() {
  const [{ PGlite }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  return { PGlite, drizzle };
}

/** PGlite's own start parameters, plus ours. */
export async function pgliteStartParams(tuning: PgliteTuning = {}): Promise<string[]> {
  const t = { ...DEFAULT_PGLITE_TUNING, ...tuning };
  const { PGlite } = await loadPglite();
  return [
    ...PGlite.defaultStartParams,
    ...['-c', `shared_buffers=${t.sharedBuffersMb}MB`, '-c', `work_mem=${t.workMemMb}MB`],
    ...['-c', `wal_buffers=${t.walBuffersMb}MB`, '-c', `max_wal_size=${t.maxWalSizeMb}MB`],
    ...['-c', `min_wal_size=32MB`, '-c', `maintenance_work_mem=${Math.max(t.workMemMb, 16)}MB`],
    // A small temp buffer pool; checkpoints spread out rather than at every WAL segment.
    ...['-c', 'temp_buffers=2MB', '-c', 'checkpoint_timeout=5min'],
  ];
}

/** A raw query's rows: node-postgres answers { rows }, and a driver may answer the array itself. */
export async function rowsOf<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute<T>(query)) as { rows: T[] } | T[];
  return Array.isArray(result) ? result : result.rows;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.kind === 'pglite' ? openPglite(options) : openPostgres(options);
}

async function openPglite(options: Extract<OpenOptions, { kind: 'pglite' }>): Promise<Database> {
  const dir = options.lock !== false ? options.dataDir : undefined;
  let release = async () => {};
  let state: DataDirState | undefined;
  if (dir) {
    completeInterruptedRestore(dir);
    release = await lockDataDir(dir);
    try {
      state = inspectDataDir(dir, { backupDir: options.backupDir });
      if (state.created && options.template !== false) await createFromTemplate(dir);
    } catch (err) {
      await release();
      throw err;
    }
  }
  const { PGlite, drizzle: drizzlePglite } = await loadPglite();
  let client: PGlite;
  try {
    const settings = {
      dataDir: options.dataDir,
      loadDataDir: options.loadDataDir,
      startParams: await pgliteStartParams(options.tuning),
    };
    client =
      options.client ?? (options.thread === false ? new PGlite(settings) : await startPgliteThread(settings));
    await client.waitReady;
  } catch (err) {
    await release();
    throw options.dataDir ? explainStartFailure(err, options.dataDir, options.backupDir) : err;
  }
  const disk = createDiskWatch({ dir: options.dataDir, reserveMb: options.diskReserveMb ?? 64 });
  if (options.dataDir) guardWrites(client, disk);
  // One query at a time on the event loop, not a transaction at a time (pglite-turns.ts).
  // On its own thread too: node hands a worker's answers over in one batch when they come
  // back quickly, so a transaction of short queries could still run without a turn.
  queriesTakeTurns(client);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const rows = <T extends Record<string, unknown>>(query: SQL, executor?: Db) =>
    rowsOf<T>(executor ?? db, query);
  if (dir && state) {
    const problems = state.created
      ? []
      : await integrityProblems(rows, state.marker.cleanShutdown?.tables ?? null);
    if (problems.length) {
      // The integrity problems below are what to report, not a failing close.
      await client.close().catch(() => {});
      await release();
      throw new DataDirError(
        'data_dir_changed',
        `The data folder ${path.resolve(dir)} does not hold what it held when last stopped: ${problems.map(describeTableProblem).join('; ')}. ` +
          `Corridor will not start on it. ${recoveryHints(dir, options.backupDir)}`,
        { tables: problems, ...recoverySources(dir, options.backupDir) },
      );
    }
    // Until the next clean stop, nothing is promised about the contents.
    writeMarker(dir, { ...state.marker, cleanShutdown: null });
  }
  const marker = state?.marker;
  return {
    kind: 'pglite',
    db,
    disk,
    createdNow: state ? state.created : !options.dataDir && !options.loadDataDir && !options.client,
    rows,
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
        if (!client.closed) {
          if (dir && marker) {
            // The record the next start checks against (and fresh page counts for its size check).
            try {
              await client.exec('ANALYZE');
              const tables = await tableCounts(rows);
              writeMarker(dir, { ...marker, cleanShutdown: { at: systemClock.now().toISOString(), tables } });
            } catch (err) {
              options.logger?.warn({ err }, 'could not record the clean stop');
            }
          }
          await client.close();
        }
      } finally {
        await release();
      }
    },
  };
}

/** Every write statement checks the disk first, in a transaction too (src/store/disk.ts says why). */
function guardWrites(client: PGlite, disk: DiskWatch) {
  type Queryable = { query: PGlite['query']; exec: PGlite['exec'] };
  const guard = (target: Queryable) => {
    const query = target.query.bind(target);
    const exec = target.exec.bind(target);
    target.query = ((text: string, ...rest: unknown[]) => {
      if (WRITE_STATEMENT.test(text)) disk.guardWrite();
      return (query as (...a: unknown[]) => unknown)(text, ...rest);
    }) as PGlite['query'];
    target.exec = ((text: string, ...rest: unknown[]) => {
      if (WRITE_STATEMENT.test(text)) disk.guardWrite();
      return (exec as (...a: unknown[]) => unknown)(text, ...rest);
    }) as PGlite['exec'];
  };
  guard(client);
  const transaction = client.transaction.bind(client);
  client.transaction = ((fn: Parameters<PGlite['transaction']>[0]) =>
    transaction((tx) => {
      guard(tx);
      return fn(tx);
    })) as PGlite['transaction'];
}

/** PGlite's "RuntimeError: Aborted()" says nothing: name the files that are wrong and what to do. */
function explainStartFailure(err: unknown, dataDir: string, backupDir?: string): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (!/Aborted|RuntimeError|unreachable|out of bounds/i.test(message)) return err;
  const files = damagedDatabaseFiles(dataDir);
  const problems = files.map(describeFileProblem);
  return new DataDirError(
    'data_dir_damaged',
    `The embedded database in ${path.resolve(dataDir)} cannot start (${message.split('.')[0]}). ` +
      (problems.length
        ? `Damaged: ${problems.join('; ')}. `
        : 'Its control file and write-ahead log look complete, so a data file is probably damaged. ') +
      recoveryHints(dataDir, backupDir),
    { files, ...recoverySources(dataDir, backupDir) },
  );
}

/** Nothing connects yet: the pool connects on the first query. */
function openPostgres(options: Extract<OpenOptions, { kind: 'postgres' }>): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'corridor',
    // A connection a NAT or firewall dropped silently is found out, not waited on forever.
    ...KEEPALIVE,
  });
  // An idle client losing its server (a PostgreSQL restart) must not kill the process.
  pool.on('error', (err) => options.logger?.warn({ err }, 'idle database connection lost'));
  // A client checked out of the pool (inside a transaction, between two queries)
  // has no pool listener: without its own, a server restart's 'error' event
  // would be unhandled and kill the process. The query in progress fails anyway.
  pool.on('connect', (client) => {
    client.on('error', (err) => options.logger?.warn({ err }, 'database connection lost while in use'));
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const listeners = new Set<Listener>();
  return {
    kind: 'postgres',
    db,
    // The server's disk is not ours to measure: a refused write (53100) is remembered instead.
    disk: createDiskWatch({ reserveMb: 0 }),
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
