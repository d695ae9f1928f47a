// Backups of either database. PostgreSQL: pg_dump/pg_restore (custom format).
// PGlite: a dump of its data folder, taken while holding the folder's lock, so
// a running server makes both refuse instead of copying a folder mid-write.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { MARKER_FILE, type Marker, missingDatabaseFiles, newMarker, writeMarker } from './data-dir.ts';
import { tableCounts } from './data-dir-integrity.ts';
import { LOCK_FILE, lockDataDir } from './data-dir-lock.ts';
import { TarError, extractTarGz, writeTarGz } from './tar.ts';
import { systemClock } from '../clock.ts';
import { loadPglite } from './database.ts';

const dialect = new PgDialect();
const toQuery = (q: SQL): [string, unknown[]] => {
  const { sql, params } = dialect.sqlToQuery(q);
  return [sql, params];
};

export type BackupTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

/** Why a backup or restore was refused (docs/operations.md lists the codes). */
export type BackupErrorCode =
  | 'tool_missing' // pg_dump / pg_restore not installed
  | 'tool_failed'
  | 'no_database' // the data folder holds no embedded database
  | 'source_damaged' // its PostgreSQL files are damaged: not backed up
  | 'no_file'
  | 'not_pg_dump' // restoring PostgreSQL from something else
  | 'pg_dump_file' // restoring the embedded database from a PostgreSQL backup
  | 'not_a_backup'
  | 'backup_incomplete';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (err) =>
      reject(
        new BackupError('tool_missing', `${command} could not start (${err.message}); is it installed?`),
      ),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new BackupError('tool_failed', `${command} failed (exit ${code}):\n${stderr.trim()}`)),
    );
  });
}

export function defaultBackupFile(target: BackupTarget, dir = 'backups', at = systemClock.now()): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  return path.join(
    dir,
    `corridor-${target.kind}-${stamp}${target.kind === 'postgres' ? '.dump' : '.tar.gz'}`,
  );
}

export async function backupDatabase(target: BackupTarget, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.partial`;
  try {
    if (target.kind === 'postgres') {
      await run('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${target.url}`]);
    } else {
      if (!fs.existsSync(path.join(target.dataDir, 'PG_VERSION')))
        throw new BackupError('no_database', `${path.resolve(target.dataDir)} holds no embedded database.`);
      // Holding the lock, no process writes the folder: its files are copied as they
      // are, streamed (a crash-consistent image, like a snapshot of the disk).
      const release = await lockDataDir(target.dataDir);
      try {
        const problems = missingDatabaseFiles(target.dataDir);
        if (problems.length)
          throw new BackupError('source_damaged', `Not backed up: ${problems.join('; ')}.`);
        await writeTarGz(target.dataDir, fs.createWriteStream(partial), skipInBackup);
      } finally {
        await release();
      }
    }
    // Only a complete dump gets the final name: a failed run never looks like a backup.
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

const skipInBackup = (rel: string) => rel === LOCK_FILE || rel.endsWith('.tmp') || rel === `${LOCK_FILE}.pid`;

/**
 * Replace the database's contents with the backup's. PostgreSQL: objects are
 * dropped and recreated in one transaction (all or nothing). PGlite: the backup
 * is unpacked into a new folder beside DATA_DIR and checked by opening it; then
 * DATA_DIR is renamed to `<DATA_DIR>.before-restore-<time>` and the new folder
 * renamed into its place. A journal beside them lets the next start finish a
 * swap interrupted between the two renames, so a kill at any moment leaves the
 * old folder or the new one — never none, never half of one.
 * Returns where the previous contents went (PGlite) for the operator.
 */
export async function restoreDatabase(target: BackupTarget, file: string): Promise<string | undefined> {
  if (!fs.existsSync(file)) throw new BackupError('no_file', `No backup file ${file}.`);
  const head = Buffer.alloc(5);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 5, 0);
  fs.closeSync(fd);
  const isPgDump = head.toString('latin1') === 'PGDMP';
  if (target.kind === 'postgres') {
    if (!isPgDump)
      throw new BackupError(
        'not_pg_dump',
        `${file} is not a pg_dump custom-format file (a PostgreSQL backup).`,
      );
    await run('pg_restore', [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${target.url}`,
      file,
    ]);
    return undefined;
  }
  if (isPgDump)
    throw new BackupError('pg_dump_file', `${file} is a PostgreSQL backup; set DATABASE_URL to restore it.`);
  const dataDir = path.resolve(target.dataDir);
  const stamp = systemClock.now().toISOString().replace(/[:.]/g, '-');
  const staging = `${dataDir}.restoring-${stamp}`;
  const release = await lockDataDir(dataDir);
  try {
    fs.mkdirSync(staging);
    try {
      await unpackAndCheck(file, staging);
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw err;
    }
    const hadData = fs.readdirSync(dataDir).some((e) => e !== LOCK_FILE && e !== `${LOCK_FILE}.pid`);
    const aside = `${dataDir}.before-restore-${stamp}`;
    const journal = `${dataDir}.restore.json`;
    fs.writeFileSync(journal, JSON.stringify({ staging, aside, file: path.resolve(file) }));
    fs.renameSync(dataDir, aside);
    fs.renameSync(staging, dataDir);
    fs.rmSync(journal, { force: true });
    return hadData ? aside : (fs.rmSync(aside, { recursive: true, force: true }), undefined);
  } finally {
    await release();
  }
}

/** Unpack into `dir`, open it, and record it as cleanly stopped with its row counts. */
async function unpackAndCheck(file: string, dir: string): Promise<void> {
  try {
    await extractTarGz(fs.createReadStream(file), dir);
  } catch (err) {
    throw new BackupError(
      'not_a_backup',
      `The file is not a Corridor embedded-database backup (${err instanceof TarError ? err.message : 'not a gzipped data folder'}).`,
    );
  }
  for (const f of [LOCK_FILE, `${LOCK_FILE}.pid`]) fs.rmSync(path.join(dir, f), { force: true });
  const problems = missingDatabaseFiles(dir);
  if (problems.length)
    throw new BackupError(
      'backup_incomplete',
      `The file is not a complete embedded-database backup: ${problems.join('; ')}.`,
    );
  const { PGlite } = await loadPglite();
  const pg = new PGlite({ dataDir: dir });
  try {
    await pg.waitReady;
    await pg.query('SELECT count(*) FROM drizzle.__drizzle_migrations');
    const rows = async <T>(q: SQL) => (await pg.query<T>(...toQuery(q))).rows;
    await pg.exec('ANALYZE');
    const tables = await tableCounts(rows);
    const previous = fs.existsSync(path.join(dir, MARKER_FILE))
      ? (JSON.parse(fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8')) as Marker)
      : newMarker();
    writeMarker(dir, {
      ...previous,
      cleanShutdown: { at: systemClock.now().toISOString(), tables },
      restoredFrom: { file: path.resolve(file), at: systemClock.now().toISOString() },
    });
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(
      'not_a_backup',
      `The file is not a Corridor embedded-database backup (${(err as Error).message}).`,
    );
  } finally {
    // The backup's own error (thrown above) is what to report, not a failing close.
    if (!pg.closed) await pg.close().catch(() => {});
  }
}
