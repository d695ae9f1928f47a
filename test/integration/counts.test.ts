import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { countChangeSets, countChanges, passengerCounts } from '../../db/schema.ts';
import { fixedClock } from '../../src/clock.ts';
import { AppError } from '../../src/errors.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import type { Database } from '../../src/store/database.ts';
import { normaliseDbError } from '../../src/store/errors.ts';
import { findCounts, writeCounts } from '../../src/store/repositories/counts.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, reloadMovement } from '../support/factories.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});

async function freshMovement() {
  const op = await makeOperation(database.db);
  const { route } = await makeRoute(database.db, op.id);
  return makeMovement(database.db, route.id, {}, counts({ registered: { total: 100 } }));
}

const actor = { id: null, label: 'test' };

async function historyOf(movementId: number) {
  return database.db.select().from(countChangeSets).where(eq(countChangeSets.movementId, movementId));
}

describe('updateMovementCounts', () => {
  it('writes the figures, one history record, and bumps the version', async () => {
    const m = await freshMovement();
    const next = counts({ registered: { total: 100, over60: 20 }, departed: { total: 40 } });
    const result = await updateMovementCounts(
      { db: database.db },
      { movementId: m.id, expectedVersion: 1, counts: next, reason: 'manifest', sourceId: null, actor },
    );
    expect(result).toMatchObject({ changed: true, version: 2 });
    expect(await findCounts(database.db, m.id)).toEqual(next);
    const sets = await historyOf(m.id);
    expect(sets).toHaveLength(1);
    const changes = await database.db
      .select()
      .from(countChanges)
      .where(eq(countChanges.changeSetId, sets[0]!.id));
    expect(changes.map((c) => [c.stage, c.field, c.oldValue, c.newValue])).toEqual([
      ['registered', 'over60', null, 20],
      ['departed', 'total', null, 40],
    ]);
  });

  it('records the save at the injected clock: as-of when the source gave none, and updated', async () => {
    const m = await freshMovement();
    const clock = fixedClock('2026-03-05T10:15:00Z');
    await updateMovementCounts(
      { db: database.db, clock },
      {
        movementId: m.id,
        expectedVersion: 1,
        counts: counts({ registered: { total: 90 } }),
        reason: 'r',
        sourceId: null,
        actor,
      },
    );
    expect((await historyOf(m.id)).map((s) => s.asOf.toISOString())).toEqual(['2026-03-05T10:15:00.000Z']);
    const [row] = await database.db
      .select()
      .from(passengerCounts)
      .where(eq(passengerCounts.movementId, m.id));
    expect(row!.updatedAt.toISOString()).toBe('2026-03-05T10:15:00.000Z');
  });

  it('refuses a stale version as a conflict and writes nothing', async () => {
    const m = await freshMovement();
    const base = { movementId: m.id, reason: 'r', sourceId: null, actor };
    await updateMovementCounts(
      { db: database.db },
      { ...base, expectedVersion: 1, counts: counts({ registered: { total: 101 } }) },
    );
    const stale = updateMovementCounts(
      { db: database.db },
      { ...base, expectedVersion: 1, counts: counts({ registered: { total: 999 } }) },
    );
    await expect(stale).rejects.toMatchObject({ code: 'conflict', status: 409 });
    expect((await findCounts(database.db, m.id)).registered.total).toBe(101);
    expect(await historyOf(m.id)).toHaveLength(1);
  });

  it.each([
    ['a negative count', counts({ registered: { total: -1 } })],
    ['a breakdown above its total', counts({ registered: { total: 10, over60: 11 } })],
    [
      'arrived above departed',
      counts({ registered: { total: 100 }, departed: { total: 5 }, arrived: { total: 6 } }),
    ],
    ['a non-integer', counts({ registered: { total: 2.5 } })],
  ])('refuses %s with a validation error and writes nothing', async (_name, bad) => {
    const m = await freshMovement();
    const attempt = updateMovementCounts(
      { db: database.db },
      { movementId: m.id, expectedVersion: 1, counts: bad, reason: 'r', sourceId: null, actor },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed', status: 422 });
    expect(await findCounts(database.db, m.id)).toEqual(counts({ registered: { total: 100 } }));
    expect((await reloadMovement(database.db, m.id)).version).toBe(1);
    expect(await historyOf(m.id)).toHaveLength(0);
  });

  it('requires a reason', async () => {
    const m = await freshMovement();
    const attempt = updateMovementCounts(
      { db: database.db },
      { movementId: m.id, expectedVersion: 1, counts: counts({}), reason: '  ', sourceId: null, actor },
    );
    await expect(attempt).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { reason: 'reason.required' },
    });
  });

  it('reports an unknown movement as not found', async () => {
    const attempt = updateMovementCounts(
      { db: database.db },
      { movementId: 987654, expectedVersion: 1, counts: counts({}), reason: 'r', sourceId: null, actor },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('database constraints (the last line of defence)', () => {
  const attempts: [string, Record<string, number | null>][] = [
    ['negative', { registeredTotal: -5 }],
    ['breakdown above total', { registeredTotal: 3, registeredOver60: 2, registeredMedical: 2 }],
    ['group without total', { departedTotal: null, departedOver60: 1 }],
    ['arrived above departed', { departedTotal: 4, arrivedTotal: 5 }],
    ['arrived without departed', { arrivedTotal: 1 }],
    [
      'arrived above departed in a group',
      { departedTotal: 9, departedMedical: 1, arrivedTotal: 5, arrivedMedical: 2 },
    ],
  ];
  it.each(attempts)('refuses %s even when the code is bypassed', async (_name, values) => {
    const m = await freshMovement();
    const write = database.db.update(passengerCounts).set(values).where(eq(passengerCounts.movementId, m.id));
    const err = await write.then(
      () => undefined,
      (e: unknown) => e,
    );
    const normalised = normaliseDbError(err);
    expect(normalised).toBeInstanceOf(AppError);
    expect(normalised?.code).toBe('validation_failed');
    expect((await findCounts(database.db, m.id)).registered.total).toBe(100);
  });

  it('refuses a non-integer at the database', async () => {
    const m = await freshMovement();
    const err = await database.db
      .execute(sql`UPDATE passenger_counts SET registered_total = '2.5' WHERE movement_id = ${m.id}`)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(normaliseDbError(err)?.code).toBe('validation_failed');
  });

  it('keeps history append-only', async () => {
    const m = await freshMovement();
    await updateMovementCounts(
      { db: database.db },
      {
        movementId: m.id,
        expectedVersion: 1,
        counts: counts({ registered: { total: 7 } }),
        reason: 'r',
        sourceId: null,
        actor,
      },
    );
    const [set] = await historyOf(m.id);
    const edit = database.db
      .update(countChangeSets)
      .set({ reason: 'rewritten' })
      .where(eq(countChangeSets.id, set!.id));
    await expect(edit).rejects.toThrow();
    const del = database.db.delete(countChanges).where(eq(countChanges.changeSetId, set!.id));
    await expect(del).rejects.toThrow();
    expect((await historyOf(m.id))[0]!.reason).toBe('r');
  });

  it('writeCounts is a plain upsert used by trusted code only', async () => {
    const m = await freshMovement();
    await writeCounts(database.db, m.id, counts({ registered: { total: 5 } }), {
      sourceId: null,
      actorId: null,
      at: new Date('2026-03-03T08:00:00Z'),
    });
    expect((await findCounts(database.db, m.id)).registered.total).toBe(5);
  });
});
