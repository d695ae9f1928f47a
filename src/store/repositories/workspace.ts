// Staff writes to operations, places, routes, legs, movements and notices.
// Every update is guarded by the version the editor loaded: `.returning()`
// yields nothing when someone saved in between, and the caller reports a conflict.
import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import { legs, movements, notices, operations, places, routes, sources, users } from '../../../db/schema.ts';
import type { Db } from '../database.ts';

type Insert<T extends { $inferInsert: unknown }> = T['$inferInsert'];
const bump = <T extends { version: unknown }>(t: T) => sql`${t.version} + 1`;

export async function findOperation(db: Db, id: number) {
  const [row] = await db.select().from(operations).where(eq(operations.id, id));
  return row;
}

export async function insertOperation(db: Db, values: Insert<typeof operations>) {
  const [row] = await db.insert(operations).values(values).returning();
  return row!;
}

export async function updateOperation(
  db: Db,
  id: number,
  version: number,
  values: Partial<Insert<typeof operations>>,
) {
  const [row] = await db
    .update(operations)
    .set({ ...values, version: bump(operations), updatedAt: sql`now()` })
    .where(and(eq(operations.id, id), eq(operations.version, version)))
    .returning();
  return row;
}

export async function listPlaces(db: Db) {
  return db.select().from(places).orderBy(asc(places.slug));
}

export async function findPlace(db: Db, id: number) {
  const [row] = await db.select().from(places).where(eq(places.id, id));
  return row;
}

export async function insertPlace(db: Db, values: Insert<typeof places>) {
  const [row] = await db.insert(places).values(values).returning();
  return row!;
}

export async function updatePlace(
  db: Db,
  id: number,
  version: number,
  values: Partial<Insert<typeof places>>,
) {
  const [row] = await db
    .update(places)
    .set({ ...values, version: bump(places) })
    .where(and(eq(places.id, id), eq(places.version, version)))
    .returning();
  return row;
}

export async function findRoute(db: Db, id: number) {
  const [row] = await db.select().from(routes).where(eq(routes.id, id));
  return row;
}

export async function insertRoute(db: Db, values: Insert<typeof routes>) {
  const [row] = await db.insert(routes).values(values).returning();
  return row!;
}

export async function updateRoute(
  db: Db,
  id: number,
  version: number,
  values: Partial<Insert<typeof routes>>,
) {
  const [row] = await db
    .update(routes)
    .set({ ...values, version: bump(routes), updatedAt: sql`now()` })
    .where(and(eq(routes.id, id), eq(routes.version, version)))
    .returning();
  return row;
}

export async function findLeg(db: Db, id: number) {
  const [row] = await db.select().from(legs).where(eq(legs.id, id));
  return row;
}

export async function legsOfRoute(db: Db, routeId: number) {
  return db.select().from(legs).where(eq(legs.routeId, routeId)).orderBy(asc(legs.position));
}

export async function nextLegPosition(db: Db, routeId: number): Promise<number> {
  const [row] = await db
    .select({ max: sql<number | null>`max(${legs.position})` })
    .from(legs)
    .where(eq(legs.routeId, routeId));
  return Number(row?.max ?? 0) + 1;
}

export async function insertLeg(db: Db, values: Insert<typeof legs>) {
  const [row] = await db.insert(legs).values(values).returning();
  return row!;
}

export async function updateLeg(db: Db, id: number, version: number, values: Partial<Insert<typeof legs>>) {
  const [row] = await db
    .update(legs)
    .set({ ...values, version: bump(legs), updatedAt: sql`now()` })
    .where(and(eq(legs.id, id), eq(legs.version, version)))
    .returning();
  return row;
}

/** A route's own version moves with its legs, so two editors of one route see each other. */
export async function touchRoute(db: Db, id: number) {
  await db
    .update(routes)
    .set({ version: bump(routes), updatedAt: sql`now()` })
    .where(eq(routes.id, id));
}

export async function insertMovement(db: Db, values: Insert<typeof movements>) {
  const [row] = await db.insert(movements).values(values).returning();
  return row!;
}

export async function updateMovement(
  db: Db,
  id: number,
  version: number,
  values: Partial<Insert<typeof movements>>,
) {
  const [row] = await db
    .update(movements)
    .set({ ...values, version: bump(movements), updatedAt: sql`now()` })
    .where(and(eq(movements.id, id), eq(movements.version, version)))
    .returning();
  return row;
}

export async function movementLabelTaken(db: Db, routeId: number, label: string, exceptId?: number) {
  const rows = await db
    .select({ id: movements.id })
    .from(movements)
    .where(and(eq(movements.routeId, routeId), eq(movements.label, label)));
  return rows.some((r) => r.id !== exceptId);
}

export async function findNotice(db: Db, id: number) {
  const [row] = await db.select().from(notices).where(eq(notices.id, id));
  return row;
}

export async function insertNotice(db: Db, values: Insert<typeof notices>) {
  const [row] = await db.insert(notices).values(values).returning();
  return row!;
}

export async function updateNotice(
  db: Db,
  id: number,
  version: number,
  values: Partial<Insert<typeof notices>>,
) {
  const [row] = await db
    .update(notices)
    .set({ ...values, version: bump(notices), updatedAt: sql`now()` })
    .where(and(eq(notices.id, id), eq(notices.version, version)))
    .returning();
  return row;
}

export async function listSources(db: Db) {
  return db.select().from(sources).orderBy(desc(sources.publishedOn), asc(sources.id));
}

export async function findSource(db: Db, id: number) {
  const [row] = await db.select().from(sources).where(eq(sources.id, id));
  return row;
}

export async function insertSource(db: Db, values: Insert<typeof sources>) {
  const [row] = await db.insert(sources).values(values).returning();
  return row!;
}

export async function slugTaken(db: Db, table: 'operations' | 'places', slug: string, exceptId?: number) {
  const t = table === 'operations' ? operations : places;
  const rows = await db.select({ id: t.id }).from(t).where(eq(t.slug, slug));
  return rows.some((r) => r.id !== exceptId);
}

export async function routeSlugTaken(db: Db, operationId: number, slug: string, exceptId?: number) {
  const rows = await db
    .select({ id: routes.id })
    .from(routes)
    .where(and(eq(routes.operationId, operationId), eq(routes.slug, slug)));
  return rows.some((r) => r.id !== exceptId);
}

export async function userName(db: Db, id: number | null) {
  if (id === null) return undefined;
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, id));
  return row?.name;
}

/** Every operation whose routes pass through a place: their public pages show its name. */
export async function operationsUsingPlace(db: Db, placeId: number): Promise<number[]> {
  const rows = await db
    .selectDistinct({ id: routes.operationId })
    .from(legs)
    .innerJoin(routes, eq(routes.id, legs.routeId))
    .where(or(eq(legs.fromPlaceId, placeId), eq(legs.toPlaceId, placeId)));
  return rows.map((r) => r.id);
}

/** Every movement of an operation with its label key and labels (a working-language change). */
export async function movementLabelsOfOperation(db: Db, operationId: number) {
  return db
    .select({
      id: movements.id,
      routeId: movements.routeId,
      label: movements.label,
      labels: movements.labels,
    })
    .from(movements)
    .innerJoin(routes, eq(routes.id, movements.routeId))
    .where(eq(routes.operationId, operationId))
    .orderBy(asc(movements.id));
}

/** The label key of a movement (the label in its operation's working language); not a version bump. */
export async function setMovementLabelKey(db: Db, id: number, label: string) {
  await db.update(movements).set({ label }).where(eq(movements.id, id));
}
