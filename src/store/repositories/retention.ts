// Queries of the retention purge: what a closed operation keeps (figures,
// history, public notes) and what goes (subscriber addresses, staff notes).
import { and, eq, gt, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import {
  auditEvents,
  digestDeliveries,
  digestRuns,
  movements,
  operations,
  routes,
  subscribers,
} from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export async function closedOperationsBefore(db: Db, cutoff: Date) {
  return db
    .select({ id: operations.id, slug: operations.slug, closedAt: operations.closedAt })
    .from(operations)
    .where(
      and(eq(operations.status, 'closed'), isNotNull(operations.closedAt), lte(operations.closedAt, cutoff)),
    );
}

export async function deleteSubscribers(db: Db, operationId: number): Promise<number> {
  // subscriber_routes cascade; digest_deliveries.subscriber_id is set null.
  const rows = await db
    .delete(subscribers)
    .where(eq(subscribers.operationId, operationId))
    .returning({ id: subscribers.id });
  return rows.length;
}

export async function clearDeliveryAddresses(db: Db, operationId: number): Promise<number> {
  const runs = db
    .select({ id: digestRuns.id })
    .from(digestRuns)
    .where(eq(digestRuns.operationId, operationId));
  const rows = await db
    .update(digestDeliveries)
    .set({ email: null })
    .where(and(isNotNull(digestDeliveries.email), inArray(digestDeliveries.runId, runs)))
    .returning({ id: digestDeliveries.id });
  return rows.length;
}

export async function clearStaffNotes(db: Db, operationId: number) {
  const routeIds = db.select({ id: routes.id }).from(routes).where(eq(routes.operationId, operationId));
  // The version moves on: an editor still open on the old text gets a conflict, not a silent revert.
  const m = await db
    .update(movements)
    .set({ staffNote: null, version: sql`${movements.version} + 1` })
    .where(and(isNotNull(movements.staffNote), inArray(movements.routeId, routeIds)))
    .returning({ id: movements.id });
  const r = await db
    .update(routes)
    .set({ staffNote: null, version: sql`${routes.version} + 1` })
    .where(and(isNotNull(routes.staffNote), eq(routes.operationId, operationId)))
    .returning({ id: routes.id });
  return { movements: m.length, routes: r.length };
}

/** Audit events of the operation, its routes and movements, that mention a staff note. */
/** One batch of what retention rewrites: rows after `afterId`, in id order (keyset). */
export type RewriteBatch = { afterId: number; limit: number };

export async function auditEventsWithStaffNotes(db: Db, operationId: number, batch: RewriteBatch) {
  const routeIds = db.select({ id: routes.id }).from(routes).where(eq(routes.operationId, operationId));
  const movementIds = db
    .select({ id: movements.id })
    .from(movements)
    .where(inArray(movements.routeId, routeIds));
  const mentions = sql`(coalesce(${auditEvents.before}::text, '') || coalesce(${auditEvents.after}::text, '')) ~ '"(staffNote|staff_note)"'`;
  return db
    .select({ id: auditEvents.id, before: auditEvents.before, after: auditEvents.after })
    .from(auditEvents)
    .where(
      and(
        gt(auditEvents.id, batch.afterId),
        mentions,
        or(
          and(eq(auditEvents.entity, 'operation'), eq(auditEvents.entityId, operationId)),
          and(eq(auditEvents.entity, 'route'), inArray(auditEvents.entityId, routeIds)),
          and(eq(auditEvents.entity, 'movement'), inArray(auditEvents.entityId, movementIds)),
        ),
      ),
    )
    .orderBy(auditEvents.id)
    .limit(batch.limit);
}

export async function rewriteAuditEvent(db: Db, id: number, before: unknown, after: unknown) {
  await db.update(auditEvents).set({ before, after }).where(eq(auditEvents.id, id));
}

export async function digestRunsWithStaffNotes(db: Db, operationId: number, batch: RewriteBatch) {
  return db
    .select({ id: digestRuns.id, snapshot: digestRuns.snapshot })
    .from(digestRuns)
    .where(
      and(
        gt(digestRuns.id, batch.afterId),
        eq(digestRuns.operationId, operationId),
        sql`${digestRuns.snapshot}::text ~ '"(staffNote|staff_note)"'`,
      ),
    )
    .orderBy(digestRuns.id)
    .limit(batch.limit);
}

export async function rewriteDigestSnapshot(db: Db, id: number, snapshot: unknown) {
  await db.update(digestRuns).set({ snapshot }).where(eq(digestRuns.id, id));
}
