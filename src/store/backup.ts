// Backups of either database. PostgreSQL: pg_dump/pg_restore (custom format).
// PGlite: a dump of its data folder, taken while holding the folder's lock, so
// a running server makes both refuse instead of copying a folder mid-write.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.ts';

export type BackupTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export class BackupError extends Error {}

const LOCK_FILE = 'corridor.lock';

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (err) =>
      reject(new BackupError(`${command} could not start (${err.message}); is it installed?`)),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new BackupError(`${command} failed (exit ${code}):\n${stderr.trim()}`)),
    );
  });
}

export function defaultBackupFile(target: BackupTarget, dir = 'backups', at = new Date()): string {
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
        throw new BackupError(`${path.resolve(target.dataDir)} holds no embedded database.`);
      const release = lockDataDir(target.dataDir);
      try {
        const pg = new PGlite({ dataDir: target.dataDir });
        await pg.waitReady;
        try {
          const blob = await pg.dumpDataDir('gzip');
          fs.writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
        } finally {
          await pg.close();
        }
      } finally {
        release();
      }
    }
    // Only a complete dump gets the final name: a failed run never looks like a backup.
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/** Check a PGlite dump is a gzipped tar that opens, before anything is replaced. */
async function verifyPgliteDump(bytes: Buffer, blob: Blob): Promise<void> {
  let tar: Buffer;
  try {
    tar = zlib.gunzipSync(bytes);
  } catch {
    tar = Buffer.alloc(0);
  }
  // PGlite's loader fails asynchronously on a bad archive: check the tar header ourselves.
  if (tar.subarray(257, 262).toString('latin1') !== 'ustar')
    throw new BackupError('The file is not a Corridor embedded-database backup (not a gzipped data folder).');
  const pg = new PGlite({ loadDataDir: blob });
  try {
    await pg.waitReady;
    await pg.query('SELECT count(*) FROM drizzle.__drizzle_migrations');
  } catch (err) {
    throw new BackupError(`The file is not a Corridor embedded-database backup (${(err as Error).message}).`);
  } finally {
    if (!pg.closed) await pg.close().catch(() => {});
  }
}

/**
 * Replace the database's contents with the backup's. PostgreSQL: objects are
 * dropped and recreated in one transaction (all or nothing). PGlite: the old
 * folder's contents are kept beside it in `<DATA_DIR>.before-restore-<time>`.
 * Returns where the previous contents went (PGlite) for the operator.
 */
export async function restoreDatabase(target: BackupTarget, file: string): Promise<string | undefined> {
  if (!fs.existsSync(file)) throw new BackupError(`No backup file ${file}.`);
  const isPgDump = fs.readFileSync(file).subarray(0, 5).toString('latin1') === 'PGDMP';
  if (target.kind === 'postgres') {
    if (!isPgDump)
      throw new BackupError(`${file} is not a pg_dump custom-format file (a PostgreSQL backup).`);
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
  if (isPgDump) throw new BackupError(`${file} is a PostgreSQL backup; set DATABASE_URL to restore it.`);
  const bytes = fs.readFileSync(file);
  const blob = new Blob([bytes], { type: 'application/x-gzip' });
  await verifyPgliteDump(bytes, blob);
  const release = lockDataDir(target.dataDir);
  try {
    const aside = `${path.resolve(target.dataDir)}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const entries = fs.readdirSync(target.dataDir).filter((e) => e !== LOCK_FILE);
    if (entries.length > 0) {
      fs.mkdirSync(aside);
      for (const e of entries) fs.renameSync(path.join(target.dataDir, e), path.join(aside, e));
    }
    const pg = new PGlite({ dataDir: target.dataDir, loadDataDir: blob });
    await pg.waitReady;
    await pg.close();
    // The dump carries the lock file of the process that made it: make it ours again.
    fs.writeFileSync(path.join(target.dataDir, LOCK_FILE), `${process.pid}\n`);
    return entries.length > 0 ? aside : undefined;
  } finally {
    release();
  }
}
