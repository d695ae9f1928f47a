// The "Help and contacts" items of an operation, and the publisher settings and place
// coordinates the public page shows. Updates are guarded by the version the editor
// loaded: `.returning()` yields nothing when someone saved in between.
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { auditEvents, operations, places, publicContacts } from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export type ContactRow = typeof publicContacts.$inferSelect;
type ContactInsert = typeof publicContacts.$inferInsert;

/** Published (not withdrawn) items, in the order staff set; `all` adds the withdrawn ones. */
export async function contactsOfOperation(db: Db, operationId: number, o: { all?: boolean } = {}) {
  return db
    .select()
    .from(publicContacts)
    .where(
      o.all
        ? eq(publicContacts.operationId, operationId)
        : and(eq(publicContacts.operationId, operationId), isNull(publicContacts.withdrawnAt)),
    )
    .orderBy(asc(publicContacts.position), asc(publicContacts.id));
}

export async function findContact(db: Db, id: number): Promise<ContactRow | undefined> {
  const [row] = await db.select().from(publicContacts).where(eq(publicContacts.id, id));
  return row;
}

export async function insertContact(db: Db, values: ContactInsert): Promise<ContactRow> {
  const [row] = await db.insert(publicContacts).values(values).returning();
  return row!;
}

export async function updateContact(
  db: Db,
  id: number,
  version: number,
  values: Partial<ContactInsert>,
): Promise<ContactRow | undefined> {
  const [row] = await db
    .update(publicContacts)
    .set({ ...values, version: sql`${publicContacts.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(publicContacts.id, id), eq(publicContacts.version, version)))
    .returning();
  return row;
}

export async function nextContactPosition(db: Db, operationId: number): Promise<number> {
  const [row] = await db
    .select({ max: sql<number | null>`max(${publicContacts.position})` })
    .from(publicContacts)
    .where(eq(publicContacts.operationId, operationId));
  return (row?.max ?? -1) + 1;
}

/** Operations (by id) with at least one published contact. */
export async function operationsWithContacts(db: Db): Promise<Set<number>> {
  const rows = await db
    .selectDistinct({ id: publicContacts.operationId })
    .from(publicContacts)
    .where(isNull(publicContacts.withdrawnAt));
  return new Set(rows.map((r) => r.id));
}

export async function updatePublisher(
  db: Db,
  id: number,
  version: number,
  values: Pick<typeof operations.$inferInsert, 'authority' | 'authorityUrl' | 'publicLead'>,
) {
  const [row] = await db
    .update(operations)
    .set({ ...values, version: sql`${operations.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(operations.id, id), eq(operations.version, version)))
    .returning();
  return row;
}

export async function updatePlaceCoordinates(
  db: Db,
  id: number,
  version: number,
  values: { latitude: number | null; longitude: number | null },
) {
  const [row] = await db
    .update(places)
    .set({ ...values, version: sql`${places.version} + 1` })
    .where(and(eq(places.id, id), eq(places.version, version)))
    .returning();
  return row;
}

/** The history of an operation's public page settings: its contacts and its publisher. */
export async function publicPageAudit(db: Db, operationId: number, limit = 100) {
  const ids = db
    .select({ id: publicContacts.id })
    .from(publicContacts)
    .where(eq(publicContacts.operationId, operationId));
  return db
    .select()
    .from(auditEvents)
    .where(
      or(
        and(eq(auditEvents.entity, 'contact'), inArray(auditEvents.entityId, ids)),
        and(
          eq(auditEvents.entity, 'operation'),
          eq(auditEvents.entityId, operationId),
          eq(auditEvents.action, 'publisher'),
        ),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}
