// Use cases behind the count editor: save a stage × group grid with its reason
// and source, and undo one recorded change by writing a correcting record.
// Every outcome is counted in deps.metrics.countUpdates.
import { systemClock } from '../../clock.ts';
import { AppError, type FieldErrors, conflict, notFound, validationError } from '../../errors.ts';
import type { Metrics } from '../../metrics.ts';
import type { Db } from '../../store/database.ts';
import { findChangeSet, findCounts } from '../../store/repositories/counts.ts';
import { findMovement } from '../../store/repositories/movements.ts';
import { findOperation } from '../../store/repositories/workspace.ts';
import { asOfError } from '../as-of-input.ts';
import { type SourceChoice, resolveSourceChoice } from './source-choice.ts';
import { type StatusMark, markStatus } from './status-mark.ts';
import { type Counts, FIELDS, STAGES, countErrors, emptyCounts, fieldKey, parseFigure } from '../figures.ts';
import { type UpdateCountsResult, updateMovementCountsInTx } from '../update-counts.ts';
import type { Actor } from './common.ts';

export type CountDeps = { db: Db; metrics: Metrics; now?: Date };

/** Prefix of the hidden fields that carry the figures the form was loaded with. */
export const BASE_PREFIX = 'base.';

/**
 * The figures the form was loaded with (hidden `base.registered.total`, …), or
 * undefined when the form carries none (the save then reads them back from the
 * history at the form's version).
 */
export function baseFromForm(body: Record<string, unknown>): Counts | undefined {
  if (!Object.keys(body).some((k) => k.startsWith(BASE_PREFIX))) return undefined;
  const { counts, errors } = countsFromForm(body, BASE_PREFIX, false);
  if (Object.keys(errors).length) throw validationError({ version: 'ws.reload_form' });
  return counts;
}

/** Form fields `registered.total`, `departed.over60`, … → figures, with errors per field. */
export function countsFromForm(
  body: Record<string, unknown>,
  prefix = '',
  checkRules = true,
): { counts: Counts; errors: FieldErrors } {
  const counts = emptyCounts();
  const errors: FieldErrors = {};
  for (const stage of STAGES)
    for (const field of FIELDS) {
      const key = fieldKey(stage, field);
      const parsed = parseFigure(body[prefix + key]);
      if ('error' in parsed) errors[key] = parsed.error;
      else counts[stage][field] = parsed.value;
    }
  if (checkRules && Object.keys(errors).length === 0) Object.assign(errors, countErrors(counts));
  return { counts, errors };
}

function record(metrics: Metrics, outcome: string) {
  metrics.countUpdates.inc({ outcome });
}

async function measured(metrics: Metrics, run: () => Promise<UpdateCountsResult>) {
  try {
    const result = await run();
    record(metrics, result.changed ? 'accepted' : 'unchanged');
    return result;
  } catch (err) {
    const code = err instanceof AppError ? err.code : undefined;
    record(metrics, code === 'conflict' ? 'conflict' : code === 'validation_failed' ? 'invalid' : 'failed');
    throw err;
  }
}

export type SaveCountsInput = {
  movementId: number;
  expectedVersion: number;
  /** The raw form: figure fields as typed. */
  form: Record<string, unknown>;
  reason: string;
  source: SourceChoice;
  asOf: Date | null;
  /**
   * Offered on the same form when the figures run ahead of the status: mark the
   * movement departed or arrived, with its time (null = not reported). Never implied.
   */
  mark?: StatusMark | null;
  actor: Actor;
};

export async function saveCounts(deps: CountDeps, input: SaveCountsInput): Promise<UpdateCountsResult> {
  return measured(deps.metrics, async () => {
    const { counts, errors } = countsFromForm(input.form);
    if (!input.reason.trim()) errors.reason = 'reason.required';
    else if (input.reason.trim().length > 1000) errors.reason = 'reason.too_long';
    const now = deps.now ?? systemClock.now();
    if (input.source === null && !errors.source) errors.source = 'source.required';
    return deps.db.transaction(async (tx) => {
      const found = await findMovement(tx, input.movementId);
      if (!found) throw notFound('Movement');
      const operation = (await findOperation(tx, found.operationId))!;
      const asOf = input.asOf ?? now;
      // Blank is "now", always allowed; a typed moment is checked (as-of-input.ts).
      const asOfProblem =
        input.asOf &&
        (await asOfError(tx, { operationId: operation.id, timeZone: operation.timeZone, asOf, now }));
      if (asOfProblem) errors.as_of = asOfProblem;
      if (Object.keys(errors).length) throw validationError(errors, 'The figures are not valid.');
      const sourceId = await resolveSourceChoice(
        tx,
        { choice: input.source, operationId: found.operationId, actor: input.actor, now },
        errors,
      );
      if (Object.keys(errors).length) throw validationError(errors);
      const result = await updateMovementCountsInTx(
        tx,
        {
          movementId: input.movementId,
          expectedVersion: input.expectedVersion,
          counts,
          reason: input.reason,
          sourceId,
          actor: input.actor,
          asOf,
          merge: { base: baseFromForm(input.form) },
        },
        now,
      );
      if (!input.mark) return result;
      const version = await markStatus(tx, input.movementId, result.version, input.mark, input.actor);
      return { ...result, changed: true, version };
    });
  });
}

/**
 * Undo one change set: restore its old values with a new record. Refused when
 * a later change touched the same fields (undoing would silently drop it).
 */
export async function undoCountChange(
  deps: CountDeps,
  input: {
    movementId: number;
    changeSetId: number;
    expectedVersion: number;
    reason: string;
    actor: Actor;
  },
): Promise<UpdateCountsResult> {
  return measured(deps.metrics, () =>
    deps.db.transaction(async (tx) => {
      const set = await findChangeSet(tx, input.changeSetId);
      if (!set || set.movementId !== input.movementId) throw notFound('Change');
      const found = await findMovement(tx, input.movementId);
      if (!found) throw notFound('Movement');
      const current = await findCounts(tx, input.movementId);
      const touched = set.changes.filter((c) => current[c.stage][c.field] !== c.newValue);
      if (touched.length) {
        throw conflict('A later change touched the same figures; edit them in the count editor instead.', {
          currentVersion: found.movement.version,
          fields: touched.map((c) => fieldKey(c.stage, c.field)),
        });
      }
      const next = structuredClone(current);
      for (const c of set.changes) next[c.stage][c.field] = c.oldValue;
      const errors = countErrors(next);
      if (Object.keys(errors).length) throw validationError(errors, 'Undoing this would break a rule.');
      return updateMovementCountsInTx(
        tx,
        {
          movementId: input.movementId,
          expectedVersion: input.expectedVersion,
          counts: next,
          reason: input.reason.trim() || `Undo of change #${set.id}`,
          sourceId: set.sourceId,
          actor: input.actor,
          revertsId: set.id,
        },
        deps.now ?? systemClock.now(),
      );
    }),
  );
}
