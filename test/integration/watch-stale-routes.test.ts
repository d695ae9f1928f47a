// The operator's corridor_stale_routes (src/store/repositories/watch.ts) counts by the
// dashboard's rule (stale-routes-sql.ts): a route of an active public operation still under
// way, or with no movement, that nobody touched within the threshold. A route whose
// movements all arrived is done: it was counted for good, so the alert never cleared.
// PGlite, and PostgreSQL with TEST_DATABASE_URL.
import { beforeAll, describe, expect, it } from 'vitest';
import { inArray, sql } from 'drizzle-orm';
import { legs, movements, passengerCounts, routes } from '../../db/schema.ts';
import type { Database } from '../../src/store/database.ts';
import { readWatchFigures } from '../../src/store/repositories/watch.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

let database: Database;
const named: Record<string, number> = {};

/** Everything of these routes last changed two days ago (the threshold is 12 h). */
async function age(routeIds: number[]) {
  const db = database.db;
  const old = sql`now() - interval '2 days'`;
  await db.update(routes).set({ updatedAt: old }).where(inArray(routes.id, routeIds));
  await db.update(legs).set({ updatedAt: old }).where(inArray(legs.routeId, routeIds));
  const ms = await db
    .select({ id: movements.id })
    .from(movements)
    .where(inArray(movements.routeId, routeIds));
  const ids = ms.map((m) => m.id);
  if (ids.length === 0) return;
  await db.update(movements).set({ updatedAt: old }).where(inArray(movements.id, ids));
  await db.update(passengerCounts).set({ updatedAt: old }).where(inArray(passengerCounts.movementId, ids));
}

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const pub = await makeOperation(db, { staleAfterHours: 12 });
  const hidden = await makeOperation(db, { isPublic: false, staleAfterHours: 12 });
  const route = async (name: string, op: number, status?: 'departed' | 'arrived') => {
    const { route: r } = await makeRoute(db, op);
    if (status) await makeMovement(db, r.id, { status }, counts({ departed: { total: 40 } }));
    named[name] = r.id;
  };
  await route('underWayOld', pub.id, 'departed');
  await route('arrivedOld', pub.id, 'arrived');
  await route('arrivedOld2', pub.id, 'arrived');
  await route('emptyOld', pub.id);
  await route('underWayFresh', pub.id, 'departed');
  await route('hiddenOld', hidden.id, 'departed');
  await age(['underWayOld', 'arrivedOld', 'arrivedOld2', 'emptyOld', 'hiddenOld'].map((n) => named[n]!));
});

describe('corridor_stale_routes', () => {
  it('counts the public routes under way (or empty) untouched for the threshold, not a finished one', async () => {
    // underWayOld and emptyOld; not the arrived ones (done), underWayFresh, hiddenOld (not public).
    expect((await readWatchFigures(database)).staleRoutes).toBe(2);
  });
});
