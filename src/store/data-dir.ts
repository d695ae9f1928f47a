// The embedded database's folder is never silently replaced.
//
// A folder Corridor creates gets a marker, `corridor.json`, with a database id.
// At every start:
// - an absent or empty folder is a new database (and only such a one is seeded);
// - a marked folder whose PostgreSQL files are missing or unreadable is refused,
//   naming the problem, the newest backup and any `<DATA_DIR>.before-restore-*`
//   folders — never re-initialised over;
// - a folder with other contents and no PostgreSQL files is refused;
// - a restore interrupted between its two renames is completed (the journal);
// - leftover `*.tmp` files are removed.
// The integrity check against the last clean shutdown is in data-dir-integrity.ts.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LOCK_FILE } from './data-dir-lock.ts';
import { systemClock } from '../clock.ts';

export const MARKER_FILE = 'corridor.json';

export type TableCounts = Record<string, number>;

export type Marker = {
  format: 1;
  databaseId: string;
  createdAt: string;
  /** Set by a clean stop, cleared at start: what the next start must find. */
  cleanShutdown: { at: string; tables: TableCounts } | null;
  restoredFrom?: { file: string; at: string };
};

/** Why a data folder is refused: its stable code (docs/operations.md lists them). */
export type DataDirCode =
  | 'data_dir_damaged' // PostgreSQL files missing, truncated or unreadable
  | 'data_dir_changed' // rows or table files differ from the last clean stop
  | 'data_dir_not_database' // other contents, no database
  | 'data_dir_marker_unreadable'; // corridor.json cannot be read

/** What was found, for scripts and tests; the message says it in words. */
export type DataDirDetails = {
  files?: FileProblem[];
  tables?: TableProblem[];
  /** What the folder holds instead of a database (the first five names). */
  entries?: string[];
} & Partial<RecoverySources>;

/** A data folder we must not open; the message says what is wrong and what to do. */
export class DataDirError extends Error {
  constructor(
    readonly code: DataDirCode,
    message: string,
    readonly details: DataDirDetails = {},
  ) {
    super(message);
  }
}

/** A PostgreSQL file the folder cannot do without, and what is wrong with it. */
export type FileProblem = {
  file: string;
  problem: 'missing' | 'unreadable' | 'damaged' | 'truncated' | 'empty' | 'no_wal' | 'truncated_segments';
  /** unreadable: the errno code; truncated_segments: the segments' names. */
  errno?: string;
  segments?: string[];
};

/** A table that does not hold what it held at the last clean stop (data-dir-integrity.ts). */
export type TableProblem =
  | { table: string; problem: 'shorter'; bytes: number; pages: number }
  | { table: string; problem: 'missing' }
  | { table: string; problem: 'rows'; rows: number; recorded: number }
  | { table: null; problem: 'unreadable'; error: string };

export type DataDirState = { created: boolean; marker: Marker };

const resolved = (dir: string) => path.resolve(dir);

function readMarker(dataDir: string): Marker | undefined {
  const file = path.join(dataDir, MARKER_FILE);
  if (!fs.existsSync(file)) return undefined;
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Marker;
    if (typeof m.databaseId === 'string') return m;
  } catch {
    // fall through: unreadable
  }
  throw new DataDirError('data_dir_marker_unreadable', `${file} is not readable. ${recoveryHints(dataDir)}`, {
    ...recoverySources(dataDir),
  });
}

/** Written whole under a temporary name, then renamed. */
export function writeMarker(dataDir: string, marker: Marker): void {
  const file = path.join(dataDir, MARKER_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(marker, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

export function newMarker(): Marker {
  return {
    format: 1,
    databaseId: randomUUID(),
    createdAt: systemClock.now().toISOString(),
    cleanShutdown: null,
  };
}

type RecoverySources = {
  /** The newest backup file, if any. */
  backup: string | undefined;
  /** Folders set aside by earlier restores, newest first. */
  asides: string[];
  backupDir: string;
};

/** Where an operator can get the data back from: the newest backup and the folders set aside by restores. */
export function recoverySources(dataDir: string, backupDir = 'backups'): RecoverySources {
  const parent = path.dirname(resolved(dataDir));
  const base = path.basename(resolved(dataDir));
  const newest = (dir: string, match: (f: string) => boolean) => {
    try {
      return fs
        .readdirSync(dir)
        .filter(match)
        .map((f) => ({ f: path.join(dir, f), at: fs.statSync(path.join(dir, f)).mtimeMs }))
        .sort((a, b) => b.at - a.at)
        .map((x) => x.f);
    } catch {
      return [];
    }
  };
  const backups = newest(resolved(backupDir), (f) => /^corridor-pglite-.*\.tar\.gz$/.test(f));
  const asides = newest(parent, (f) => f.startsWith(`${base}.before-restore-`));
  return { backup: backups[0], asides: asides.slice(0, 3), backupDir: resolved(backupDir) };
}

/** The same in words. */
export function recoveryHints(dataDir: string, backupDir = 'backups'): string {
  const { backup, asides, backupDir: where } = recoverySources(dataDir, backupDir);
  const lines = ['Nothing was changed.'];
  lines.push(
    backup
      ? `The newest backup is ${backup}: stop everything and run \`npm run db:restore -- ${backup}\`.`
      : `No backup was found in ${where}.`,
  );
  if (asides.length) lines.push(`Folders kept by earlier restores (newest first): ${asides.join(', ')}.`);
  return lines.join(' ');
}

/** The PostgreSQL files a data folder cannot do without, and what is wrong with them. */
export function damagedDatabaseFiles(dataDir: string): FileProblem[] {
  const problems: FileProblem[] = [];
  type Found = Omit<FileProblem, 'file'> | undefined;
  const need = (rel: string, check: (p: string) => Found) => {
    const file = path.join(dataDir, rel);
    try {
      const found = check(file);
      if (found) problems.push({ file, ...found });
    } catch (err) {
      const errno = (err as NodeJS.ErrnoException).code;
      problems.push(
        errno === 'ENOENT' ? { file, problem: 'missing' } : { file, problem: 'unreadable', errno },
      );
    }
  };
  need('PG_VERSION', (p) =>
    /^\d+\s*$/.test(fs.readFileSync(p, 'utf8')) ? undefined : { problem: 'damaged' },
  );
  need('global/pg_control', (p) => (fs.statSync(p).size === 8192 ? undefined : { problem: 'truncated' }));
  need('base', (p) => (fs.readdirSync(p).length > 0 ? undefined : { problem: 'empty' }));
  need('pg_wal', (p) => {
    const segments = fs.readdirSync(p).filter((f) => /^[0-9A-F]{24}$/.test(f));
    if (segments.length === 0) return { problem: 'no_wal' };
    const short = segments.filter((f) => fs.statSync(path.join(p, f)).size !== 16 * 1024 * 1024);
    return short.length ? { problem: 'truncated_segments', segments: short } : undefined;
  });
  return problems;
}

const FILE_WORDS: Record<FileProblem['problem'], (p: FileProblem) => string> = {
  missing: () => 'is missing',
  unreadable: (p) => `cannot be read (${p.errno})`,
  damaged: () => 'is damaged',
  truncated: () => 'is truncated or damaged',
  empty: () => 'is empty',
  no_wal: () => 'holds no WAL segment',
  truncated_segments: (p) => `has truncated segments (${p.segments?.join(', ')})`,
};

/** A file's problem in words. */
export const describeFileProblem = (p: FileProblem) => `${p.file} ${FILE_WORDS[p.problem](p)}`;

/** The same, in words (backups and restores say them). */
export function missingDatabaseFiles(dataDir: string): string[] {
  return damagedDatabaseFiles(dataDir).map(describeFileProblem);
}

/** A restore that stopped between its two renames is finished: the new folder goes in place. */
export function completeInterruptedRestore(dataDir: string) {
  const journal = `${resolved(dataDir)}.restore.json`;
  if (!fs.existsSync(journal)) return;
  const { staging } = JSON.parse(fs.readFileSync(journal, 'utf8')) as { staging: string };
  if (!fs.existsSync(resolved(dataDir)) && fs.existsSync(staging)) fs.renameSync(staging, resolved(dataDir));
  fs.rmSync(journal, { force: true });
}

function removeTmpFiles(dataDir: string) {
  for (const f of fs.readdirSync(dataDir))
    if (f.endsWith('.tmp') || f.endsWith('.partial')) fs.rmSync(path.join(dataDir, f), { force: true });
}

/**
 * Decide what the folder is, before PGlite touches it: a new database (created
 * now, marked), or an existing one (marked, or adopted when it predates markers).
 * Throws DataDirError for anything that must not be opened.
 */
export function inspectDataDir(dataDir: string, options: { backupDir?: string } = {}): DataDirState {
  completeInterruptedRestore(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  removeTmpFiles(dataDir);
  const entries = fs.readdirSync(dataDir).filter((e) => e !== LOCK_FILE && e !== `${LOCK_FILE}.pid`);
  const marker = readMarker(dataDir);
  if (entries.length === 0) {
    const fresh = newMarker();
    writeMarker(dataDir, fresh);
    return { created: true, marker: fresh };
  }
  const files = damagedDatabaseFiles(dataDir);
  const problems = files.map(describeFileProblem);
  const damaged = () => ({ files, ...recoverySources(dataDir, options.backupDir) });
  if (marker) {
    if (problems.length)
      throw new DataDirError(
        'data_dir_damaged',
        `The data folder ${resolved(dataDir)} belongs to Corridor database ${marker.databaseId}, but its PostgreSQL files are damaged: ${problems.join('; ')}. ` +
          `It was NOT replaced by a new database. ${recoveryHints(dataDir, options.backupDir)}`,
        damaged(),
      );
    return { created: false, marker };
  }
  if (problems.length === 0 || fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (problems.length)
      throw new DataDirError(
        'data_dir_damaged',
        `The data folder ${resolved(dataDir)} holds an embedded database whose files are damaged: ${problems.join('; ')}. ${recoveryHints(dataDir, options.backupDir)}`,
        damaged(),
      );
    // A folder from before markers existed: adopt it (it is not new, so it is not seeded).
    const adopted = newMarker();
    writeMarker(dataDir, adopted);
    return { created: false, marker: adopted };
  }
  throw new DataDirError(
    'data_dir_not_database',
    `The data folder ${resolved(dataDir)} is not empty and holds no Corridor database (${entries.slice(0, 5).join(', ')}). ` +
      'Point DATA_DIR at an empty or absent folder to create a new one, or at the folder of an existing database.',
    { entries: entries.slice(0, 5) },
  );
}
