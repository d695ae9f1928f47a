// Uncertain deliveries, and a staff member's decision to send them again. The
// system never resends an uncertain delivery by itself (it may have arrived);
// a person may, knowing that. The resend is recorded on each delivery (who,
// when) and as an audit event, and carries the delivery's own Message-ID, so a
// mail client that already has the first copy can recognise the second.
import type { Database } from '../../store/database.ts';
import { appendAudit } from '../../store/repositories/audit.ts';
import {
  type UncertainDelivery,
  requeueUncertain,
  uncertainDeliveries,
} from '../../store/repositories/digest-deliveries.ts';
import type { Actor } from '../update-counts.ts';

export type { UncertainDelivery };

export async function listUncertain(deps: { database: Database }, operationId: number) {
  return uncertainDeliveries(deps.database, operationId);
}

/** Queue these uncertain deliveries again (the scheduler sends them within a minute). */
export async function resendUncertain(
  deps: { database: Database; now: Date },
  input: { operationId: number; ids: number[]; actor: Actor & { id: number } },
): Promise<{ requeued: number }> {
  const { database, now } = deps;
  return database.db.transaction(async (tx) => {
    const rows = await requeueUncertain(database, tx, {
      operationId: input.operationId,
      ids: input.ids,
      userId: input.actor.id,
      now,
    });
    const byRun = new Map<number, number[]>();
    for (const r of rows) byRun.set(r.runId, [...(byRun.get(r.runId) ?? []), r.id]);
    for (const [runId, deliveries] of byRun)
      await appendAudit(tx, {
        actorId: input.actor.id,
        actorLabel: input.actor.label,
        entity: 'digest_run',
        entityId: runId,
        action: 'resend_uncertain',
        after: { deliveries, count: deliveries.length },
        reason: 'resend of deliveries whose first send is uncertain',
      });
    return { requeued: rows.length };
  });
}
