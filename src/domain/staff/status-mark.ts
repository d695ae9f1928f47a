// Status follows the figures, explicitly: when an officer saves departed or
// arrived figures, the count editor offers to mark the movement departed or
// arrived in the same save. Nothing changes status without that choice; what
// still disagrees is listed on the dashboard (attention.ts).
import { notFound, validationError } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import { appendAudit } from '../../store/repositories/audit.ts';
import { updateMovement } from '../../store/repositories/workspace.ts';
import { findMovement } from '../../store/repositories/movements.ts';
import { notifyChange } from '../../store/notify.ts';
import type { Counts } from '../figures.ts';
import type { MovementStatus } from '../movement-status.ts';
import type { Actor } from './common.ts';

export type StatusMark = { status: 'departed' | 'arrived'; at: Date | null };

/** Which marks the figures call for, given the movement's status. */
export function statusOffers(status: MovementStatus): { departed: boolean; arrived: boolean } {
  const before = status === 'planned' || status === 'boarding';
  return { departed: before, arrived: before || status === 'departed' };
}

/** Where figures and status disagree: figures of a stage the movement has not reached. */
export function statusDisagreement(status: MovementStatus, counts: Counts): 'departed' | 'arrived' | null {
  if (status === 'cancelled') return null;
  if (status !== 'arrived' && (counts.arrived.total ?? 0) > 0) return 'arrived';
  if ((status === 'planned' || status === 'boarding') && (counts.departed.total ?? 0) > 0) return 'departed';
  return null;
}

/** Set the status (and its time) inside the save's transaction; the new version. */
export async function markStatus(
  tx: Db,
  movementId: number,
  version: number,
  mark: StatusMark,
  actor: Actor,
): Promise<number> {
  const found = await findMovement(tx, movementId);
  if (!found) throw notFound('Movement');
  const m = found.movement;
  const offers = statusOffers(m.status);
  if (!offers[mark.status]) throw validationError({ mark: 'movement.transition_not_allowed' });
  const values =
    mark.status === 'arrived'
      ? { status: 'arrived' as const, arrivedAt: mark.at }
      : { status: 'departed' as const, departedAt: mark.at };
  if (mark.status === 'arrived' && mark.at && m.departedAt && mark.at < m.departedAt)
    throw validationError({ mark_at: 'movement.arrival_before_departure' });
  const row = await updateMovement(tx, movementId, version, { ...values, updatedBy: actor.id });
  if (!row) throw validationError({ version: 'ws.reload_form' });
  await appendAudit(tx, {
    actorId: actor.id,
    actorLabel: actor.label,
    entity: 'movement',
    entityId: movementId,
    action: 'status',
    before: { status: m.status },
    after: { status: values.status, ...(mark.at ? { at: mark.at.toISOString() } : {}) },
  });
  await notifyChange(tx, { operationId: found.operationId, kind: 'movement' });
  return row.version;
}
