// The CSV apply in chunks (src/domain/csv/apply.ts): readers run between chunks,
// an interrupted apply resumes where it stopped (never writing a row twice), a
// live apply holds the import-level lock, and a movement changed mid-apply
// leaves the import 'partial' with what was written before it.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { countChangeSets, csvImports, movements, passengerCounts } from '../../db/schema.ts';
import { applyImport } from '../../src/domain/csv/apply.ts';
import { exportCsv } from '../../src/domain/csv/export.ts';
import { checkImport } from '../../src/domain/csv/import.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { Database } from '../../src/store/database.ts';
import { claimImport } from '../../src/store/repositories/imports.ts';
import { countsToColumns, findCounts } from '../../src/store/repositories/counts.ts';
import { createTestDatabase, usingPostgres } from '../support/db.ts';
import { counts, makeOperation, makeRoute, makeSource, makeUser } from '../support/factories.ts';
import { holdFor } from '../support/wait.ts';

let database: Database;
const metrics = createMetrics();
beforeAll(async () => {
  database = await createTestDatabase();
});

/** An operation of `size` movements and a checked file raising every registered total by one. */
async function checkedFile(size: number, reason = 'bulk') {
  const db = database.db;
  const op = await makeOperation(db);
  const { route } = await makeRoute(db, op.id, {}, 1);
  // In bulk: two statements, whatever the size.
  const made = await db
    .insert(movements)
    .values(
      Array.from({ length: size }, (_, i) => ({
        routeId: route.id,
        label: `M${i}`,
        kind: 'flight' as const,
        scheduledDate: '2026-03-03',
      })),
    )
    .returning({ id: movements.id });
  await db
    .insert(passengerCounts)
    .values(
      made.map(({ id }, i) => ({ movementId: id, ...countsToColumns(counts({ registered: { total: i } })) })),
    );
  const user = await makeUser(db);
  const source = await makeSource(db);
  const actor = { id: user.id, label: user.name };
  const { content } = await exportCsv(db, op.id);
  const edited = content
    .split('\r\n')
    .map((line, i) =>
      i === 0 || !line
        ? line
        : line.replace(/^((?:[^,]*,){5})(\d+),/, (_m, head: string, v: string) => `${head}${Number(v) + 1},`),
    )
    .join('\r\n');
  const checked = await checkImport(
    { db },
    {
      operationId: op.id,
      filename: 'big.csv',
      content: edited,
      reason,
      source: { kind: 'existing', id: source.id },
      actor,
    },
  );
  expect(checked.plan).toMatchObject({ changed: size, unchanged: 0 });
  return { importId: checked.importId, plan: checked.plan, actor, source, routeId: route.id };
}

const importRow = async (id: number) =>
  (await database.db.select().from(csvImports).where(eq(csvImports.id, id)))[0]!;
const historyCount = async (reason: string) =>
  (await database.db.select().from(countChangeSets).where(eq(countChangeSets.reason, reason))).length;

describe('CSV apply in chunks', () => {
  it('resumes an interrupted apply at its cursor and writes each row once', async () => {
    const f = await checkedFile(60, 'resume');
    const crash = new Error('process died');
    await expect(
      applyImport(
        { db: database.db, metrics },
        {
          importId: f.importId,
          actor: f.actor,
          chunkRows: 20,
          onProgress: (done) => {
            if (done === 20) throw crash;
          },
        },
      ),
    ).rejects.toBe(crash);
    const stopped = await importRow(f.importId);
    expect(stopped.status).toBe('applying');
    expect(stopped.result).toMatchObject({ progress: { cursor: 20, changed: 20 } });
    expect(await historyCount('resume')).toBe(20);
    const progress: number[] = [];
    const result = await applyImport(
      { db: database.db, metrics },
      { importId: f.importId, actor: f.actor, chunkRows: 20, onProgress: (done) => void progress.push(done) },
    );
    expect(result).toEqual({ changed: 60, unchanged: 0 });
    expect(progress).toEqual([40, 60]);
    expect((await importRow(f.importId)).status).toBe('applied');
    expect(await historyCount('resume')).toBe(60);
  });

  it('refuses a second apply while another holds the lease', async () => {
    const f = await checkedFile(5, 'leased');
    expect(await claimImport(database.db, f.importId, 'other-process', f.actor.id)).toBeDefined();
    await expect(
      applyImport({ db: database.db, metrics }, { importId: f.importId, actor: f.actor }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await historyCount('leased')).toBe(0);
  });

  it('stops as partial when a movement of a later chunk changed mid-apply', async () => {
    const f = await checkedFile(30, 'partial');
    const later = f.plan.rows[25]!;
    await expect(
      applyImport(
        { db: database.db, metrics },
        {
          importId: f.importId,
          actor: f.actor,
          chunkRows: 10,
          onProgress: async (done) => {
            if (done !== 10) return;
            await updateMovementCounts(
              { db: database.db },
              {
                movementId: later.movementId,
                expectedVersion: later.version,
                counts: counts({ registered: { total: 999 } }),
                reason: 'phone call',
                sourceId: f.source.id,
                actor: f.actor,
              },
            );
          },
        },
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    const stored = await importRow(f.importId);
    expect(stored.status).toBe('partial');
    expect(stored.result).toMatchObject({
      changed: 20,
      cursor: 20,
      stoppedAtRow: f.plan.rows[20]!.row,
      notApplied: 10,
    });
    expect(await historyCount('partial')).toBe(20);
    expect((await findCounts(database.db, later.movementId)).registered.total).toBe(999);
    await expect(
      applyImport({ db: database.db, metrics }, { importId: f.importId, actor: f.actor }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it.skipIf(usingPostgres())(
    // 300 rows are 12 chunks of APPLY_CHUNK_ROWS: enough for the readers to get in between
    // them many times. The 3,000-row apply is measured by bench:memory and bench:scale.
    'lets readers of the embedded database in during a 300-row apply',
    { timeout: 240_000 },
    async () => {
      const f = await checkedFile(300, 'big');
      const read = async () => {
        const started = performance.now();
        await database.db
          .select({ n: sql<number>`count(*)` })
          .from(movements)
          .where(eq(movements.routeId, f.routeId));
        return performance.now() - started;
      };
      const quiet: number[] = [];
      for (let i = 0; i < 5; i++) quiet.push(await read());
      // When each chunk was committed (after its transaction): a chunk is the span between two.
      const committed: number[] = [];
      let applying = true;
      const apply = applyImport(
        { db: database.db, metrics },
        { importId: f.importId, actor: f.actor, onProgress: () => void committed.push(performance.now()) },
      ).finally(() => (applying = false));
      // A reader's wait is from when it was due (its timer), not from when it ran: while the
      // loop is held, its timer fires late, and that lateness is waiting too.
      const during: number[] = [];
      let due = performance.now();
      while (applying) {
        const late = performance.now() - due;
        // Counted from the first chunk's end on (before it, the file is verified and claimed).
        const counted = committed.length > 0;
        const ms = await read();
        if (applying && counted) during.push(late + ms);
        // A reader every 50 ms: the sampling rate is the point (not waiting for something).
        due = performance.now() + 50;
        await holdFor(50);
      }
      expect(await apply).toEqual({ changed: 300, unchanged: 0 });
      const chunks = committed.slice(1).map((t, i) => t - committed[i]!);
      // Readers got in all along (not once at the end), each waiting at most about the chunk
      // being written when it was due (the chunks' own durations, measured in this run).
      expect(during.length).toBeGreaterThan(5);
      expect(Math.max(...during)).toBeLessThan(1.5 * Math.max(...chunks) + 20 * Math.max(...quiet));
    },
  );
});
