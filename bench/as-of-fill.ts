// The operation of bench/as-of-memo.ts and bench/as-of-settle.ts in a database: the
// movements of bench/as-of-memo-days.ts (same generator, BENCH_MOVEMENTS, BENCH_SEED),
// departures and arrivals over 1–5 March, each figure saved with its as-of time.
import { updateMovementCounts } from '../src/domain/update-counts.ts';
import { type Db, openDatabase } from '../src/store/database.ts';
import { migrateDatabase } from '../src/store/migrate.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../test/support/factories.ts';
import { plans } from './as-of-memo-days.ts';

export async function fillAsOfOperation(db: Db) {
  const op = await makeOperation(db, { publicationDelayMinutes: 0, smallCountThreshold: 5 });
  const p = plans();
  const routeIds: number[] = [];
  const movements: { id: number; day: string; D: number }[] = [];
  for (let r = 0; r < p.routes; r++) routeIds.push((await makeRoute(db, op.id)).route.id);
  for (const { route, departedAt, arrivedAt, R: registered, D, A } of p.plans) {
    const m = await makeMovement(db, routeIds[route]!, {
      status: arrivedAt ? 'arrived' : 'departed',
      scheduledDate: departedAt.toISOString().slice(0, 10),
      departedAt,
      arrivedAt,
      createdAt: new Date('2026-03-01T00:00:00Z'),
    });
    let version = m.version;
    const save = async (c: ReturnType<typeof counts>, asOf: Date) => {
      const out = await updateMovementCounts(
        { db },
        {
          movementId: m.id,
          expectedVersion: version,
          counts: c,
          reason: 'bench',
          sourceId: null,
          actor: { id: null, label: 'bench' },
          asOf,
        },
      );
      version = out.version;
    };
    await save(counts({ registered }), new Date('2026-03-01T02:00:00Z'));
    await save(counts({ registered, departed: { total: D } }), departedAt);
    if (arrivedAt && A !== null)
      await save(counts({ registered, departed: { total: D }, arrived: { total: A } }), arrivedAt);
    movements.push({ id: m.id, day: departedAt.toISOString().slice(0, 10), D });
  }
  return { op, routeIds, movements };
}

/** A migrated database (TEST_DATABASE_URL, else an in-memory PGlite) holding that operation. */
export async function openFilledDatabase() {
  const url = process.env.TEST_DATABASE_URL;
  const database = await openDatabase(url ? { kind: 'postgres', url, poolSize: 4 } : { kind: 'pglite' });
  await migrateDatabase(database);
  const fillStart = performance.now();
  const filled = await fillAsOfOperation(database.db);
  return { database, ...filled, fillMs: Math.round(performance.now() - fillStart) };
}
