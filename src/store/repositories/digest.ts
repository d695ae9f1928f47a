// Digest runs and deliveries. The send-once guarantees live in these statements:
// a run is one row per (operation, day) — the unique key decides who claims it;
// a delivery is one row per (run, subscriber), claimed under a row lock and a lease.
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
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

export async function openRuns(db: Db, createdAfter: Date) {
  return db
    .select({ id: digestRuns.id, operationId: digestRuns.operationId, day: digestRuns.day })
    .from(digestRuns)
    .where(and(isNull(digestRuns.completedAt), gt(digestRuns.createdAt, createdAfter)))
    .orderBy(digestRuns.id);
}

/** One delivery per active recipient, in a single statement (nothing is held in memory). */
export async function enqueueDeliveries(
  database: Database,
  db: Db,
  runId: number,
  operationId: number,
  now: Date,
) {
  const [row] = await database.rows<{ n: number | string }>(
    sql`WITH ins AS (
      INSERT INTO digest_deliveries (run_id, subscriber_id, email, language, audience, status, next_attempt_at)
      SELECT ${runId}, s.id, s.email, s.language, s.audience, 'queued', ${now}
      FROM subscribers s JOIN operations o ON o.id = s.operation_id
      WHERE s.operation_id = ${operationId} AND s.status = 'active' AND (s.audience = 'staff' OR o.is_public)
      ON CONFLICT (run_id, subscriber_id) DO NOTHING
      RETURNING 1)
    SELECT count(*) AS n FROM ins`,
    db,
  );
  return Number(row?.n ?? 0);
}

export type ClaimedDelivery = {
  id: number;
  subscriberId: number | null;
  email: string | null;
  language: string;
  audience: string;
  attempts: number;
  subscriberStatus: string | null;
  unsubscribeToken: string | null;
  allRoutes: boolean;
  routeIds: number[];
};

const intArray = (v: unknown): number[] =>
  Array.isArray(v)
    ? v.map(Number)
    : typeof v === 'string'
      ? v.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number)
      : [];

/**
 * Claim up to `limit` due deliveries of a run: row-locked (SKIP LOCKED, so
 * concurrent workers and processes take different rows), marked sending under
 * one lease token. The worker then sends them one by one in id order, so at any
 * moment at most one row of a lease is actually with the mail server — which is
 * what lets a crash be cleaned up precisely (see releaseExpiredLeases).
 * No ORDER BY in the lock: sorting every remaining row made each claim O(recipients).
 */
export async function claimDeliveries(
  database: Database,
  runId: number,
  now: Date,
  lease: { until: Date; token: string },
  limit: number,
): Promise<ClaimedDelivery[]> {
  const rows = await database.rows<Record<string, unknown>>(sql`
    UPDATE digest_deliveries d
    SET status = 'sending', attempts = d.attempts + 1, locked_until = ${lease.until}, lease_token = ${lease.token}
    FROM (
      SELECT id FROM digest_deliveries
      WHERE run_id = ${runId} AND status IN ('queued', 'failed') AND next_attempt_at <= ${now}
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED) c
    WHERE d.id = c.id
    RETURNING d.id, d.subscriber_id, d.email, d.language, d.audience, d.attempts,
      (SELECT s.status FROM subscribers s WHERE s.id = d.subscriber_id) AS subscriber_status,
      (SELECT s.unsubscribe_token FROM subscribers s WHERE s.id = d.subscriber_id) AS unsubscribe_token,
      (SELECT s.all_routes FROM subscribers s WHERE s.id = d.subscriber_id) AS all_routes,
      (SELECT array_agg(r.route_id ORDER BY r.route_id) FROM subscriber_routes r
        WHERE r.subscriber_id = d.subscriber_id) AS route_ids`);
  return rows
    .map((row) => ({
      id: Number(row.id),
      subscriberId: row.subscriber_id === null ? null : Number(row.subscriber_id),
      email: (row.email as string | null) ?? null,
      language: String(row.language),
      audience: String(row.audience),
      attempts: Number(row.attempts),
      subscriberStatus: (row.subscriber_status as string | null) ?? null,
      unsubscribeToken: (row.unsubscribe_token as string | null) ?? null,
      allRoutes: row.all_routes !== false,
      routeIds: intArray(row.route_ids),
    }))
    .sort((a, b) => a.id - b.id);
}

export async function claimNextDelivery(
  database: Database,
  runId: number,
  now: Date,
  lease: { until: Date; token: string },
): Promise<ClaimedDelivery | undefined> {
  return (await claimDeliveries(database, runId, now, lease, 1))[0];
}

/** Give back claimed rows this worker never started (stopping, or the server went away). */
export async function releaseDeliveries(database: Database, ids: number[], token: string) {
  if (ids.length === 0) return;
  await database.rows(sql`
    UPDATE digest_deliveries SET attempts = attempts - 1, locked_until = NULL, lease_token = NULL,
      status = CASE WHEN attempts - 1 > 0 THEN 'failed' ELSE 'queued' END
    WHERE id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}) AND lease_token = ${token} AND status = 'sending'
    RETURNING id`);
}

/**
 * Leases that ran out: their process died. In each lease, the lowest-id row still
 * sending was the one with the mail server — it may have been delivered, so it
 * becomes `uncertain` and is never resent (at most once); the rows after it were
 * never started and go back to the queue.
 */
export async function releaseExpiredLeases(database: Database, runId: number, now: Date) {
  const rows = await database.rows<{ status: string }>(sql`
    UPDATE digest_deliveries d SET
      status = CASE WHEN d.id = f.first_id THEN 'uncertain' WHEN d.attempts > 1 THEN 'failed' ELSE 'queued' END,
      attempts = CASE WHEN d.id = f.first_id THEN d.attempts ELSE d.attempts - 1 END,
      last_error = CASE WHEN d.id = f.first_id
        THEN 'the sending process stopped while the mail server had the message; not resent automatically'
        ELSE d.last_error END,
      locked_until = NULL
    FROM (
      SELECT lease_token, min(id) AS first_id FROM digest_deliveries
      WHERE run_id = ${runId} AND status = 'sending' AND locked_until < ${now}
      GROUP BY lease_token) f
    WHERE d.run_id = ${runId} AND d.status = 'sending' AND d.locked_until < ${now} AND d.lease_token = f.lease_token
    RETURNING d.status`);
  return rows.filter((r) => r.status === 'uncertain').length;
}

/** Record that the server accepted it — also over an 'uncertain' mark, since this worker knows. */
export async function markDeliverySent(
  database: Database,
  id: number,
  token: string,
  outcome: { messageId: string; now: Date },
) {
  const rows = await database.rows(sql`
    UPDATE digest_deliveries SET status = 'sent', sent_at = ${outcome.now}, message_id = ${outcome.messageId},
      locked_until = NULL, last_error = NULL
    WHERE id = ${id} AND lease_token = ${token} AND status IN ('sending', 'uncertain')
    RETURNING id`);
  return rows.length === 1;
}

/** Several accepted deliveries recorded in one statement; returns the ids it recorded. */
export async function markDeliveriesSent(
  database: Database,
  sent: { id: number; token: string; messageId: string }[],
  now: Date,
): Promise<Set<number>> {
  if (sent.length === 0) return new Set();
  const rows = await database.rows<{ id: number }>(sql`
    UPDATE digest_deliveries d SET status = 'sent', sent_at = ${now}, message_id = v.mid,
      locked_until = NULL, last_error = NULL
    FROM (VALUES ${sql.join(
      sent.map((x) => sql`(${x.id}::int, ${x.token}::text, ${x.messageId}::text)`),
      sql`, `,
    )}) AS v(id, token, mid)
    WHERE d.id = v.id AND d.lease_token = v.token AND d.status IN ('sending', 'uncertain')
    RETURNING d.id`);
  return new Set(rows.map((r) => Number(r.id)));
}

export async function markDeliveryFailed(
  database: Database,
  id: number,
  token: string,
  outcome: { error: string; retryAt: Date | null },
) {
  const rows = await database.rows(sql`
    UPDATE digest_deliveries SET
      status = ${outcome.retryAt ? 'failed' : 'gave_up'},
      last_error = ${outcome.error.slice(0, 500)},
      next_attempt_at = COALESCE(${outcome.retryAt}::timestamptz, next_attempt_at),
      locked_until = NULL
    WHERE id = ${id} AND lease_token = ${token} AND status = 'sending'
    RETURNING id`);
  return rows.length === 1;
}

export async function markDeliverySkipped(database: Database, id: number, token: string, reason: string) {
  await database.rows(sql`
    UPDATE digest_deliveries SET status = 'skipped', last_error = ${reason}, locked_until = NULL
    WHERE id = ${id} AND lease_token = ${token} AND status = 'sending'
    RETURNING id`);
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
      SELECT 1 FROM digest_deliveries WHERE run_id = ${runId} AND status IN ('queued', 'sending', 'failed'))
    RETURNING id`);
  return rows.length === 1;
}
