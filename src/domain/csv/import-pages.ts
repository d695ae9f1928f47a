// What the CSV pages read: the operation an upload goes to (with the sources to
// choose from) and a stored import with its dry-run plan. Routes call these,
// never the store.
import type { Db } from '../../store/database.ts';
import { findImport } from '../../store/repositories/imports.ts';
import { notFound } from '../../errors.ts';
import { loadOperationPage, loadSources } from '../staff/reads.ts';
import { planImport } from './import.ts';

export async function loadUploadPage(db: Db, operationId: number) {
  const { operation } = await loadOperationPage(db, operationId);
  return { operation, sources: await loadSources(db) };
}

export async function loadImportPage(db: Db, importId: number) {
  const stored = await findImport(db, importId);
  if (!stored) throw notFound('Import');
  const { operation } = await loadOperationPage(db, stored.operationId);
  const plan = await planImport(db, stored.operationId, stored.content, stored);
  const applied =
    stored.status === 'applied' ? (stored.result as { changed: number; unchanged: number }) : undefined;
  return { stored, operation, plan, applied };
}
export type ImportPage = Awaited<ReturnType<typeof loadImportPage>>;
export type UploadPage = Awaited<ReturnType<typeof loadUploadPage>>;

/** The stored import's file name and row count (for the streamed apply page). */
export async function loadImportSummary(db: Db, importId: number) {
  const stored = await findImport(db, importId);
  if (!stored) throw notFound('Import');
  return { filename: stored.filename, rowCount: stored.rowCount };
}
