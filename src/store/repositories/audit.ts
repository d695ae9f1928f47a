// The append-only audit trail of staff changes other than figures.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { auditEvents, users } from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export type AuditEntity =
  | 'operation'
  | 'place'
  | 'route'
  | 'leg'
  | 'movement'
  | 'notice'
  | 'source'
  | 'csv_import'
  | 'digest_run'
  | 'contact';

export type NewAuditEvent = {
  actorId: number | null;
  actorLabel: string;
  entity: AuditEntity;
  entityId: number;
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

export async function appendAudit(db: Db, event: NewAuditEvent): Promise<void> {
  await db.insert(auditEvents).values({
    ...event,
    before: event.before ?? null,
    after: event.after ?? null,
    reason: event.reason ?? null,
  });
}

/** The latest change to a record: who made it and when (shown on a conflict). */
export async function lastAudit(db: Db, entity: AuditEntity, entityId: number) {
  const [row] = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, entity), eq(auditEvents.entityId, entityId)))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return row;
}

export async function auditOfEntity(db: Db, entity: AuditEntity, entityId: number, limit = 100) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, entity), eq(auditEvents.entityId, entityId)))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}

export async function auditOfActor(db: Db, actorId: number, limit = 100) {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.actorId, actorId))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}

export async function findUserName(db: Db, id: number) {
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(eq(users.id, id));
  return row;
}

/** A movement's audited change that touched its day or its status (for its reschedulings). */
export type MovementDayChange = {
  movementId: number;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: Date;
};

/**
 * The audited changes of these movements that set their scheduled day or status,
 * in the order recorded (one indexed read per snapshot; most movements have none).
 */
export async function movementDayChanges(db: Db, movementIds: number[]): Promise<MovementDayChange[]> {
  if (movementIds.length === 0) return [];
  const rows = await db
    .select({
      movementId: auditEvents.entityId,
      action: auditEvents.action,
      before: auditEvents.before,
      after: auditEvents.after,
      at: auditEvents.createdAt,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, 'movement'),
        inArray(auditEvents.entityId, movementIds),
        sql`(${auditEvents.after} -> 'scheduledDate' IS NOT NULL OR ${auditEvents.after} -> 'status' IS NOT NULL)`,
      ),
    )
    .orderBy(asc(auditEvents.id));
  return rows as MovementDayChange[];
}
