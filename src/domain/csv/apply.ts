// CSV apply: a checked file is written in short transactions ("chunks") of a few
// rows each, behind an import-level lock held in the database (the import row:
// status 'applying' with a lease), so that on the embedded database — one
// session — the public page and other requests run between chunks instead of
// waiting for the whole file, and the streamed progress reports what is
// committed. Each chunk records its cursor in the same transaction as its rows:
// - a process killed mid-apply leaves the rows before the cursor written and
//   the import 'applying'; once its lease runs out, Apply resumes at the cursor;
// - a row whose movement someone changed since the dry run stops the apply:
//   the import becomes 'partial' (rows before it written, that row and the rest
//   not), and the file must be checked again (docs/csv-format.md).
import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../../clock.ts';
import { AppError, conflict } from '../../errors.ts';
import type { Metrics } from '../../metrics.ts';
import type { Db } from '../../store/database.ts';
import { appendAudit } from '../../store/repositories/audit.ts';
import {
  type ApplyProgressState,
  advanceImport,
  applyProgressOf,
  claimImport,
  finishImport,
  releaseImport,
} from '../../store/repositories/imports.ts';
import { updateMovementCountsInTx } from '../update-counts.ts';
import type { Actor } from '../staff/common.ts';
import { type PlannedRow, rowChanges, verifyImport } from './import.ts';
import { applyLabels } from './labels.ts';

/** Rows per transaction: small enough that a reader waits a few tens of milliseconds at most. */
export const APPLY_CHUNK_ROWS = 25;

export type ApplyProgress = (done: number, total: number) => void | Promise<void>;

export type ApplyInput = {
  importId: number;
  actor: Actor;
  onProgress?: ApplyProgress;
  /** Rows per transaction (tests and benchmarks); default APPLY_CHUNK_ROWS. */
  chunkRows?: number;
};

/** One row of the file, written inside its chunk's transaction at the version the dry run saw. */
async function applyRow(
  tx: Db,
  row: PlannedRow,
  checkedVersion: number,
  actor: Actor,
  stored: { asOf: Date | null; operationId: number },
  recordedAt: Date,
) {
  const { asOf } = stored;
  let version = checkedVersion;
  if (row.changes.length)
    ({ version } = await updateMovementCountsInTx(
      tx,
      {
        movementId: row.movementId,
        expectedVersion: checkedVersion,
        counts: row.counts,
        reason: row.reason,
        sourceId: row.sourceId,
        actor,
        // When the file's figures were true (the upload form's as-of); none = when applied.
        asOf: asOf ?? undefined,
      },
      recordedAt,
    ));
  // The label's translations, at the version the figures left (./labels.ts).
  if (row.labelChanges.length)
    await applyLabels(
      tx,
      {
        movementId: row.movementId,
        version,
        operationId: stored.operationId,
        changes: row.labelChanges,
        actor,
      },
      row.labels,
    );
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The stored import and its rows, as the apply holds them while it runs: not the file's text
 * (the rows were read from it), and the rows in an array of their own that the apply empties
 * as it writes them (a 3,000-row file's plan is about 3 MB of the server's heap).
 */
async function toApply(db: Db, importId: number) {
  const { stored, plan, checkedVersions } = await verifyImport(db, importId);
  const { id, filename, reason, asOf, operationId } = stored;
  return { stored: { id, filename, reason, asOf, operationId }, rows: plan.rows, checkedVersions };
}

/** Apply a checked (or interrupted) file chunk by chunk; see the header for what a failure leaves. */
export async function applyImport(
  deps: { db: Db; metrics: Metrics; clock?: Clock },
  input: ApplyInput,
): Promise<{ changed: number; unchanged: number }> {
  const { db, metrics } = deps;
  const chunkRows = Math.max(1, input.chunkRows ?? APPLY_CHUNK_ROWS);
  let token: string | undefined;
  try {
    const { stored, rows, checkedVersions } = await toApply(db, input.importId);
    token = randomUUID();
    const claimed = await claimImport(db, stored.id, token, input.actor.id);
    if (!claimed) throw conflict('This file is being applied, or was already applied.');
    const progress = applyProgressOf(claimed.result);
    const rowCount = rows.length;
    // The rows not written yet (an interrupted apply resumes at its cursor); each chunk is
    // taken out of it, so the rows written are not kept until the end.
    const pending = rows.splice(0).slice(progress.cursor);
    const total = progress.changed + pending.filter(rowChanges).length;
    while (pending.length > 0) {
      const chunk = pending.splice(0, chunkRows);
      const next = {
        cursor: progress.cursor + chunk.length,
        changed: progress.changed + chunk.filter(rowChanges).length,
      };
      try {
        await db.transaction(async (tx) => {
          if (!(await advanceImport(tx, stored.id, token!, next)))
            throw conflict('This file is being applied by another process.');
          for (const row of chunk)
            if (rowChanges(row))
              await applyRow(
                tx,
                row,
                checkedVersions[row.movementId] ?? row.version,
                input.actor,
                stored,
                (deps.clock ?? systemClock).now(),
              );
        });
      } catch (err) {
        if (err instanceof AppError && err.code === 'conflict' && err.details.currentVersion !== undefined)
          await stopPartial(db, stored, token, input.actor, progress, [...chunk, ...pending]);
        throw err;
      }
      metrics.countUpdates.inc({ outcome: 'accepted' }, next.changed - progress.changed);
      Object.assign(progress, next);
      await input.onProgress?.(progress.changed, total);
      await nextTurn();
    }
    const result = { changed: progress.changed, unchanged: rowCount - progress.changed };
    await db.transaction(async (tx) => {
      if (!(await finishImport(tx, stored.id, token!, 'applied', { ...result, versions: checkedVersions })))
        throw conflict('This file is being applied by another process.');
      await appendAudit(tx, {
        actorId: input.actor.id,
        actorLabel: input.actor.label,
        entity: 'csv_import',
        entityId: stored.id,
        action: 'apply',
        after: { ...result, filename: stored.filename },
        reason: stored.reason,
      });
    });
    return result;
  } catch (err) {
    const code = err instanceof AppError ? err.code : undefined;
    metrics.countUpdates.inc({
      outcome: code === 'conflict' ? 'conflict' : code === 'validation_failed' ? 'invalid' : 'failed',
    });
    // A database or disk failure leaves the import resumable at once (not after the lease).
    if (token && code !== 'conflict') await releaseImport(db, input.importId, token).catch(() => {});
    throw err;
  }
}

/** Someone changed a movement of this chunk since the dry run: keep what was written, say where it stopped. */
async function stopPartial(
  db: Db,
  stored: { id: number; filename: string; reason: string },
  token: string,
  actor: Actor,
  progress: ApplyProgressState,
  /** The rows not written: the chunk that failed first. */
  left: PlannedRow[],
) {
  const result = {
    changed: progress.changed,
    cursor: progress.cursor,
    stoppedAtRow: left[0]?.row ?? null,
    notApplied: left.filter(rowChanges).length,
  };
  await db.transaction(async (tx) => {
    if (!(await finishImport(tx, stored.id, token, 'partial', result))) return;
    await appendAudit(tx, {
      actorId: actor.id,
      actorLabel: actor.label,
      entity: 'csv_import',
      entityId: stored.id,
      action: 'apply_partial',
      after: { ...result, filename: stored.filename },
      reason: stored.reason,
    });
  });
}
