// Uploaded CSV files: stored when checked, so any process can apply them later.
import { and, desc, eq } from 'drizzle-orm';
import { csvImports } from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export type CsvImportRow = typeof csvImports.$inferSelect;

export async function insertImport(db: Db, values: typeof csvImports.$inferInsert) {
  const [row] = await db.insert(csvImports).values(values).returning();
  return row!;
}

export async function findImport(db: Db, id: number) {
  const [row] = await db.select().from(csvImports).where(eq(csvImports.id, id));
  return row;
}

export async function recentImports(db: Db, limit = 20) {
  return db
    .select({
      id: csvImports.id,
      operationId: csvImports.operationId,
      filename: csvImports.filename,
      rowCount: csvImports.rowCount,
      status: csvImports.status,
      createdAt: csvImports.createdAt,
      appliedAt: csvImports.appliedAt,
    })
    .from(csvImports)
    .orderBy(desc(csvImports.id))
    .limit(limit);
}

/** Claims a checked import for applying; undefined when it was already applied. */
export async function markImportApplied(db: Db, id: number, appliedBy: number | null, result: unknown) {
  const [row] = await db
    .update(csvImports)
    .set({ status: 'applied', appliedAt: new Date(), appliedBy, result })
    .where(and(eq(csvImports.id, id), eq(csvImports.status, 'checked')))
    .returning({ id: csvImports.id });
  return row;
}
