// Use cases for operations and their settings (admin). Closing an operation stamps
// closedAt from the injected clock: it starts the retention period (domain/retention.ts).
import { validationError } from '../../errors.ts';
import type { LocalizedText } from '../../../db/schema.ts';
import type { Db } from '../../store/database.ts';
import { notifyChange } from '../../store/notify.ts';
import * as repo from '../../store/repositories/workspace.ts';
import type { OperationStatus } from '../vocabulary.ts';
import { type Actor, type StaffDeps, isTimeZone } from './common.ts';
import { type Saved, auditCreated, editVersioned } from './edit-versioned.ts';

export type OperationInput = {
  slug: string;
  names: LocalizedText;
  timeZone: string;
  isPublic: boolean;
  status: OperationStatus;
  staleAfterHours: number;
  smallCountThreshold: number;
  publicationDelayMinutes: number;
  digestTime: string;
};

async function checkOperation(tx: Db, input: OperationInput, exceptId?: number) {
  const errors: Record<string, string> = {};
  if (!isTimeZone(input.timeZone)) errors.timeZone = 'field.time_zone';
  if (await repo.slugTaken(tx, 'operations', input.slug, exceptId)) errors.slug = 'field.taken';
  if (Object.keys(errors).length) throw validationError(errors);
}

export async function createOperation(deps: StaffDeps, input: { fields: OperationInput; actor: Actor }) {
  return deps.db.transaction(async (tx) => {
    await checkOperation(tx, input.fields);
    const row = await repo.insertOperation(tx, input.fields);
    await auditCreated(tx, input.actor, 'operation', row.id, input.fields);
    await notifyChange(tx, { operationId: row.id, kind: 'operation' });
    return { id: row.id };
  });
}

export async function editOperation(
  deps: StaffDeps & { now: Date },
  input: { operationId: number; expectedVersion: number; fields: OperationInput; actor: Actor },
): Promise<Saved> {
  return editVersioned(deps, {
    expectedVersion: input.expectedVersion,
    actor: input.actor,
    audit: { entity: 'operation', what: 'Operation' },
    find: (tx) => repo.findOperation(tx, input.operationId),
    check: async (tx, current) => {
      await checkOperation(tx, input.fields, current.id);
      const closedAt = input.fields.status === 'closed' ? (current.closedAt ?? deps.now) : null;
      return { ...input.fields, closedAt };
    },
    apply: (tx, current, values) => repo.updateOperation(tx, current.id, input.expectedVersion, values),
    notify: (tx, current) => notifyChange(tx, { operationId: current.id, kind: 'operation' }),
  });
}
