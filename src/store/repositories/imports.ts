// Uploaded CSV files: stored when checked, so any process can apply them later.
import { and, desc, eq, or, sql } from 'drizzle-orm';
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

// ── Applying in chunks (src/domain/csv/apply.ts) ──────────────────────────────
// The import row is the lock: status 'applying' with a lease (token + until, in
// `result`) that each chunk renews in its own transaction, together with the
// cursor of rows written. A process that dies leaves the lease to expire; the
// next Apply resumes at the cursor. Times come from the database (`now()`).

export type ApplyProgressState = { cursor: number; changed: number };
export const APPLY_LEASE_SECONDS = 60;

/** Where an apply stands, as stored in the import's `result` (absent before the first chunk). */
export function applyProgressOf(result: unknown): ApplyProgressState {
  const progress = (result as { progress?: ApplyProgressState } | null)?.progress;
  return { cursor: progress?.cursor ?? 0, changed: progress?.changed ?? 0 };
}

/** Takes the import-level lock: a checked file, or an interrupted apply whose lease ran out. */
export async function claimImport(db: Db, id: number, token: string, appliedBy: number | null) {
  const [row] = await db
    .update(csvImports)
    .set({
      status: 'applying',
      appliedBy,
      result: sql`jsonb_set(coalesce(${csvImports.result}, '{}'::jsonb), '{lease}',
        jsonb_build_object('token', ${token}::text, 'until', now() + make_interval(secs => ${APPLY_LEASE_SECONDS})))`,
    })
    .where(
      and(
        eq(csvImports.id, id),
        or(
          eq(csvImports.status, 'checked'),
          and(
            eq(csvImports.status, 'applying'),
            sql`(${csvImports.result}->'lease'->>'until')::timestamptz < now()`,
          ),
        ),
      ),
    )
    .returning();
  return row;
}

/** Inside a chunk's transaction, first: records the cursor it will reach and renews the lease; false = lock lost. */
export async function advanceImport(db: Db, id: number, token: string, progress: ApplyProgressState) {
  const rows = await db
    .update(csvImports)
    .set({
      result: sql`jsonb_set(jsonb_set(${csvImports.result}, '{progress}', ${JSON.stringify(progress)}::jsonb),
        '{lease,until}', to_jsonb(now() + make_interval(secs => ${APPLY_LEASE_SECONDS})))`,
    })
    .where(ownedBy(id, token))
    .returning({ id: csvImports.id });
  return rows.length > 0;
}

/** Ends an apply: 'applied' (every row written) or 'partial' (stopped, rows before the cursor written). */
export async function finishImport(
  db: Db,
  id: number,
  token: string,
  status: 'applied' | 'partial',
  result: Record<string, unknown>,
) {
  const rows = await db
    .update(csvImports)
    .set({ status, appliedAt: sql`now()`, result })
    .where(ownedBy(id, token))
    .returning({ id: csvImports.id });
  return rows.length > 0;
}

/** Lets the lease go at once after a failure, so that Apply can resume without waiting. */
export async function releaseImport(db: Db, id: number, token: string) {
  await db
    .update(csvImports)
    .set({
      result: sql`jsonb_set(${csvImports.result}, '{lease,until}', to_jsonb(now() - interval '1 second'))`,
    })
    .where(ownedBy(id, token));
}

function ownedBy(id: number, token: string) {
  return and(
    eq(csvImports.id, id),
    eq(csvImports.status, 'applying'),
    sql`${csvImports.result}->'lease'->>'token' = ${token}::text`,
  );
}
