// Use cases for operations and their settings (admin). Closing an operation stamps
// closedAt from the injected clock: it starts the retention period (domain/retention.ts).
import { validationError } from '../../errors.ts';
import type { LocalizedText } from '../../../db/schema.ts';
import type { Lang } from '../../i18n/languages.ts';
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
  /** The language staff write in (forms show it first and require it; the public fallback); absent: unchanged. */
  workingLanguage?: Lang;
};

async function checkOperation(
  tx: Db,
  input: OperationInput,
  exceptId?: number,
  current?: { workingLanguage: Lang },
) {
  const errors: Record<string, string> = {};
  if (
    exceptId !== undefined &&
    current &&
    input.workingLanguage &&
    current.workingLanguage !== input.workingLanguage
  )
    if (!(await labelsIn(tx, exceptId, input.workingLanguage)))
      errors.workingLanguage = 'field.working_language_untranslated';
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
      await checkOperation(tx, input.fields, current.id, current);
      const closedAt = input.fields.status === 'closed' ? (current.closedAt ?? deps.now) : null;
      return {
        ...input.fields,
        workingLanguage: input.fields.workingLanguage ?? current.workingLanguage,
        closedAt,
      };
    },
    apply: async (tx, current, values) => {
      const row = await repo.updateOperation(tx, current.id, input.expectedVersion, values);
      if (row && current.workingLanguage !== values.workingLanguage)
        await rekeyLabels(tx, current.id, values.workingLanguage);
      return row;
    },
    notify: (tx, current) => notifyChange(tx, { operationId: current.id, kind: 'operation' }),
  });
}

/**
 * A movement's label in the working language is its key (staff pages, the staff CSV, the
 * per-route uniqueness): switching languages needs every movement labelled in the new
 * one, each distinct within its route.
 */
async function labelsIn(tx: Db, operationId: number, lang: Lang): Promise<boolean> {
  const rows = await repo.movementLabelsOfOperation(tx, operationId);
  const seen = new Set<string>();
  for (const m of rows) {
    const label = m.labels[lang]?.trim();
    if (!label || seen.has(`${m.routeId} ${label}`)) return false;
    seen.add(`${m.routeId} ${label}`);
  }
  return true;
}

/** Re-key every movement by its label in the new working language (checked by labelsIn). */
async function rekeyLabels(tx: Db, operationId: number, lang: Lang) {
  const rows = await repo.movementLabelsOfOperation(tx, operationId);
  // Two passes so that two movements trading labels never meet in the unique index.
  for (const m of rows) await repo.setMovementLabelKey(tx, m.id, `~rekey~${m.id}`);
  for (const m of rows) await repo.setMovementLabelKey(tx, m.id, m.labels[lang]!.trim());
}
