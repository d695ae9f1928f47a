// Use cases for pinned notices (officer): a text per language, pinned or not, with
// an optional expiry typed as wall-clock time in the operation's zone.
import { validationError } from '../../errors.ts';
import type { LocalizedText } from '../../../db/schema.ts';
import { notifyChange } from '../../store/notify.ts';
import * as repo from '../../store/repositories/workspace.ts';
import { type Actor, type StaffDeps, localToInstant } from './common.ts';
import { type Saved, auditCreated, editVersioned } from './edit-versioned.ts';

export type NoticeInput = {
  bodies: LocalizedText;
  pinned: boolean;
  /** The report the notice states a fact from (cited on the page), or null for the desk's own. */
  sourceId: number | null;
  /** Wall-clock in the operation's zone, or null for "until unpinned". */
  expiresAt: string | null;
};

export async function createNotice(
  deps: StaffDeps & { now: Date },
  input: { operationId: number; fields: NoticeInput; actor: Actor },
) {
  return deps.db.transaction(async (tx) => {
    const operation = await repo.findOperation(tx, input.operationId);
    if (!operation) throw validationError({ operationId: 'field.unknown_id' });
    const expiresAt = localToInstant(input.fields.expiresAt, operation.timeZone, 'expiresAt');
    if (expiresAt && expiresAt <= deps.now) throw validationError({ expiresAt: 'field.in_past' });
    await checkSource(tx, input.fields.sourceId);
    const values = {
      bodies: input.fields.bodies,
      pinned: input.fields.pinned,
      sourceId: input.fields.sourceId,
      expiresAt,
    };
    const row = await repo.insertNotice(tx, {
      ...values,
      operationId: operation.id,
      publishedAt: deps.now,
      createdBy: input.actor.id,
    });
    await auditCreated(tx, input.actor, 'notice', row.id, values);
    await notifyChange(tx, { operationId: operation.id, kind: 'notice' });
    return { id: row.id };
  });
}

export async function editNotice(
  deps: StaffDeps,
  input: { noticeId: number; expectedVersion: number; fields: NoticeInput; actor: Actor },
): Promise<Saved> {
  return editVersioned(deps, {
    expectedVersion: input.expectedVersion,
    actor: input.actor,
    audit: { entity: 'notice', what: 'Notice' },
    find: (tx) => repo.findNotice(tx, input.noticeId),
    check: async (tx, current) => {
      const operation = (await repo.findOperation(tx, current.operationId))!;
      const expiresAt = localToInstant(input.fields.expiresAt, operation.timeZone, 'expiresAt');
      await checkSource(tx, input.fields.sourceId);
      return {
        bodies: input.fields.bodies,
        pinned: input.fields.pinned,
        sourceId: input.fields.sourceId,
        expiresAt,
      };
    },
    apply: (tx, current, values) => repo.updateNotice(tx, current.id, input.expectedVersion, values),
    notify: (tx, current) => notifyChange(tx, { operationId: current.operationId, kind: 'notice' }),
  });
}

async function checkSource(tx: Parameters<typeof repo.findSource>[0], sourceId: number | null) {
  if (sourceId !== null && !(await repo.findSource(tx, sourceId)))
    throw validationError({ sourceId: 'field.unknown_id' });
}
