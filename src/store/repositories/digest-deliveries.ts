// A delivery's life, one statement per step. The never-twice guarantee is in the
// order of these steps (src/domain/digest/deliver.ts):
//
//   queued ─claim─▶ claimed ─about to send─▶ sending ─SMTP accepted─▶ sent
//                     │ (lease lost / stop)       │ (no outcome recorded: process or database gone)
//                     ▼                           ▼
//                  queued again               uncertain (never resent automatically)
//
// A claimed row was never handed to the mail server, so giving it back is safe.
// A sending row may have been: once its lease runs out without an outcome, it is
// uncertain, and only a staff member's recorded "resend" sends it again.
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../database.ts';

export type ClaimedDelivery = {
  id: number;
  subscriberId: number | null;
  email: string | null;
  language: string;
  audience: string;
  attempts: number;
  messageId: string | null;
  subscriberStatus: string | null;
  allRoutes: boolean;
  routeIds: number[];
};

const intArray = (v: unknown): number[] =>
  Array.isArray(v)
    ? v.map(Number)
    : typeof v === 'string'
      ? v.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number)
      : [];

const idList = (ids: number[]) =>
  sql.join(
    ids.map((id) => sql`${id}::int`),
    sql`, `,
  );

/**
 * Claim up to `limit` due deliveries of a run: row-locked (SKIP LOCKED, so
 * concurrent workers and processes take different rows) and leased to one token.
 * Claiming sends nothing; each row is marked `sending` (markSending) right before
 * its own SMTP transaction. No ORDER BY in the lock: sorting every remaining row
 * made each claim O(recipients).
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
    SET status = 'claimed', locked_until = ${lease.until}, lease_token = ${lease.token}
    FROM (
      SELECT id FROM digest_deliveries
      WHERE run_id = ${runId} AND status IN ('queued', 'failed') AND next_attempt_at <= ${now}
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED) c
    WHERE d.id = c.id
    RETURNING d.id, d.subscriber_id, d.email, d.language, d.audience, d.attempts, d.message_id,
      (SELECT s.status FROM subscribers s WHERE s.id = d.subscriber_id) AS subscriber_status,
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
      messageId: (row.message_id as string | null) ?? null,
      subscriberStatus: (row.subscriber_status as string | null) ?? null,
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

/**
 * "About to send", recorded (committed) before the SMTP transaction starts, for
 * several rows at once (workers that reach this point together). A row whose
 * lease was taken over is not returned: its worker must not send it. A row made
 * before Message-IDs were fixed at creation gets its `fallbackMessageId` now.
 */
export async function markSending(
  database: Database,
  rows: { id: number; token: string; fallbackMessageId: string }[],
  now: Date,
): Promise<Map<number, { messageId: string; attempts: number }>> {
  if (rows.length === 0) return new Map();
  const result = await database.rows<{ id: number; message_id: string; attempts: number }>(sql`
    UPDATE digest_deliveries d SET status = 'sending', send_started_at = ${now}, attempts = d.attempts + 1,
      message_id = COALESCE(d.message_id, v.mid)
    FROM (VALUES ${sql.join(
      rows.map((x) => sql`(${x.id}::int, ${x.token}::text, ${x.fallbackMessageId}::text)`),
      sql`, `,
    )}) AS v(id, token, mid)
    WHERE d.id = v.id AND d.lease_token = v.token AND d.status = 'claimed'
    RETURNING d.id, d.message_id, d.attempts`);
  return new Map(
    result.map((r) => [Number(r.id), { messageId: String(r.message_id), attempts: Number(r.attempts) }]),
  );
}

/** Accepted by the server — also over an 'uncertain' mark, since this worker knows. */
export async function markDeliveriesSent(
  database: Database,
  sent: { id: number; token: string }[],
  now: Date,
): Promise<Set<number>> {
  if (sent.length === 0) return new Set();
  const rows = await database.rows<{ id: number }>(sql`
    UPDATE digest_deliveries d SET status = 'sent', sent_at = ${now}, locked_until = NULL, last_error = NULL
    FROM (VALUES ${sql.join(
      sent.map((x) => sql`(${x.id}::int, ${x.token}::text)`),
      sql`, `,
    )}) AS v(id, token)
    WHERE d.id = v.id AND d.lease_token = v.token AND d.status IN ('sending', 'uncertain')
    RETURNING d.id`);
  return new Set(rows.map((r) => Number(r.id)));
}

/** Refused or not delivered: retry at `retryAt`, or give up (null). */
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
    WHERE id = ${id} AND lease_token = ${token} AND status IN ('sending', 'uncertain')
    RETURNING id`);
  return rows.length === 1;
}

/** The server may have taken it (the connection broke mid-message): never resent automatically. */
export async function markDeliveryUncertain(database: Database, id: number, token: string, reason: string) {
  await database.rows(sql`
    UPDATE digest_deliveries SET status = 'uncertain', last_error = ${reason.slice(0, 500)}, locked_until = NULL
    WHERE id = ${id} AND lease_token = ${token} AND status = 'sending'
    RETURNING id`);
}

export async function markDeliverySkipped(database: Database, id: number, token: string, reason: string) {
  await database.rows(sql`
    UPDATE digest_deliveries SET status = 'skipped', last_error = ${reason}, locked_until = NULL
    WHERE id = ${id} AND lease_token = ${token} AND status = 'claimed'
    RETURNING id`);
}

/** Give back claimed rows this worker never started (stopping, or the server went away). */
export async function releaseDeliveries(database: Database, ids: number[], token: string) {
  if (ids.length === 0) return;
  await database.rows(sql`
    UPDATE digest_deliveries SET locked_until = NULL, lease_token = NULL,
      status = CASE WHEN attempts > 0 THEN 'failed' ELSE 'queued' END
    WHERE id IN (${idList(ids)}) AND lease_token = ${token} AND status = 'claimed'
    RETURNING id`);
}

export const UNCERTAIN_REASON =
  'handed to the mail server, but whether it was accepted was never recorded (the sending process or the database went away); not resent automatically';

/**
 * Leases that ran out (their process died or lost the database): claimed rows go
 * back to the queue (never started); every row marked sending becomes uncertain.
 */
export async function releaseExpiredLeases(
  database: Database,
  runId: number,
  now: Date,
): Promise<{ uncertain: number; requeued: number }> {
  const rows = await database.rows<{ status: string }>(sql`
    UPDATE digest_deliveries SET
      status = CASE WHEN status = 'sending' THEN 'uncertain' WHEN attempts > 0 THEN 'failed' ELSE 'queued' END,
      last_error = CASE WHEN status = 'sending' THEN ${UNCERTAIN_REASON} ELSE last_error END,
      locked_until = NULL
    WHERE run_id = ${runId} AND status IN ('claimed', 'sending') AND locked_until < ${now}
    RETURNING status`);
  const uncertain = rows.filter((r) => r.status === 'uncertain').length;
  return { uncertain, requeued: rows.length - uncertain };
}

export type UncertainDelivery = {
  id: number;
  runId: number;
  day: string;
  email: string | null;
  language: string;
  audience: string;
  sendStartedAt: Date | null;
  messageId: string | null;
  lastError: string | null;
};

/** Uncertain deliveries of an operation's runs, newest day first. */
export async function uncertainDeliveries(
  database: Database,
  operationId: number,
  limit = 500,
): Promise<UncertainDelivery[]> {
  const rows = await database.rows<Record<string, unknown>>(sql`
    SELECT d.id, d.run_id, r.day::text AS day, d.email, d.language, d.audience, d.send_started_at,
      d.message_id, d.last_error
    FROM digest_deliveries d JOIN digest_runs r ON r.id = d.run_id
    WHERE r.operation_id = ${operationId} AND d.status = 'uncertain'
    ORDER BY r.day DESC, d.id
    LIMIT ${limit}`);
  return rows.map((r) => ({
    id: Number(r.id),
    runId: Number(r.run_id),
    day: String(r.day),
    email: (r.email as string | null) ?? null,
    language: String(r.language),
    audience: String(r.audience),
    sendStartedAt: r.send_started_at ? new Date(r.send_started_at as string) : null,
    messageId: (r.message_id as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
  }));
}

/**
 * Staff asked to send these uncertain deliveries again: queued now (same
 * Message-ID), marked with who asked and when, their runs reopened. Returns the
 * rows requeued (others were no longer uncertain, or belong to another operation).
 */
export async function requeueUncertain(
  database: Database,
  tx: Db,
  input: { operationId: number; ids: number[]; userId: number; now: Date },
): Promise<{ id: number; runId: number }[]> {
  if (input.ids.length === 0) return [];
  const rows = await database.rows<{ id: number; run_id: number }>(
    sql`
    UPDATE digest_deliveries d SET status = 'queued', next_attempt_at = ${input.now}, lease_token = NULL,
      locked_until = NULL, resent_at = ${input.now}, resent_by = ${input.userId},
      last_error = 'resend asked for by staff after an uncertain send'
    FROM digest_runs r
    WHERE r.id = d.run_id AND r.operation_id = ${input.operationId} AND d.status = 'uncertain'
      AND d.id IN (${idList(input.ids)})
    RETURNING d.id, d.run_id`,
    tx,
  );
  const runIds = [...new Set(rows.map((r) => Number(r.run_id)))];
  if (runIds.length)
    await database.rows(
      sql`UPDATE digest_runs SET completed_at = NULL WHERE id IN (${idList(runIds)}) RETURNING id`,
      tx,
    );
  return rows.map((r) => ({ id: Number(r.id), runId: Number(r.run_id) }));
}
