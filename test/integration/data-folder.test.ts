// The embedded database's folder is never silently replaced: a damaged folder is
// refused with a message naming what is wrong and where the data can come back
// from, and only a folder created empty by this start is seeded. Before these
// checks, `rm data/PG_VERSION` or a truncated table file started normally on a
// fresh, re-seeded database, or with rows silently missing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openConfiguredDatabase, prepareDatabase } from '../../src/bootstrap.ts';
import { silentLogger } from '../../src/log.ts';
import { DataDirError, MARKER_FILE, type Marker } from '../../src/store/data-dir.ts';
import type { Database } from '../../src/store/database.ts';
import { backupDatabase } from '../../src/store/backup.ts';
import { countOperations } from '../../src/store/repositories/catalog.ts';
import { usingPostgres } from '../support/db.ts';
import { testConfig } from '../support/app.ts';
import { spawnNode } from '../support/processes.ts';
import { waitFor } from '../support/wait.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-folder-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A started-and-stopped database with the seed in it; returns its folder. */
async function seededFolder() {
  const dataDir = path.join(tmp, `data${++n}`);
  const config = testConfig({
    DATABASE_URL: '',
    DATA_DIR: dataDir,
    BACKUP_DIR: path.join(tmp, `backups${n}`),
  });
  const database = await openConfiguredDatabase(config, silentLogger);
  await prepareDatabase(database, { seed: true, logger: silentLogger });
  const [file] = await database.rows<{ path: string }>(sql`SELECT pg_relation_filepath('movements') AS path`);
  const [mv] = await database.rows<{ n: string }>(sql`SELECT count(*) AS n FROM movements`);
  await database.close();
  return { dataDir, config, movementsFile: path.join(dataDir, file!.path), movements: Number(mv!.n) };
}

const open = (config: ReturnType<typeof testConfig>) => openConfiguredDatabase(config, silentLogger);

/** The DataDirError an open is refused with (its code and details are what scripts read). */
async function refusal(config: ReturnType<typeof testConfig>): Promise<DataDirError> {
  const err = await open(config).then(
    async (database) => {
      await database.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataDirError);
  return err as DataDirError;
}

describe.skipIf(usingPostgres())('the embedded data folder', () => {
  it('is created, marked and seeded when absent; reopened as it was, and not seeded again', async () => {
    const { dataDir, config, movements } = await seededFolder();
    const marker = JSON.parse(fs.readFileSync(path.join(dataDir, MARKER_FILE), 'utf8')) as Marker;
    expect(marker.databaseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(marker.cleanShutdown?.tables['public.movements']).toBe(movements);
    const again = await open(config);
    expect(again.createdNow).toBe(false);
    // Emptied by hand: an existing database is not refilled with the seed.
    await again.rows(sql`DELETE FROM passenger_counts RETURNING 1`);
    await prepareDatabase(again, { seed: true, logger: silentLogger });
    expect(await countOperations(again.db)).toBe(1);
    await again.close();
  }, 120_000);

  it('refuses a marked folder whose PG_VERSION is gone, naming the newest backup and the folders restores kept', async () => {
    const { dataDir, config } = await seededFolder();
    fs.mkdirSync(config.BACKUP_DIR, { recursive: true });
    const backup = path.join(config.BACKUP_DIR, 'corridor-pglite-2026-03-01T00-00-00-000Z.tar.gz');
    await backupDatabase({ kind: 'pglite', dataDir }, backup);
    fs.mkdirSync(`${dataDir}.before-restore-2026-02-01T00-00-00-000Z`);
    fs.rmSync(path.join(dataDir, 'PG_VERSION'));
    const listing = fs.readdirSync(dataDir).sort();
    const refused = await refusal(config);
    expect(refused.code).toBe('data_dir_damaged'); // refused, not replaced by a new database
    expect(refused.details.files).toEqual([{ file: path.join(dataDir, 'PG_VERSION'), problem: 'missing' }]);
    expect(refused.details.backup).toBe(backup);
    expect(refused.details.asides).toEqual([`${dataDir}.before-restore-2026-02-01T00-00-00-000Z`]);
    // The message says the same to the operator (its wording is not what is tested).
    for (const named of [backup, `${dataDir}.before-restore-2026-02-01T00-00-00-000Z`])
      expect(refused.message).toContain(named);
    expect(fs.readdirSync(dataDir).sort()).toEqual(listing); // nothing written
  }, 120_000);

  it('refuses a folder whose movements file was cut short, after a clean stop and after a crash', async () => {
    const { dataDir, config, movementsFile } = await seededFolder();
    const original = fs.readFileSync(movementsFile);
    fs.truncateSync(movementsFile, 0);
    const cut = await refusal(config);
    expect(cut.code).toBe('data_dir_changed');
    expect(cut.details.tables).toContainEqual(
      expect.objectContaining({ table: 'public.movements', problem: 'shorter', bytes: 0 }),
    );
    expect(cut.details.tables).toContainEqual({
      table: 'public.movements',
      problem: 'rows',
      rows: 0,
      recorded: 3,
    });
    // After a crash there is no record of the last stop; the file sizes still give it away.
    const marker = JSON.parse(fs.readFileSync(path.join(dataDir, MARKER_FILE), 'utf8')) as Marker;
    fs.writeFileSync(path.join(dataDir, MARKER_FILE), JSON.stringify({ ...marker, cleanShutdown: null }));
    expect((await refusal(config)).details.tables).toContainEqual(
      expect.objectContaining({ table: 'public.movements', problem: 'shorter', bytes: 0 }),
    );
    fs.writeFileSync(movementsFile, original);
    const back = await open(config);
    expect(Number((await back.rows<{ n: string }>(sql`SELECT count(*) AS n FROM movements`))[0]!.n)).toBe(3);
    await back.close();
  }, 120_000);

  it('turns PGlite\'s "Aborted()" on a damaged control file or WAL into a message naming the file', async () => {
    const { dataDir, config } = await seededFolder();
    const control = path.join(dataDir, 'global', 'pg_control');
    const saved = fs.readFileSync(control);
    fs.truncateSync(control, 100);
    const damaged = await refusal(config);
    expect(damaged.code).toBe('data_dir_damaged');
    expect(damaged.details.files).toEqual([{ file: control, problem: 'truncated' }]);
    expect(damaged.details.backupDir).toBe(path.resolve(config.BACKUP_DIR)); // where it looked for a backup
    fs.writeFileSync(control, saved);
    const wal = fs.readdirSync(path.join(dataDir, 'pg_wal')).find((f) => /^[0-9A-F]{24}$/.test(f))!;
    fs.truncateSync(path.join(dataDir, 'pg_wal', wal), 8192);
    expect((await refusal(config)).details.files).toEqual([
      { file: path.join(dataDir, 'pg_wal'), problem: 'truncated_segments', segments: [wal] },
    ]);
  }, 120_000);

  it('refuses a non-empty folder that holds no database, and adopts an unmarked database without seeding it', async () => {
    const stray = path.join(tmp, 'stray');
    fs.mkdirSync(stray);
    fs.writeFileSync(path.join(stray, 'notes.txt'), 'not a database');
    const foreign = await refusal(testConfig({ DATABASE_URL: '', DATA_DIR: stray }));
    expect(foreign.code).toBe('data_dir_not_database');
    expect(foreign.details.entries).toEqual(['notes.txt']);
    const { dataDir, config } = await seededFolder();
    fs.rmSync(path.join(dataDir, MARKER_FILE)); // a folder from before markers
    const adopted = await open(config);
    expect(adopted.createdNow).toBe(false);
    expect(fs.existsSync(path.join(dataDir, MARKER_FILE))).toBe(true);
    await adopted.close();
  }, 120_000);

  it('a db:restore killed at any moment leaves the old folder or the new one, and the next start finishes a half-done swap', async () => {
    const { dataDir, config } = await seededFolder();
    const file = path.join(tmp, `restore-${n}.tar.gz`);
    await backupDatabase({ kind: 'pglite', dataDir }, file);
    const change = async () => {
      const db = await open(config);
      await db.rows(sql`UPDATE operations SET slug = 'changed-after-backup' RETURNING 1`);
      await db.close();
    };
    const slug = async () => {
      const db: Database = await open(config);
      const [row] = await db.rows<{ slug: string }>(sql`SELECT slug FROM operations`);
      await db.close();
      return row!.slug;
    };
    await change();
    // Killed at three moments the restore shows on disk: as soon as its staging folder
    // appears (unpacking), once the unpacked folder holds PG_VERSION (checking it), and
    // never (it finished). The swap itself is two renames, too quick to catch: see below.
    const stagingFolders = () =>
      fs.readdirSync(tmp).filter((f) => f.startsWith(`${path.basename(dataDir)}.restoring-`));
    const killPoints: [string, (staging: string[]) => boolean][] = [
      ['a staging folder', (staging) => staging.length > 0],
      [
        'an unpacked staging folder',
        (staging) => staging.some((f) => fs.existsSync(path.join(tmp, f, 'PG_VERSION'))),
      ],
      ['the end', () => false],
    ];
    for (const [moment, reached] of killPoints) {
      const before = new Set(stagingFolders());
      const restore = spawnNode('src/cli/restore.ts', [file], {
        DATABASE_URL: '',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      });
      await waitFor(
        moment,
        () => restore.child.exitCode !== null || reached(stagingFolders().filter((f) => !before.has(f))),
        { timeoutMs: 120_000, intervalMs: 5 },
      );
      await restore.kill('SIGKILL'); // on a quick machine the restore may already be done: then a no-op
      expect(['changed-after-backup', 'middle-east-2026']).toContain(await slug());
      await change();
    }
    // Killed between the two renames: DATA_DIR is gone, the journal says where the new one is.
    const staging = `${dataDir}.restoring-test`;
    fs.cpSync(dataDir, staging, { recursive: true });
    fs.writeFileSync(
      `${dataDir}.restore.json`,
      JSON.stringify({ staging, aside: `${dataDir}.before-restore-test` }),
    );
    fs.renameSync(dataDir, `${dataDir}.before-restore-test`);
    expect(await slug()).toBe('changed-after-backup');
    expect(fs.existsSync(`${dataDir}.restore.json`)).toBe(false);
  }, 300_000);
});
