// Audit events of staff accounts (entity 'user'). Written with the transaction
// that makes the change, so both commit or neither does.
import { and, desc, eq } from 'drizzle-orm';
import { auditEvents } from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export type AccountAuditInput = {
  actorId: number | null;
  actorLabel: string;
  entity: 'user';
  entityId: number;
  action: string;
  before?: unknown;
  after?: unknown;
  at?: Date;
};

export type AuditEventRow = typeof auditEvents.$inferSelect;

export async function appendAccountAudit(tx: Db, event: AccountAuditInput): Promise<void> {
  await tx
    .insert(auditEvents)
    .values({
      actorId: event.actorId,
      actorLabel: event.actorLabel,
      entity: event.entity,
      entityId: event.entityId,
      action: event.action,
      before: event.before ?? null,
      after: event.after ?? null,
      ...(event.at ? { createdAt: event.at } : {}),
    })
    .returning({ id: auditEvents.id });
}

export async function accountAuditOf(db: Db, userId: number, limit = 100): Promise<AuditEventRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, 'user'), eq(auditEvents.entityId, userId)))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}
