// The movement label per language in the staff CSV (label_kk, label_ru, label_en):
// exported beside the figures so that a spreadsheet can carry translations, and read
// back on import. The rules (docs/csv-format.md):
// - the label in the operation's working language is the movement's key (`movement`):
//   the file may repeat it but not change it (rename on the movement's form);
// - a non-blank cell in another language sets that translation; a blank cell leaves
//   it as it is (a file without the columns, or an older export, never erases one);
// - a translation changed in a row whose `version` is older than the movement's is
//   refused (someone may have translated it since): export again.
// A file with only the single `movement` column imports exactly as before.
import { type Lang, LANGUAGES, type Localized } from '../../i18n/languages.ts';
import { appendAudit } from '../../store/repositories/audit.ts';
import { updateMovement } from '../../store/repositories/workspace.ts';
import { notifyChange } from '../../store/notify.ts';
import type { Db } from '../../store/database.ts';
import { conflict } from '../../errors.ts';
import type { Actor } from '../staff/common.ts';
import { type CsvError, labelColumn } from './format.ts';
import { byCodeUnits } from '../../compare.ts';

/** The movement form's limit (src/routes/staff/movements.ts). */
export const LABEL_MAX = 200;

export type LabelChange = { lang: Lang; from: string; to: string };

type Target = { label: string; labels: Localized; version: number };

/** A movement's labels as exported: the working language's is its key, `label`, when not stored per language. */
export function labelsOf(target: Pick<Target, 'label' | 'labels'>, workingLanguage: Lang): Localized {
  return target.labels[workingLanguage]?.trim()
    ? target.labels
    : { ...target.labels, [workingLanguage]: target.label };
}

/** The translations a row changes, and its errors (each naming its column). */
export function planLabels(
  cells: Record<string, string>,
  target: Target,
  fileVersion: number,
  workingLanguage: Lang,
): { changes: LabelChange[]; errors: Omit<CsvError, 'row'>[] } {
  const now = labelsOf(target, workingLanguage);
  const changes: LabelChange[] = [];
  const errors: Omit<CsvError, 'row'>[] = [];
  for (const lang of LANGUAGES) {
    const column = labelColumn(lang);
    const typed = (cells[column] ?? '').trim();
    const current = now[lang] ?? '';
    if (!typed || typed === current) continue;
    if (typed.length > LABEL_MAX)
      errors.push({ column, message: 'csv.label_too_long', vars: { max: LABEL_MAX } });
    else if (lang === workingLanguage) errors.push({ column, message: 'csv.label_is_key' });
    else if (fileVersion < target.version) errors.push({ column, message: 'csv.label_stale' });
    else changes.push({ lang, from: current, to: typed });
  }
  return { changes, errors };
}

/**
 * Write a row's translations inside the apply's chunk transaction, at the version the
 * movement has after its figures (if any) were written; audited as a movement edit.
 */
export async function applyLabels(
  tx: Db,
  input: { movementId: number; version: number; operationId: number; changes: LabelChange[]; actor: Actor },
  current: Localized,
) {
  const labels: Record<string, string> = { ...current };
  for (const c of input.changes) labels[c.lang] = c.to;
  const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => byCodeUnits(a, b)));
  const row = await updateMovement(tx, input.movementId, input.version, {
    labels: sorted,
    updatedBy: input.actor.id,
  });
  if (!row)
    throw conflict('Someone else changed this movement since the dry run.', {
      currentVersion: input.version,
    });
  await appendAudit(tx, {
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    entity: 'movement',
    entityId: input.movementId,
    action: 'edit',
    before: { labels: current },
    after: { labels: sorted },
  });
  await notifyChange(tx, { operationId: input.operationId, kind: 'movement' });
  return row.version;
}
