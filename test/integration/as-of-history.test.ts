// Two times on every figure: a save is recorded now (recorded_at) as true at its
// as-of; a correction as of an earlier day lands there and leaves later figures be.
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { countChangeSets, countChanges } from '../../db/schema.ts';
import { saveCounts } from '../../src/domain/staff/counts.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { Database } from '../../src/store/database.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovementWithSaves, makeSource } from '../support/factories.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});

const actor = { id: null, label: 'test' };
const MARCH_3 = new Date('2026-03-03T06:00:00Z');
const MARCH_4 = new Date('2026-03-04T06:00:00Z');

const movementWithHistory = () => makeMovementWithSaves(database.db);

async function historyOf(movementId: number) {
  const sets = await database.db
    .select()
    .from(countChangeSets)
    .where(eq(countChangeSets.movementId, movementId))
    .orderBy(asc(countChangeSets.id));
  const changes = await database.db.select().from(countChanges).orderBy(asc(countChanges.id));
  return sets.map((s) => ({
    asOf: s.asOf.toISOString(),
    changes: changes
      .filter((c) => c.changeSetId === s.id)
      .map((c) => `${c.stage}.${c.field}:${c.oldValue}->${c.newValue}`),
  }));
}

describe('a correction as of an earlier moment', () => {
  it('is recorded at that moment and does not undo a figure true later', async () => {
    const { m, save } = await movementWithHistory();
    await save(1, counts({ registered: { total: 467 } }), MARCH_3);
    await save(2, counts({ registered: { total: 470 }, departed: { total: 400 } }), MARCH_4);
    // Entered on 5 March: on 3 March there were 460 registered, not 467.
    const result = await save(3, counts({ registered: { total: 460 }, departed: { total: 400 } }), MARCH_3);
    expect(result.changed).toBe(true);
    // The current figures keep 4 March's registered figure; the correction sits on 3 March.
    expect(await findCounts(database.db, m.id)).toEqual(
      counts({ registered: { total: 470 }, departed: { total: 400 } }),
    );
    const history = await historyOf(m.id);
    expect(history[2]).toEqual({
      asOf: MARCH_3.toISOString(),
      changes: ['registered.total:467->460'],
    });
  });

  it('at the latest moment is an ordinary save', async () => {
    const { m, save } = await movementWithHistory();
    await save(1, counts({ registered: { total: 10 } }), MARCH_3);
    await save(2, counts({ registered: { total: 12 } }), MARCH_4);
    expect((await findCounts(database.db, m.id)).registered.total).toBe(12);
  });
});

describe('the as-of staff type', () => {
  it('is refused before the operation started or more than a day ahead, and nothing is written', async () => {
    const { m, save } = await movementWithHistory();
    await save(1, counts({ registered: { total: 5 } }), MARCH_3);
    const source = await makeSource(database.db);
    const metrics = createMetrics();
    const now = new Date('2026-03-05T10:00:00Z');
    const attempt = (asOf: Date) =>
      saveCounts(
        { db: database.db, metrics, now },
        {
          movementId: m.id,
          expectedVersion: 2,
          form: { 'registered.total': '6' },
          reason: 'r',
          source: { kind: 'existing', id: source.id },
          asOf,
          actor,
        },
      );
    await expect(attempt(new Date('2026-03-01T10:00:00Z'))).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { as_of: 'as_of.before_operation_start' },
    });
    await expect(attempt(new Date('2026-03-06T12:00:00Z'))).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { as_of: 'as_of.too_far_ahead' },
    });
    expect((await findCounts(database.db, m.id)).registered.total).toBe(5);
    // Within the window (the operation's first day, in its zone): accepted.
    await expect(attempt(new Date('2026-03-02T20:00:00Z'))).resolves.toMatchObject({ changed: true });
    const sets = await database.db.select().from(countChangeSets).where(eq(countChangeSets.movementId, m.id));
    // Both times kept: as of 3 March (Almaty), recorded when it was written.
    const last = sets.at(-1)!;
    expect(last.asOf.toISOString()).toBe('2026-03-02T20:00:00.000Z');
    expect(last.createdAt.getTime()).toBeGreaterThan(last.asOf.getTime());
  });
});
