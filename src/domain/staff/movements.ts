// Use cases: create a movement and edit its details (status along the allowed
// transitions, dates, capacity, current leg, notes). One transaction each,
// with its audit record and the change signal.
import { systemClock } from '../../clock.ts';
import { validationError, notFound, conflict, type FieldErrors } from '../../errors.ts';
import { notifyChange } from '../../store/notify.ts';
import { appendAudit } from '../../store/repositories/audit.ts';
import { findMovement } from '../../store/repositories/movements.ts';
import { writeCounts } from '../../store/repositories/counts.ts';
import {
  findOperation,
  findRoute,
  insertMovement,
  legsOfRoute,
  movementLabelTaken,
  updateMovement,
} from '../../store/repositories/workspace.ts';
import type { Localized } from '../../../db/schema.ts';
import { MOVEMENT_KINDS, type MOVEMENT_STATUSES } from '../vocabulary.ts';
import { emptyCounts } from '../figures.ts';
import { canTransition } from '../movement-status.ts';
import { type Actor, type StaffDeps, changedFields, localToInstant } from './common.ts';

export { MOVEMENT_KINDS };
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** As typed on the form: times are wall-clock in the operation's zone ("2026-03-03T14:30"). */
export type MovementInput = {
  /** Per language; the operation's working language is required (it is the movement's key). */
  labels: Localized;
  kind: MovementKind;
  scheduledDate: string | null;
  scheduledDepartureAt: string | null;
  meetingPoint: string | null;
  departedAt: string | null;
  arrivedAt: string | null;
  status: (typeof MOVEMENT_STATUSES)[number];
  delayed: boolean;
  capacity: number | null;
  currentLegId: number | null;
  publicNotes: Localized;
  staffNote: string | null;
};

async function checkedValues(deps: StaffDeps, routeId: number, input: MovementInput, exceptId?: number) {
  const route = await findRoute(deps.db, routeId);
  if (!route) throw validationError({ routeId: 'field.unknown_id' });
  const operation = (await findOperation(deps.db, route.operationId))!;
  const errors: FieldErrors = {};
  const times: Record<string, Date | null> = {};
  for (const field of ['scheduledDepartureAt', 'departedAt', 'arrivedAt'] as const) {
    try {
      times[field] = localToInstant(input[field], operation.timeZone, field);
    } catch (err) {
      Object.assign(errors, (err as { fields?: FieldErrors }).fields);
    }
  }
  if (times.departedAt && times.arrivedAt && times.arrivedAt < times.departedAt)
    errors.arrivedAt = 'movement.arrival_before_departure';
  if (input.currentLegId !== null) {
    const routeLegs = await legsOfRoute(deps.db, routeId);
    if (!routeLegs.some((l) => l.id === input.currentLegId)) errors.currentLegId = 'field.unknown_id';
  }
  // The label in the working language is the movement's key; the others are translations.
  const labelField = `label_${operation.workingLanguage}`;
  const label = input.labels[operation.workingLanguage]?.trim() ?? '';
  if (!label) errors[labelField] = 'field.required';
  else if (await movementLabelTaken(deps.db, routeId, label, exceptId)) errors[labelField] = 'field.taken';
  if (Object.keys(errors).length) throw validationError(errors);
  return {
    operation,
    values: {
      label,
      labels: input.labels,
      kind: input.kind,
      scheduledDate: input.scheduledDate,
      scheduledDepartureAt: times.scheduledDepartureAt ?? null,
      meetingPoint: input.meetingPoint,
      departedAt: times.departedAt ?? null,
      arrivedAt: times.arrivedAt ?? null,
      status: input.status,
      delayed: input.delayed,
      capacity: input.capacity,
      currentLegId: input.currentLegId,
      publicNotes: input.publicNotes,
      staffNote: input.staffNote,
    },
  };
}

export async function createMovement(
  deps: StaffDeps,
  input: { routeId: number; fields: MovementInput; actor: Actor },
): Promise<{ id: number }> {
  return deps.db.transaction(async (tx) => {
    const { operation, values } = await checkedValues({ db: tx }, input.routeId, input.fields);
    const row = await insertMovement(tx, {
      ...values,
      ...(values.status === 'planned' ? {} : { statusAsOf: deps.now ?? systemClock.now() }),
      routeId: input.routeId,
      updatedBy: input.actor.id,
    });
    await writeCounts(tx, row.id, emptyCounts(), {
      sourceId: null,
      actorId: input.actor.id,
      at: deps.now ?? systemClock.now(),
    });
    await appendAudit(tx, {
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      entity: 'movement',
      entityId: row.id,
      action: 'create',
      after: values,
    });
    await notifyChange(tx, { operationId: operation.id, kind: 'movement' });
    return { id: row.id };
  });
}

export async function editMovement(
  deps: StaffDeps,
  input: { movementId: number; expectedVersion: number; fields: MovementInput; actor: Actor },
): Promise<{ version: number; changed: boolean }> {
  return deps.db.transaction(async (tx) => {
    const found = await findMovement(tx, input.movementId);
    if (!found) throw notFound('Movement');
    const current = found.movement;
    if (current.version !== input.expectedVersion) throw staleMovement(found);
    if (!canTransition(current.status, input.fields.status))
      throw validationError({ status: 'movement.transition_not_allowed' });
    const { operation, values } = await checkedValues({ db: tx }, current.routeId, input.fields, current.id);
    const diff = changedFields(current, values);
    if (!diff.changed) return { version: current.version, changed: false };
    const row = await updateMovement(tx, current.id, input.expectedVersion, {
      ...values,
      ...eventPrecision(diff.after, deps.now ?? systemClock.now()),
      updatedBy: input.actor.id,
    });
    if (!row) throw staleMovement(found);
    await appendAudit(tx, {
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      entity: 'movement',
      entityId: current.id,
      action: diff.after.status ? 'status' : 'edit',
      before: diff.before,
      after: diff.after,
    });
    await notifyChange(tx, { operationId: operation.id, kind: 'movement' });
    return { version: row.version, changed: true };
  });
}

/**
 * A departure or arrival time typed on the form is known to the minute; a new status
 * without one is true as of when it was recorded (docs/CONTEXT.md, "as of").
 */
function eventPrecision(changed: Record<string, unknown>, now: Date) {
  return {
    ...('departedAt' in changed ? { departedTimeKnown: true } : {}),
    ...('arrivedAt' in changed ? { arrivedTimeKnown: true } : {}),
    ...('status' in changed ? { statusAsOf: now } : {}),
    ...(changed.status === 'cancelled' ? { cancelledAt: now } : {}),
  };
}

function staleMovement(found: NonNullable<Awaited<ReturnType<typeof findMovement>>>) {
  return conflict('Someone else changed this movement since you loaded it.', {
    currentVersion: found.movement.version,
    updatedBy: found.updatedByName,
    updatedAt: found.movement.updatedAt,
  });
}
