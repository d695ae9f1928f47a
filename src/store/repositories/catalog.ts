// Operations, places, routes, legs and sources: reads and the inserts the seed
// and the staff workspace build on.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  type Localized,
  type Quotation,
  legs,
  movements,
  notices,
  operations,
  places,
  routes,
  sources,
} from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export type OperationRow = typeof operations.$inferSelect;
export type PlaceRow = typeof places.$inferSelect;
export type RouteRow = typeof routes.$inferSelect;
export type LegRow = typeof legs.$inferSelect;
export type SourceRow = typeof sources.$inferSelect;
export type NoticeRow = typeof notices.$inferSelect;

export async function listPublicOperations(db: Db): Promise<OperationRow[]> {
  return db.select().from(operations).where(eq(operations.isPublic, true)).orderBy(asc(operations.id));
}

export async function listOperations(db: Db): Promise<OperationRow[]> {
  return db.select().from(operations).orderBy(asc(operations.id));
}

export async function findOperationBySlug(db: Db, slug: string) {
  const [row] = await db.select().from(operations).where(eq(operations.slug, slug));
  return row;
}

export async function countOperations(db: Db): Promise<number> {
  const rows = await db.select({ id: operations.id }).from(operations).limit(1);
  return rows.length;
}

export async function routesOfOperation(db: Db, operationId: number) {
  return db
    .select()
    .from(routes)
    .where(eq(routes.operationId, operationId))
    .orderBy(asc(routes.position), asc(routes.id));
}

export async function legsOfRoutes(db: Db, routeIds: number[]) {
  if (routeIds.length === 0) return [];
  return db
    .select()
    .from(legs)
    .where(inArray(legs.routeId, routeIds))
    .orderBy(asc(legs.routeId), asc(legs.position));
}

export async function movementsOfRoutes(db: Db, routeIds: number[]) {
  if (routeIds.length === 0) return [];
  return db
    .select()
    .from(movements)
    .where(inArray(movements.routeId, routeIds))
    .orderBy(asc(movements.scheduledDate), asc(movements.id));
}

export async function placesByIds(db: Db, ids: number[]): Promise<PlaceRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(places).where(inArray(places.id, ids));
}

export async function sourcesByIds(db: Db, ids: number[]): Promise<SourceRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(sources).where(inArray(sources.id, ids));
}

export async function noticesOfOperation(db: Db, operationId: number): Promise<NoticeRow[]> {
  return db
    .select()
    .from(notices)
    .where(eq(notices.operationId, operationId))
    .orderBy(asc(notices.publishedAt), asc(notices.id));
}

// Seed inserts: each is "insert if absent" on the natural key, so seeding is idempotent.

export async function ensureSource(db: Db, values: typeof sources.$inferInsert): Promise<number> {
  await db.insert(sources).values(values).onConflictDoNothing({ target: sources.slug });
  const [row] = await db.select({ id: sources.id }).from(sources).where(eq(sources.slug, values.slug));
  return row!.id;
}

export async function ensurePlace(db: Db, values: typeof places.$inferInsert): Promise<number> {
  await db.insert(places).values(values).onConflictDoNothing({ target: places.slug });
  const [row] = await db.select({ id: places.id }).from(places).where(eq(places.slug, values.slug));
  return row!.id;
}

export async function ensureOperation(db: Db, values: typeof operations.$inferInsert): Promise<number> {
  await db.insert(operations).values(values).onConflictDoNothing({ target: operations.slug });
  const [row] = await db
    .select({ id: operations.id })
    .from(operations)
    .where(eq(operations.slug, values.slug));
  return row!.id;
}

/** Returns the route id and whether it was created now (its legs are added only then). */
export async function ensureRoute(db: Db, values: typeof routes.$inferInsert) {
  const inserted = await db
    .insert(routes)
    .values(values)
    .onConflictDoNothing({ target: [routes.operationId, routes.slug] })
    .returning({ id: routes.id });
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const [row] = await db
    .select({ id: routes.id })
    .from(routes)
    .where(and(eq(routes.operationId, values.operationId), eq(routes.slug, values.slug)));
  return { id: row!.id, created: false };
}

/** A notice citing a report, once per operation and report (the seed's qualitative facts). */
export async function ensureSourcedNotice(db: Db, values: typeof notices.$inferInsert): Promise<boolean> {
  const [found] = await db
    .select({ id: notices.id })
    .from(notices)
    .where(and(eq(notices.operationId, values.operationId), eq(notices.sourceId, values.sourceId!)));
  if (found) return false;
  await db.insert(notices).values(values);
  return true;
}

export async function insertLegs(db: Db, values: (typeof legs.$inferInsert)[]) {
  if (values.length === 0) return [];
  return db.insert(legs).values(values).returning({ id: legs.id, position: legs.position });
}

export async function insertMovementIfAbsent(db: Db, values: typeof movements.$inferInsert) {
  const inserted = await db
    .insert(movements)
    .values(values)
    .onConflictDoNothing({ target: [movements.routeId, movements.label] })
    .returning({ id: movements.id, version: movements.version });
  return inserted[0];
}

// Seed translations: a seeded row written before its text was per language gets the
// languages it lacks; a value someone already wrote is never replaced (jsonb `||`: the
// right side wins). The version moves, so a form open on the old text conflicts.

export async function fillSourceTexts(db: Db, slug: string, v: { titles: Localized; outlets: Localized }) {
  await db
    .update(sources)
    .set({
      titles: sql`${JSON.stringify(v.titles)}::jsonb || ${sources.titles}`,
      outlets: sql`${JSON.stringify(v.outlets)}::jsonb || ${sources.outlets}`,
    })
    .where(eq(sources.slug, slug));
}

export async function fillRouteTexts(
  db: Db,
  id: number,
  v: { publicNotes: Localized; publicQuote: Quotation | null },
) {
  const notes = sql`${JSON.stringify(v.publicNotes)}::jsonb || ${routes.publicNotes}`;
  const quote = sql`coalesce(${routes.publicQuote}, ${v.publicQuote === null ? null : JSON.stringify(v.publicQuote)}::jsonb)`;
  await db
    .update(routes)
    .set({ publicNotes: notes, publicQuote: quote, version: sql`${routes.version} + 1` })
    .where(
      and(
        eq(routes.id, id),
        sql`(${routes.publicNotes} IS DISTINCT FROM ${notes} OR ${routes.publicQuote} IS DISTINCT FROM ${quote})`,
      ),
    );
}

export async function fillMovementTexts(
  db: Db,
  key: { routeId: number; label: string },
  v: { labels: Localized; publicNotes: Localized; publicQuote: Quotation | null },
) {
  const labels = sql`${JSON.stringify(v.labels)}::jsonb || ${movements.labels}`;
  const notes = sql`${JSON.stringify(v.publicNotes)}::jsonb || ${movements.publicNotes}`;
  const quote = sql`coalesce(${movements.publicQuote}, ${v.publicQuote === null ? null : JSON.stringify(v.publicQuote)}::jsonb)`;
  await db
    .update(movements)
    .set({ labels, publicNotes: notes, publicQuote: quote, version: sql`${movements.version} + 1` })
    .where(
      and(
        eq(movements.routeId, key.routeId),
        eq(movements.label, key.label),
        sql`(${movements.labels} IS DISTINCT FROM ${labels} OR ${movements.publicNotes} IS DISTINCT FROM ${notes} OR ${movements.publicQuote} IS DISTINCT FROM ${quote})`,
      ),
    );
}

/**
 * When the operation of a movement began, for the as-of window: the earliest of its
 * creation and every time already recorded for its movements (scheduled, departed,
 * figures' as-of), so an operation created after its first events still takes them.
 */
export async function operationStartOfMovement(
  db: Db,
  movementId: number,
): Promise<{ at: Date; timeZone: string } | undefined> {
  const result = await db.execute<{ at: string | Date; time_zone: string }>(sql`
    SELECT LEAST(
             o.created_at,
             (SELECT min(LEAST(m.scheduled_date::timestamp AT TIME ZONE o.time_zone,
                               m.scheduled_departure_at, m.departed_at))
                FROM movements m JOIN routes r ON r.id = m.route_id WHERE r.operation_id = o.id),
             (SELECT min(c.as_of) FROM count_change_sets c
                JOIN movements m ON m.id = c.movement_id JOIN routes r ON r.id = m.route_id
               WHERE r.operation_id = o.id)
           ) AS at, o.time_zone
      FROM movements m0 JOIN routes r0 ON r0.id = m0.route_id JOIN operations o ON o.id = r0.operation_id
     WHERE m0.id = ${movementId}`);
  type Row = { at: string | Date; time_zone: string };
  const raw = result as { rows: Row[] } | Row[];
  const row = Array.isArray(raw) ? raw[0] : raw.rows[0];
  return row ? { at: new Date(row.at), timeZone: row.time_zone } : undefined;
}
