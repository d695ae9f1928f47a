// Digest runs and deliveries. The send-once guarantees live in these statements:
// a run is one row per (operation, day) — the unique key decides who claims it;
// a delivery is one row per (run, subscriber), claimed under a row lock and a lease.
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { digestRuns } from '../../../db/schema.ts';
import type { Database, Db } from '../database.ts';

export type DigestRunRow = typeof digestRuns.$inferSelect;

export async function findRun(db: Db, operationId: number, day: string) {
  const [row] = await db
    .select()
    .from(digestRuns)
    .where(and(eq(digestRuns.operationId, operationId), eq(digestRuns.day, day)));
  return row;
}

export async function findRunById(db: Db, id: number) {
  const [row] = await db.select().from(digestRuns).where(eq(digestRuns.id, id));
  return row;
}

/** The latest run before `day`: what the new one is compared with. */
export async function previousRun(db: Db, operationId: number, day: string) {
  const [row] = await db
    .select()
    .from(digestRuns)
    .where(and(eq(digestRuns.operationId, operationId), lt(digestRuns.day, day)))
    .orderBy(desc(digestRuns.day))
    .limit(1);
  return row;
}

/** Insert the run unless (operation, day) exists; undefined = someone else claimed it. */
export async function insertRunIfAbsent(
  db: Db,
  values: { operationId: number; day: string; snapshot: unknown; claimedBy: string; now: Date },
) {
  const [row] = await db
    .insert(digestRuns)
    .values({ ...values, createdAt: values.now })
    .onConflictDoNothing({ target: [digestRuns.operationId, digestRuns.day] })
    .returning();
  return row;
}

/** Runs still to drain: recent unfinished ones, and any with a resend asked for recently. */
export async function openRuns(db: Db, since: Date) {
  return db
    .select({ id: digestRuns.id, operationId: digestRuns.operationId, day: digestRuns.day })
    .from(digestRuns)
    .where(
      and(
        isNull(digestRuns.completedAt),
        or(
          gt(digestRuns.createdAt, since),
          sql`EXISTS (SELECT 1 FROM digest_deliveries d WHERE d.run_id = ${digestRuns.id} AND d.resent_at > ${since})`,
        ),
      ),
    )
    .orderBy(digestRuns.id);
}

/**
 * One delivery per active recipient, in a single statement (nothing is held in
 * memory). Each gets its Message-ID now (`prefix + subscriber id + suffix`), so
 * every attempt and any resend of it carries the same one.
 */
export async function enqueueDeliveries(
  database: Database,
  db: Db,
  input: { runId: number; operationId: number; now: Date; messageId: { prefix: string; suffix: string } },
) {
  const { runId, operationId, now, messageId } = input;
  const [row] = await database.rows<{ n: number | string }>(
    sql`WITH ins AS (
      INSERT INTO digest_deliveries
        (run_id, subscriber_id, email, language, audience, status, next_attempt_at, message_id)
      SELECT ${runId}, s.id, s.email, s.language, s.audience, 'queued', ${now},
        ${messageId.prefix} || s.id || ${messageId.suffix}
      FROM subscribers s JOIN operations o ON o.id = s.operation_id
      WHERE s.operation_id = ${operationId} AND s.status = 'active' AND (s.audience = 'staff' OR o.is_public)
      ON CONFLICT (run_id, subscriber_id) DO NOTHING
      RETURNING 1)
    SELECT count(*) AS n FROM ins`,
    db,
  );
  return Number(row?.n ?? 0);
}

export async function deliveryCounts(database: Database, runId: number): Promise<Record<string, number>> {
  const rows = await database.rows<{ status: string; n: number | string }>(
    sql`SELECT status, count(*) AS n FROM digest_deliveries WHERE run_id = ${runId} GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** When the next retry of a run is due (null when nothing is left to try). */
export async function nextAttemptAt(database: Database, runId: number): Promise<Date | null> {
  const [row] = await database.rows<{ at: Date | string | null }>(sql`
    SELECT min(next_attempt_at) AS at FROM digest_deliveries
    WHERE run_id = ${runId} AND status IN ('queued', 'failed')`);
  return row?.at ? new Date(row.at) : null;
}

export async function completeRunIfDone(database: Database, runId: number, now: Date) {
  const rows = await database.rows(sql`
    UPDATE digest_runs SET completed_at = ${now}
    WHERE id = ${runId} AND completed_at IS NULL AND NOT EXISTS (
      SELECT 1 FROM digest_deliveries WHERE run_id = ${runId} AND status IN ('queued', 'claimed', 'sending', 'failed'))
    RETURNING id`);
  return rows.length === 1;
}

/** Deliveries held by a live lease — claimed (not started) or sending — and until when. */
export async function leasedDeliveries(
  database: Database,
  runId: number,
  now: Date,
): Promise<{ claimed: number; sending: number; until: Date | null }> {
  const [row] = await database.rows<{
    claimed: number | string;
    sending: number | string;
    until: Date | string | null;
  }>(sql`
    SELECT count(*) FILTER (WHERE status = 'claimed') AS claimed, count(*) FILTER (WHERE status = 'sending') AS sending,
      max(locked_until) AS until
    FROM digest_deliveries
    WHERE run_id = ${runId} AND status IN ('claimed', 'sending') AND locked_until >= ${now}`);
  return {
    claimed: Number(row?.claimed ?? 0),
    sending: Number(row?.sending ?? 0),
    until: row?.until ? new Date(row.until) : null,
  };
}
