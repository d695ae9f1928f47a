// CSV import: check a file against the current figures (the dry run, which
// stores the file). Any invalid row rejects the whole file with row-numbered
// errors; nothing is written. The apply, in chunks, is in ./apply.ts.
// Per cell, the same rule as the count editor (src/domain/count-merge.ts): a row
// carrying the exported `version` applies only the cells that differ from the
// figures at that version; a cell someone else changed since keeps their value
// unless the file changes it too, which is an error naming the cell, who and when.
import { systemClock } from '../../clock.ts';
import { AppError, type FieldErrors, conflict, notFound, validationError } from '../../errors.ts';
import { type SourceChoice, resolveSourceChoice } from '../staff/source-choice.ts';
import type { Db } from '../../store/database.ts';
import { figuresAtVersion } from '../../store/repositories/as-of.ts';
import { changeSetsAfterVersion, countsForMovements, rowToCounts } from '../../store/repositories/counts.ts';
import { mergeCounts, rewind } from '../count-merge.ts';
import { applyProgressOf, findImport, insertImport } from '../../store/repositories/imports.ts';
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
import { asOfError } from '../as-of-input.ts';
import { withoutControlCharacters } from '../input-rules.ts';
import type { Actor } from '../staff/common.ts';
import { type CsvError, FIGURE_COLUMNS, figureColumn, parseCsv } from './format.ts';
import { type LabelChange, labelsOf, planLabels } from './labels.ts';
import type { Localized } from '../../i18n/languages.ts';

export type PlannedRow = {
  row: number;
  movementId: number;
  routeSlug: string;
  label: string;
  version: number;
  /** What the file's cells are compared with: the figures at the file's version. */
  base: Counts;
  counts: Counts;
  changes: CountChange[];
  /** Translations of the label the row sets (./labels.ts), and the labels they apply to. */
  labelChanges: LabelChange[];
  labels: Localized;
  reason: string;
  sourceId: number;
};

/** The row writes something: figures, a translation of the label, or both. */
export const rowChanges = (r: PlannedRow) => r.changes.length > 0 || r.labelChanges.length > 0;

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
    const fileVersion = cells.version ? Number(cells.version) : target.version;
    if (!/^\d{1,9}$/.test(cells.version || '1') || fileVersion < 1 || fileVersion > target.version)
      fail('version', 'csv.version_invalid', { current: target.version });
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
    const now = rowToCounts(current.get(target.id));
    let base = now;
    let next = counts;
    if (figuresOk && fileVersion < target.version) {
      const rewound = rewind(
        now,
        await changeSetsAfterVersion(db, target.id, fileVersion),
        await figuresAtVersion(db, target.id, fileVersion),
      );
      base = rewound.base;
      const merged = mergeCounts(base, counts, now, rewound.authors);
      for (const c of merged.conflicts)
        fail(figureColumn(c.stage, c.field), 'csv.cell_conflict', {
          current: c.theirs === null ? '—' : c.theirs,
          who: c.by ?? '?',
        });
      next = merged.next;
      if (!merged.conflicts.length)
        for (const [key, message] of Object.entries(countErrors(next)))
          fail(FIGURE_COLUMNS.find((c) => `${c.stage}.${c.field}` === key)?.name, message);
    }
    const changes = diffCounts(now, next);
    const labels = planLabels(cells, target, fileVersion, operation.workingLanguage);
    for (const e of labels.errors) errors.push({ row: line, ...e });
    rows.push({
      row: line,
      movementId: target.id,
      routeSlug: target.routeSlug,
      label: target.label,
      version: target.version,
      base,
      counts: next,
      changes,
      labelChanges: labels.changes,
      labels: labelsOf(target, operation.workingLanguage),
      reason,
      sourceId: sourceId ?? 0,
    });
  }
  errors.sort((a, b) => a.row - b.row);
  const changed = rows.filter(rowChanges).length;
  return { rows, errors, changed, unchanged: rows.length - changed };
}

export type CheckInput = {
  operationId: number;
  filename: string;
  content: string;
  reason: string;
  /** The form's source, for rows whose `source` cell is blank; none is chosen by default. */
  source: SourceChoice;
  /** When the file's figures were true; null = when it is applied. */
  asOf?: Date | null;
  actor: Actor;
  now?: Date;
};

/** Stands for a desk or new source in the dry run before it is recorded (never stored). */
const CHOSEN_NOT_YET_RECORDED = 0;

/**
 * The dry run. A valid file is stored (with the versions it was checked
 * against) so that any app process can apply it; an invalid one is refused
 * with every error and nothing is stored.
 */
export async function checkImport(deps: { db: Db; now?: Date }, input: CheckInput) {
  const now = deps.now ?? input.now ?? systemClock.now();
  const choice = input.source;
  if (choice?.kind === 'existing' && !(await findSource(deps.db, choice.id)))
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
  const provisional =
    choice === null ? null : choice.kind === 'existing' ? choice.id : CHOSEN_NOT_YET_RECORDED;
  const plan = await planImport(deps.db, input.operationId, input.content, {
    reason: input.reason,
    sourceId: provisional,
  });
  if (plan.errors.length) {
    throw new AppError(
      'validation_failed',
      'The file has errors; nothing was imported.',
      {},
      { csvErrors: plan.errors, plan },
    );
  }
  const stored = await deps.db.transaction(async (tx) => {
    const errors: FieldErrors = {};
    const sourceId =
      choice === null
        ? null
        : await resolveSourceChoice(
            tx,
            { choice, operationId: input.operationId, actor: input.actor, now },
            errors,
          );
    if (Object.keys(errors).length) throw validationError(errors);
    return insertImport(tx, {
      operationId: input.operationId,
      // The browser's name for the file, not typed text: a control character is dropped, not refused.
      filename: withoutControlCharacters(input.filename).slice(0, 200) || 'upload.csv',
      content: input.content,
      rowCount: plan.rows.length,
      reason: input.reason.trim(),
      sourceId,
      asOf: input.asOf ?? null,
      createdBy: input.actor.id,
      result: { versions: Object.fromEntries(plan.rows.map((r) => [r.movementId, r.version])) },
    });
  });
  return { importId: stored.id, plan };
}

/** Why a stored file cannot be applied now, if anything: run before and inside the apply. */
export async function verifyImport(db: Db, importId: number) {
  const stored = await findImport(db, importId);
  if (!stored) throw notFound('Import');
  // 'applying': an apply in progress or interrupted; the claim (src/domain/csv/apply.ts) decides.
  if (stored.status !== 'checked' && stored.status !== 'applying')
    throw conflict('This file was already applied.');
  const checkedVersions = (stored.result as { versions?: Record<string, number> } | null)?.versions ?? {};
  const plan = await planImport(db, stored.operationId, stored.content, stored);
  // Rows an interrupted apply already wrote are no longer at the checked version: only the rest must be.
  const { cursor } = applyProgressOf(stored.result);
  const written = new Set(plan.rows.slice(0, cursor).map((r) => r.row));
  const errors = plan.errors.filter((e) => !written.has(e.row));
  if (errors.length)
    throw new AppError('validation_failed', 'The file no longer checks out.', {}, { csvErrors: errors });
  const moved = plan.rows.slice(cursor).filter((r) => checkedVersions[r.movementId] !== r.version);
  if (moved.length)
    throw conflict('Figures changed since the dry run; check the file again.', {
      rows: moved.map((r) => r.row),
    });
  return { stored, plan, checkedVersions };
}
