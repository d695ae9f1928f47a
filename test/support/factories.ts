// Factories: each test makes the data it needs, with unique keys.
import { eq } from 'drizzle-orm';
import { legs, movements, operations, places, routes, sources, users } from '../../db/schema.ts';
import type { Counts } from '../../src/domain/figures.ts';
import { emptyCounts } from '../../src/domain/figures.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import type { Db } from '../../src/store/database.ts';
import { writeCounts } from '../../src/store/repositories/counts.ts';

let seq = 0;
const next = () => `${Date.now().toString(36)}-${++seq}`;

export async function makeOperation(db: Db, overrides: Partial<typeof operations.$inferInsert> = {}) {
  const slug = overrides.slug ?? `op-${next()}`;
  const [row] = await db
    .insert(operations)
    .values({
      slug,
      names: { en: `Operation ${slug}`, ru: `Операция ${slug}`, kk: `Операция ${slug}` },
      isPublic: true,
      ...overrides,
    })
    .returning();
  return row!;
}

export async function makePlace(db: Db, overrides: Partial<typeof places.$inferInsert> = {}) {
  const slug = overrides.slug ?? `place-${next()}`;
  const [row] = await db
    .insert(places)
    .values({ slug, names: { en: `Place ${slug}` }, countryCode: 'KZ', kind: 'city', ...overrides })
    .returning();
  return row!;
}

export async function makeSource(db: Db, overrides: Partial<typeof sources.$inferInsert> = {}) {
  const slug = overrides.slug ?? `source-${next()}`;
  const [row] = await db
    .insert(sources)
    .values({
      slug,
      title: `Report ${slug}`,
      outlet: 'Test outlet',
      publishedOn: '2026-03-03',
      language: 'en',
      ...overrides,
    })
    .returning();
  return row!;
}

/** A route with `legCount` legs between fresh places. */
export async function makeRoute(
  db: Db,
  operationId: number,
  overrides: Partial<typeof routes.$inferInsert> = {},
  legCount = 1,
) {
  const slug = overrides.slug ?? `route-${next()}`;
  const [route] = await db
    .insert(routes)
    .values({ operationId, slug, names: { en: `Route ${slug}` }, ...overrides })
    .returning();
  const stops = [];
  for (let i = 0; i <= legCount; i++) stops.push(await makePlace(db));
  const legRows = [];
  for (let i = 0; i < legCount; i++) {
    const [leg] = await db
      .insert(legs)
      .values({
        routeId: route!.id,
        position: i + 1,
        fromPlaceId: stops[i]!.id,
        toPlaceId: stops[i + 1]!.id,
        mode: 'bus',
      })
      .returning();
    legRows.push(leg!);
  }
  return { route: route!, legs: legRows };
}

export async function makeMovement(
  db: Db,
  routeId: number,
  overrides: Partial<typeof movements.$inferInsert> = {},
  counts: Counts = emptyCounts(),
) {
  const [row] = await db
    .insert(movements)
    .values({
      routeId,
      label: `Movement ${next()}`,
      kind: 'flight',
      scheduledDate: '2026-03-03',
      ...overrides,
    })
    .returning();
  await writeCounts(db, row!.id, counts, { sourceId: null, actorId: null, at: new Date() });
  return row!;
}

export async function makeUser(db: Db, overrides: Partial<typeof users.$inferInsert> = {}) {
  const [row] = await db
    .insert(users)
    .values({
      email: `user-${next()}@example.org`,
      name: 'Test User',
      role: 'officer',
      passwordHash: 'x',
      ...overrides,
    })
    .returning();
  return row!;
}

export async function reloadMovement(db: Db, id: number) {
  const [row] = await db.select().from(movements).where(eq(movements.id, id));
  return row!;
}

/** Counts built from a compact spec: { departed: { total: 10, over60: 3 } }. */
export function counts(spec: Partial<Record<keyof Counts, Partial<Counts[keyof Counts]>>>): Counts {
  const c = emptyCounts();
  for (const [stage, figures] of Object.entries(spec)) Object.assign(c[stage as keyof Counts], figures);
  return c;
}

/**
 * A fresh movement on its own operation and route, and `save`: its figures as of a moment
 * through the use case at a version (with `merge`, field by field; without, the exact version).
 */
export async function makeMovementWithSaves(db: Db) {
  const op = await makeOperation(db);
  const { route } = await makeRoute(db, op.id);
  const m = await makeMovement(db, route.id);
  const actor = { id: null, label: 'test' };
  const save = (version: number, c: Counts, asOf: Date, merge?: { base?: Counts }) =>
    updateMovementCounts(
      { db },
      {
        movementId: m.id,
        expectedVersion: version,
        counts: c,
        reason: 'r',
        sourceId: null,
        actor,
        asOf,
        merge,
      },
    );
  return { op, m, save };
}
