// CSV export in the import's format: exporting and importing the result changes nothing.
// Written as it is read: the movements' list first (a few fields each), then their figures
// a batch at a time, so an export holds one batch of rows, not the operation's (issue 20).
import type { Db } from '../../store/database.ts';
import { type CountsRow, countsForMovements, rowToCounts } from '../../store/repositories/counts.ts';
import { csvTargets, sourceSlugsById } from '../../store/repositories/csv.ts';
import { findOperation } from '../../store/repositories/workspace.ts';
import { notFound } from '../../errors.ts';
import { FIGURE_COLUMNS, csvHeader, csvLines, labelColumn, protectCell } from './format.ts';
import { labelsOf } from './labels.ts';
import { type Lang, LANGUAGES } from '../../i18n/languages.ts';

/** Movements whose figures are read, and written, at a time. */
const BATCH_SIZE = 200;

type Target = Awaited<ReturnType<typeof csvTargets>>[number];
type Operation = { slug: string; workingLanguage: Lang };

/** One movement's row: its ids, labels in every language and figures, cells protected. */
function rowOf(op: Operation, t: Target, row: CountsRow | undefined, source: string): Record<string, string> {
  const figures = rowToCounts(row);
  const cells: Record<string, string> = {
    operation: op.slug,
    route: protectCell(t.routeSlug),
    movement: protectCell(t.label),
    movement_id: String(t.id),
    version: String(t.version),
    source,
    reason: '',
  };
  const labels = labelsOf(t, op.workingLanguage);
  for (const lang of LANGUAGES) cells[labelColumn(lang)] = protectCell(labels[lang] ?? '');
  for (const { stage, field, name } of FIGURE_COLUMNS) {
    const v = figures[stage][field];
    cells[name] = v === null ? '' : String(v);
  }
  return cells;
}

/** The file's name and its text in pieces: the header, then one piece per batch of movements. */
export async function exportCsvChunks(
  db: Db,
  operationId: number,
  batchSize = BATCH_SIZE,
): Promise<{ filename: string; chunks: AsyncGenerator<string> }> {
  const operation = await findOperation(db, operationId);
  if (!operation) throw notFound('Operation');
  const targets = await csvTargets(db, operationId);
  async function* chunks(op: Operation): AsyncGenerator<string> {
    yield csvHeader();
    for (let i = 0; i < targets.length; i += batchSize) {
      const batch = targets.slice(i, i + batchSize);
      const counts = await countsForMovements(
        db,
        batch.map((t) => t.id),
      );
      const sourceIds = [...counts.values()].map((c) => c.sourceId).filter((id): id is number => id !== null);
      const sourceSlugs = await sourceSlugsById(db, sourceIds);
      yield csvLines(
        batch.map((t) => {
          const row = counts.get(t.id);
          return rowOf(op, t, row, row?.sourceId ? (sourceSlugs.get(row.sourceId) ?? '') : '');
        }),
      );
    }
  }
  return { filename: `${operation.slug}-figures.csv`, chunks: chunks(operation) };
}

/** The whole file as one text (tests, benchmarks): the chunks joined. */
export async function exportCsv(db: Db, operationId: number): Promise<{ filename: string; content: string }> {
  const { filename, chunks } = await exportCsvChunks(db, operationId);
  let content = '';
  for await (const chunk of chunks) content += chunk;
  return { filename, content };
}
