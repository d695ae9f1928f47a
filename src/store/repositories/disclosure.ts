// The disclosure ledger in PostgreSQL: the public states published (the live page's
// latest version, each as-of day's end) and every exact value any of them printed,
// shared by every process (docs/privacy.md, "Across processes").
//
// Correct under concurrency by serialising publications per operation: a state is
// audited against the rows read at version V (the sum of the operation's `seq`, which
// every write raises), and recorded in a transaction that holds the operation's
// advisory lock and finds the version still V; else nothing is written and the caller
// audits again against what was recorded meanwhile. Printed values are a set (rows are
// only added), so a process that restarts, or lags, reads what it missed by id.
import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';

/** The advisory-lock namespace of publications (first key of pg_advisory_xact_lock(int, int)). */
const LOCK_SPACE = 14_014;

export type ReleaseRow = { operationId: number; point: string; seq: number };

/** Every point recorded for these operations, without the releases themselves. */
export async function listReleasePoints(database: Database, operationIds: number[]): Promise<ReleaseRow[]> {
  if (operationIds.length === 0) return [];
  const rows = await database.rows<{ operation_id: number; point: string; seq: number }>(sql`
    SELECT operation_id, point, seq FROM disclosure_releases
    WHERE operation_id IN (${sql.join(
      operationIds.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  return rows.map((r) => ({ operationId: Number(r.operation_id), point: r.point, seq: Number(r.seq) }));
}

/** The release texts of these points. */
export async function readReleaseTexts(
  database: Database,
  operationId: number,
  points: string[],
): Promise<Map<string, { seq: number; text: string }>> {
  const out = new Map<string, { seq: number; text: string }>();
  if (points.length === 0) return out;
  const rows = await database.rows<{ point: string; seq: number; release: string }>(sql`
    SELECT point, seq, release FROM disclosure_releases
    WHERE operation_id = ${operationId} AND point IN (${sql.join(
      points.map((p) => sql`${p}`),
      sql`, `,
    )})`);
  for (const r of rows) out.set(r.point, { seq: Number(r.seq), text: r.release });
  return out;
}

export type PrintedRow = { id: number; operationId: number; cell: string; value: number };

/** Printed values recorded after `afterId` (every operation), in id order. */
export async function readPrintedSince(database: Database, afterId: number): Promise<PrintedRow[]> {
  const rows = await database.rows<{
    id: number | string;
    operation_id: number;
    cell: string;
    value: number;
  }>(sql`SELECT id, operation_id, cell, value FROM disclosure_printed WHERE id > ${afterId} ORDER BY id`);
  return rows.map((r) => ({
    id: Number(r.id),
    operationId: Number(r.operation_id),
    cell: r.cell,
    value: Number(r.value),
  }));
}

export type Publication = {
  operationId: number;
  /** The operation's version the new states were audited at. */
  version: number;
  releases: { point: string; text: string }[];
  printed: { cell: string; value: number }[];
};

/** Records new states if the operation's version is still the one they were audited at. */
export async function recordPublication(
  database: Database,
  p: Publication,
): Promise<{ outcome: 'recorded'; seqs: Map<string, number> } | { outcome: 'stale' }> {
  return database.db.transaction(async (tx) => {
    await database.rows(sql`SELECT pg_advisory_xact_lock(${LOCK_SPACE}, ${p.operationId})`, tx);
    const [row] = await database.rows<{ version: number | string }>(
      sql`SELECT coalesce(sum(seq), 0) AS version FROM disclosure_releases WHERE operation_id = ${p.operationId}`,
      tx,
    );
    if (Number(row!.version) !== p.version) return { outcome: 'stale' as const };
    const seqs = new Map<string, number>();
    for (const r of p.releases) {
      const [written] = await database.rows<{ seq: number }>(
        sql`INSERT INTO disclosure_releases (operation_id, point, seq, release)
            VALUES (${p.operationId}, ${r.point}, 1, ${r.text})
            ON CONFLICT (operation_id, point) DO UPDATE
              SET seq = disclosure_releases.seq + 1, release = excluded.release, recorded_at = now()
            RETURNING seq`,
        tx,
      );
      seqs.set(r.point, Number(written!.seq));
    }
    // In slices: one statement per few thousand values (a large operation's first state).
    for (let i = 0; i < p.printed.length; i += 2_000) {
      const slice = p.printed.slice(i, i + 2_000);
      await database.rows(
        sql`INSERT INTO disclosure_printed (operation_id, cell, value) VALUES ${sql.join(
          slice.map((v) => sql`(${p.operationId}, ${v.cell}, ${v.value})`),
          sql`, `,
        )} ON CONFLICT DO NOTHING RETURNING id`,
        tx,
      );
    }
    return { outcome: 'recorded' as const, seqs };
  });
}
