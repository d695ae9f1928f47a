// The public snapshots read again after a change, reading again only what changed
// (src/domain/snapshot-reader.ts, issue 21), are exactly the snapshots a full read gives:
// after random sequences of edits of every kind a movement sees (figures saved through
// the use case, figures removed, status and day changed, a day change logged, moved to
// another route, added, deleted), of routes and notices, and of an operation made public
// or private, on PGlite and on PostgreSQL (TEST_DATABASE_URL).
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEvents, movements, notices, operations, passengerCounts } from '../../db/schema.ts';
import { loadPublicSnapshots } from '../../src/domain/public-status.ts';
import { createSnapshotReader } from '../../src/domain/snapshot-reader.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';
import { saveDeparted } from '../support/public.ts';

const now = new Date('2026-03-05T12:00:00Z');

type World = { database: Database; operationIds: number[]; routeIds: number[] };

const edit = fc.record({
  kind: fc.constantFrom(
    'save',
    'save',
    'save',
    'uncount',
    'status',
    'day',
    'dayLogged',
    'move',
    'add',
    'delete',
    'route',
    'notice',
    'visibility',
  ),
  pick: fc.nat(),
  value: fc.integer({ min: 0, max: 500 }),
});

type Edit = { kind: string; pick: number; value: number };

/** One edit of the kind given, on the movement or route `pick` chooses. */
async function apply(w: World, e: Edit) {
  const { db } = w.database;
  const all = await db.select().from(movements).orderBy(movements.id);
  const m = all.length ? all[e.pick % all.length]! : undefined;
  const routeId = w.routeIds[e.pick % w.routeIds.length]!;
  const opId = w.operationIds[e.pick % w.operationIds.length]!;
  if (e.kind === 'add' || !m) {
    await makeMovement(db, routeId, { status: 'departed' }, counts({ departed: { total: e.value } }));
  } else if (e.kind === 'save') await saveDeparted(db, m.id, m.version, e.value + 1);
  else if (e.kind === 'uncount') await db.delete(passengerCounts).where(eq(passengerCounts.movementId, m.id));
  else if (e.kind === 'status')
    await db
      .update(movements)
      .set({ status: m.status === 'departed' ? 'arrived' : 'departed' })
      .where(eq(movements.id, m.id));
  else if (e.kind === 'day')
    await db
      .update(movements)
      .set({ scheduledDate: `2026-03-${String(1 + (e.value % 9)).padStart(2, '0')}` })
      .where(eq(movements.id, m.id));
  else if (e.kind === 'dayLogged')
    // A day change in the audit log with no write to the movement's row (a repair, an import).
    await db.insert(auditEvents).values({
      actorLabel: 'test',
      entity: 'movement',
      entityId: m.id,
      action: 'update',
      before: { scheduledDate: '2026-03-01' },
      after: { scheduledDate: `2026-03-0${1 + (e.value % 9)}` },
    });
  else if (e.kind === 'move') await db.update(movements).set({ routeId }).where(eq(movements.id, m.id));
  else if (e.kind === 'delete') {
    // History is append-only: only a movement never saved through the use case can go.
    const saved = await w.database.rows(sql`SELECT 1 FROM count_change_sets WHERE movement_id = ${m.id}`);
    if (saved.length > 0) return;
    await db.delete(passengerCounts).where(eq(passengerCounts.movementId, m.id));
    await db.delete(movements).where(eq(movements.id, m.id));
  } else if (e.kind === 'route') w.routeIds.push((await makeRoute(db, opId)).route.id);
  else if (e.kind === 'notice')
    await db.insert(notices).values({ operationId: opId, bodies: { en: `Notice ${e.value}` } });
  else if (e.kind === 'visibility') {
    const [op] = await db.select().from(operations).where(eq(operations.id, opId));
    await db.update(operations).set({ isPublic: !op!.isPublic }).where(eq(operations.id, opId));
  }
}

describe('snapshots read again after a change', () => {
  it('equal a full read after random edits, reading again only what changed', async () => {
    const database = await createTestDatabase();
    const w: World = { database, operationIds: [], routeIds: [] };
    for (let i = 0; i < 2; i++) {
      const op = await makeOperation(database.db);
      w.operationIds.push(op.id);
      for (let r = 0; r < 2; r++) {
        const { route } = await makeRoute(database.db, op.id);
        w.routeIds.push(route.id);
        for (let k = 0; k < 3; k++)
          await makeMovement(
            database.db,
            route.id,
            { status: 'departed' },
            counts({ departed: { total: 20 + k } }),
          );
      }
    }
    // Never a full read after the first: every later one patches what it kept.
    const reader = createSnapshotReader({ fullEvery: Number.MAX_SAFE_INTEGER });
    expect(await reader.read(database.db, now)).toEqual(await loadPublicSnapshots({ db: database.db, now }));
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        for (const e of edits) await apply(w, e);
        const partial = await reader.read(database.db, now);
        expect(partial).toEqual(await loadPublicSnapshots({ db: database.db, now }));
      }),
      { numRuns: 40 },
    );
    expect(reader.reads.full).toBe(1);
    expect(reader.reads.partial).toBeGreaterThan(0);
  }, 120_000);
});
