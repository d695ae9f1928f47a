// CSV export in the import's format: exporting and importing the result changes nothing.
import type { Db } from '../../store/database.ts';
import { countsForMovements, rowToCounts } from '../../store/repositories/counts.ts';
import { csvTargets, sourceSlugsById } from '../../store/repositories/csv.ts';
import { findOperation } from '../../store/repositories/workspace.ts';
import { notFound } from '../../errors.ts';
import { FIGURE_COLUMNS, labelColumn, protectCell, serializeCsv } from './format.ts';
import { labelsOf } from './labels.ts';
import { LANGUAGES } from '../../i18n/languages.ts';

export async function exportCsv(db: Db, operationId: number): Promise<{ filename: string; content: string }> {
  const operation = await findOperation(db, operationId);
  if (!operation) throw notFound('Operation');
  const targets = await csvTargets(db, operationId);
  const counts = await countsForMovements(
    db,
    targets.map((t) => t.id),
  );
  const sourceSlugs = await sourceSlugsById(
    db,
    [...counts.values()].map((c) => c.sourceId).filter((id): id is number => id !== null),
  );
  const rows = targets.map((t) => {
    const row = counts.get(t.id);
    const figures = rowToCounts(row);
    const cells: Record<string, string> = {
      operation: operation.slug,
      route: protectCell(t.routeSlug),
      movement: protectCell(t.label),
      movement_id: String(t.id),
      version: String(t.version),
      source: row?.sourceId ? (sourceSlugs.get(row.sourceId) ?? '') : '',
      reason: '',
    };
    const labels = labelsOf(t, operation.workingLanguage);
    for (const lang of LANGUAGES) cells[labelColumn(lang)] = protectCell(labels[lang] ?? '');
    for (const { stage, field, name } of FIGURE_COLUMNS) {
      const v = figures[stage][field];
      cells[name] = v === null ? '' : String(v);
    }
    return cells;
  });
  return { filename: `${operation.slug}-figures.csv`, content: serializeCsv(rows) };
}
