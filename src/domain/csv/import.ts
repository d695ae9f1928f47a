// CSV import: check a file against the current figures (the dry run, which
// stores the file), then apply it in ONE transaction. Any invalid row rejects
// the whole file with row-numbered errors; nothing is written.
import { systemClock } from '../../clock.ts';
import { AppError, conflict, notFound, validationError } from '../../errors.ts';
import type { Metrics } from '../../metrics.ts';
import type { Db } from '../../store/database.ts';
import { countsForMovements, rowToCounts } from '../../store/repositories/counts.ts';
import { findImport, insertImport, markImportApplied } from '../../store/repositories/imports.ts';
import { appendAudit } from '../../store/repositories/audit.ts';
import { findOperation, findSource } from '../../store/repositories/workspace.ts';
import { csvTargets, sourceIdsBySlug } from '../../store/repositories/csv.ts';
import {
  type CountChange,
  type Counts,
  countErrors,
  diffCounts,
  emptyCounts,
  parseFigure,
} from '../figures.ts';
import { updateMovementCountsInTx } from '../update-counts.ts';
import { asOfError } from '../as-of-input.ts';
import type { Actor } from '../staff/common.ts';
import { type CsvError, FIGURE_COLUMNS, parseCsv } from './format.ts';

export type PlannedRow = {
  row: number;
  movementId: number;
  routeSlug: string;
  label: string;
  version: number;
  counts: Counts;
  changes: CountChange[];
  reason: string;
  sourceId: number;
};

export type ImportPlan = { rows: PlannedRow[]; errors: CsvError[]; changed: number; unchanged: number };

type Defaults = { reason: string; sourceId: number | null };

/** What the file would change, row by row, against the figures as they are now. */
export async function planImport(
  db: Db,
  operationId: number,
  content: string,
  defaults: Defaults,
): Promise<ImportPlan> {
  const operation = await findOperation(db, operationId);
  if (!operation) throw notFound('Operation');
  const parsed = parseCsv(content);
  const errors: CsvError[] = [...parsed.errors];
  const targets = await csvTargets(db, operationId);
  const byId = new Map(targets.map((t) => [t.id, t]));
  const byKey = new Map(targets.map((t) => [`${t.routeSlug}\u0000${t.label}`, t]));
  const current = await countsForMovements(
    db,
    targets.map((t) => t.id),
  );
  const slugs = [...new Set(parsed.rows.map((r) => r.cells.source ?? '').filter(Boolean))];
  const sources = await sourceIdsBySlug(db, slugs);
  const seen = new Map<number, number>();
  const rows: PlannedRow[] = [];
  for (const { line, cells } of parsed.rows) {
    const fail = (column: string | undefined, message: string, vars?: CsvError['vars']) =>
      errors.push({ row: line, column, message, vars });
    if (cells.operation && cells.operation !== operation.slug) {
      fail('operation', 'csv.other_operation');
      continue;
    }
    let target;
    if (cells.movement_id) {
      target = /^\d+$/.test(cells.movement_id) ? byId.get(Number(cells.movement_id)) : undefined;
      if (!target) {
        fail('movement_id', 'csv.unknown_movement');
        continue;
      }
      if (
        (cells.route && cells.route !== target.routeSlug) ||
        (cells.movement && cells.movement !== target.label)
      ) {
        fail('movement', 'csv.key_mismatch');
        continue;
      }
    } else {
      target = byKey.get(`${cells.route ?? ''}\u0000${cells.movement ?? ''}`);
      if (!target) {
        fail('movement', 'csv.unknown_movement');
        continue;
      }
    }
    const earlier = seen.get(target.id);
    if (earlier !== undefined) {
      fail('movement', 'csv.duplicate_movement', { row: earlier });
      continue;
    }
    seen.set(target.id, line);
    if (cells.version && cells.version !== String(target.version))
      fail('version', 'csv.version_changed', { current: target.version });
    const counts = emptyCounts();
    let figuresOk = true;
    for (const { stage, field, name } of FIGURE_COLUMNS) {
      const parsedFigure = parseFigure(cells[name]);
      if ('error' in parsedFigure) {
        fail(name, parsedFigure.error);
        figuresOk = false;
      } else counts[stage][field] = parsedFigure.value;
    }
    if (figuresOk) {
      for (const [key, message] of Object.entries(countErrors(counts)))
        fail(FIGURE_COLUMNS.find((c) => `${c.stage}.${c.field}` === key)?.name, message);
    }
    const sourceId = cells.source ? sources.get(cells.source) : (defaults.sourceId ?? undefined);
    if (sourceId === undefined) fail('source', cells.source ? 'csv.unknown_source' : 'source.required');
    const reason = (cells.reason || defaults.reason).trim();
    if (!reason) fail('reason', 'reason.required');
    const changes = diffCounts(rowToCounts(current.get(target.id)), counts);
    rows.push({
      row: line,
      movementId: target.id,
      routeSlug: target.routeSlug,
      label: target.label,
      version: target.version,
      counts,
      changes,
      reason,
      sourceId: sourceId ?? 0,
    });
  }
  errors.sort((a, b) => a.row - b.row);
  const changed = rows.filter((r) => r.changes.length > 0).length;
  return { rows, errors, changed, unchanged: rows.length - changed };
}

export type CheckInput = {
  operationId: number;
  filename: string;
  content: string;
  reason: string;
  sourceId: number | null;
  /** When the file's figures were true; null = when it is applied. */
  asOf?: Date | null;
  actor: Actor;
};

/**
 * The dry run. A valid file is stored (with the versions it was checked
 * against) so that any app process can apply it; an invalid one is refused
 * with every error and nothing is stored.
 */
export async function checkImport(deps: { db: Db; now?: Date }, input: CheckInput) {
  const now = deps.now ?? systemClock.now();
  if (input.sourceId !== null && !(await findSource(deps.db, input.sourceId)))
    throw validationError({ source: 'field.unknown_id' });
  const operation = await findOperation(deps.db, input.operationId);
  if (!operation) throw notFound('Operation');
  const problem =
    input.asOf &&
    (await asOfError(deps.db, {
      operationId: operation.id,
      timeZone: operation.timeZone,
      asOf: input.asOf,
      now,
    }));
  if (problem) throw validationError({ as_of: problem });
  const plan = await planImport(deps.db, input.operationId, input.content, input);
  if (plan.errors.length) {
    throw new AppError(
      'validation_failed',
      'The file has errors; nothing was imported.',
      {},
      { csvErrors: plan.errors, plan },
    );
  }
  const stored = await insertImport(deps.db, {
    operationId: input.operationId,
    filename: input.filename.slice(0, 200) || 'upload.csv',
    content: input.content,
    rowCount: plan.rows.length,
    reason: input.reason.trim(),
    sourceId: input.sourceId,
    asOf: input.asOf ?? null,
    createdBy: input.actor.id,
    result: { versions: Object.fromEntries(plan.rows.map((r) => [r.movementId, r.version])) },
  });
  return { importId: stored.id, plan };
}

export type ApplyProgress = (done: number, total: number) => void | Promise<void>;

/** Why a stored file cannot be applied now, if anything: run before and inside the apply. */
export async function verifyImport(db: Db, importId: number) {
  const stored = await findImport(db, importId);
  if (!stored) throw notFound('Import');
  if (stored.status !== 'checked') throw conflict('This file was already applied.');
  const checkedVersions = (stored.result as { versions?: Record<string, number> } | null)?.versions ?? {};
  const plan = await planImport(db, stored.operationId, stored.content, stored);
  if (plan.errors.length)
    throw new AppError('validation_failed', 'The file no longer checks out.', {}, { csvErrors: plan.errors });
  const moved = plan.rows.filter((r) => checkedVersions[r.movementId] !== r.version);
  if (moved.length)
    throw conflict('Figures changed since the dry run; check the file again.', {
      rows: moved.map((r) => r.row),
    });
  return { stored, plan, checkedVersions };
}

/** Apply a checked file: every changed row in one transaction, or nothing at all. */
export async function applyImport(
  deps: { db: Db; metrics: Metrics },
  input: { importId: number; actor: Actor; onProgress?: ApplyProgress },
): Promise<{ changed: number; unchanged: number }> {
  try {
    const outcome = await deps.db.transaction(async (tx) => {
      const { stored, plan, checkedVersions } = await verifyImport(tx, input.importId);
      const todo = plan.rows.filter((r) => r.changes.length > 0);
      let done = 0;
      for (const row of todo) {
        await updateMovementCountsInTx(tx, {
          movementId: row.movementId,
          expectedVersion: row.version,
          counts: row.counts,
          reason: row.reason,
          sourceId: row.sourceId,
          actor: input.actor,
          asOf: stored.asOf ?? undefined,
        });
        done++;
        if (input.onProgress && (done % 50 === 0 || done === todo.length))
          await input.onProgress(done, todo.length);
      }
      const result = { changed: todo.length, unchanged: plan.rows.length - todo.length };
      if (!(await markImportApplied(tx, stored.id, input.actor.id, { ...result, versions: checkedVersions })))
        throw conflict('This file was already applied.');
      await appendAudit(tx, {
        actorId: input.actor.id,
        actorLabel: input.actor.label,
        entity: 'csv_import',
        entityId: stored.id,
        action: 'apply',
        after: { ...result, filename: stored.filename },
        reason: stored.reason,
      });
      return result;
    });
    deps.metrics.countUpdates.inc({ outcome: 'accepted' }, outcome.changed);
    return outcome;
  } catch (err) {
    const code = err instanceof AppError ? err.code : undefined;
    deps.metrics.countUpdates.inc({
      outcome: code === 'conflict' ? 'conflict' : code === 'validation_failed' ? 'invalid' : 'failed',
    });
    throw err;
  }
}
