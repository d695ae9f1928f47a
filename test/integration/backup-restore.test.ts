// db:backup / db:restore on the database the run uses: back up, change data,
// restore, and the data is exactly what it was at the backup.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { type BackupTarget, backupDatabase, restoreDatabase } from '../../src/store/backup.ts';
import { DataDirLockedError, lockDataDir } from '../../src/store/data-dir-lock.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-backup-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function fingerprint(database: Database) {
  const q = (query: ReturnType<typeof sql>) => database.rows(query);
  return {
    operations: await q(sql`SELECT id, slug, status FROM operations ORDER BY id`),
    movements: await q(sql`SELECT id, label, version FROM movements ORDER BY id`),
    counts: await q(sql`SELECT movement_id, registered_total, departed_total, departed_over60
                        FROM passenger_counts ORDER BY movement_id`),
    history: await q(sql`SELECT id, movement_id, version_before, version_after, reason
                         FROM count_change_sets ORDER BY id`),
    changes: await q(
      sql`SELECT id, change_set_id, stage, field, old_value, new_value FROM count_changes ORDER BY id`,
    ),
  };
}

async function addData(database: Database) {
  const op = await makeOperation(database.db);
  const { route } = await makeRoute(database.db, op.id);
  const movement = await makeMovement(database.db, route.id, {}, counts({ registered: { total: 120 } }));
  await updateMovementCounts(
    { db: database.db },
    {
      movementId: movement.id,
      expectedVersion: movement.version,
      counts: counts({ registered: { total: 120 }, departed: { total: 100, over60: 12 } }),
      reason: 'before the backup',
      sourceId: null,
      actor: { id: null, label: 'test' },
    },
  );
  return movement;
}

async function changeData(database: Database, movementId: number) {
  const [m] = await database.rows<{ version: number }>(
    sql`SELECT version FROM movements WHERE id = ${movementId}`,
  );
  await updateMovementCounts(
    { db: database.db },
    {
      movementId,
      expectedVersion: m!.version,
      counts: counts({ registered: { total: 130 }, departed: { total: 110, over60: 15 } }),
      reason: 'after the backup',
      sourceId: null,
      actor: { id: null, label: 'test' },
    },
  );
  await makeOperation(database.db);
}

describe.runIf(usingPostgres())('backup and restore on PostgreSQL (pg_dump / pg_restore)', () => {
  it('restores exactly the data of the backup', async () => {
    const database = await createTestDatabase();
    const target: BackupTarget = { kind: 'postgres', url: testDatabaseUrl(database) };
    const movement = await addData(database);
    const before = await fingerprint(database);
    const file = path.join(tmp, 'pg.dump');
    await backupDatabase(target, file);
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    await changeData(database, movement.id);
    expect(await fingerprint(database)).not.toEqual(before);
    await restoreDatabase(target, file);
    expect(await fingerprint(database)).toEqual(before);
    // The restored database still refuses history rewrites (its triggers came back).
    await expect(database.rows(sql`DELETE FROM count_change_sets`)).rejects.toThrow();
  });

  it('refuses an embedded-database backup file', async () => {
    const database = await createTestDatabase();
    const file = path.join(tmp, 'not-a-dump.tar.gz');
    fs.writeFileSync(file, 'not a dump');
    await expect(
      restoreDatabase({ kind: 'postgres', url: testDatabaseUrl(database) }, file),
    ).rejects.toMatchObject({
      code: 'not_pg_dump',
    });
  });
});

describe.skipIf(usingPostgres())('backup and restore of the embedded database (PGlite data folder)', () => {
  const dataDir = path.join(tmp, 'data');

  it('restores exactly the data of the backup, keeping the replaced contents aside', async () => {
    let database = await openDatabase({ kind: 'pglite', dataDir });
    await migrateDatabase(database);
    const movement = await addData(database);
    const before = await fingerprint(database);
    await database.close();

    const file = path.join(tmp, 'embedded.tar.gz');
    await backupDatabase({ kind: 'pglite', dataDir }, file);

    database = await openDatabase({ kind: 'pglite', dataDir });
    await changeData(database, movement.id);
    expect(await fingerprint(database)).not.toEqual(before);
    await database.close();

    const aside = await restoreDatabase({ kind: 'pglite', dataDir }, file);
    expect(aside && fs.existsSync(path.join(aside, 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'corridor.lock'))).toBe(false);

    database = await openDatabase({ kind: 'pglite', dataDir });
    expect(await fingerprint(database)).toEqual(before);
    await database.close();
  }, 180_000);

  it('refuses to back up or restore while a running server holds the data folder', async () => {
    const file = path.join(tmp, 'embedded.tar.gz');
    // Held as a running server holds it.
    const release = await lockDataDir(dataDir);
    try {
      await expect(backupDatabase({ kind: 'pglite', dataDir }, path.join(tmp, 'b2.tar.gz'))).rejects.toThrow(
        DataDirLockedError,
      );
      expect(fs.existsSync(path.join(tmp, 'b2.tar.gz'))).toBe(false);
      await expect(restoreDatabase({ kind: 'pglite', dataDir }, file)).rejects.toThrow(DataDirLockedError);
    } finally {
      await release();
    }
  });

  it('refuses a file that is not an embedded-database backup, and changes nothing', async () => {
    const file = path.join(tmp, 'garbage.tar.gz');
    fs.writeFileSync(file, 'garbage');
    const listing = fs.readdirSync(dataDir).sort();
    await expect(restoreDatabase({ kind: 'pglite', dataDir }, file)).rejects.toThrow();
    expect(fs.readdirSync(dataDir).sort()).toEqual(listing);
  });
});
