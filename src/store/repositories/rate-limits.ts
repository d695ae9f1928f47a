// Fixed-window counters in PostgreSQL, shared by every app process. One
// statement increments atomically (or restarts an expired window).
import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';

export async function hitCounter(
  database: Database,
  key: string,
  windowMs: number,
  now: Date,
): Promise<{ hits: number; windowStartedAt: Date }> {
  const windowStart = new Date(now.getTime() - windowMs);
  const [row] = await database.rows<{ hits: number; window_started_at: string | Date }>(sql`
    INSERT INTO rate_limits (key, hits, window_started_at) VALUES (${key}, 1, ${now})
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN rate_limits.window_started_at <= ${windowStart} THEN 1 ELSE rate_limits.hits + 1 END,
      window_started_at = CASE WHEN rate_limits.window_started_at <= ${windowStart} THEN ${now}
                               ELSE rate_limits.window_started_at END
    RETURNING hits, window_started_at`);
  return { hits: Number(row!.hits), windowStartedAt: new Date(row!.window_started_at) };
}

/** The current window's hits for a key, without counting one (0 when none or expired). */
export async function readCounter(
  database: Database,
  key: string,
  windowMs: number,
  now: Date,
): Promise<{ hits: number; windowStartedAt: Date }> {
  const windowStart = new Date(now.getTime() - windowMs);
  const [row] = await database.rows<{ hits: number; window_started_at: string | Date }>(sql`
    SELECT hits, window_started_at FROM rate_limits
    WHERE key = ${key} AND window_started_at > ${windowStart}`);
  return row
    ? { hits: Number(row.hits), windowStartedAt: new Date(row.window_started_at) }
    : { hits: 0, windowStartedAt: now };
}

export async function resetCounter(database: Database, key: string): Promise<void> {
  await database.rows(sql`DELETE FROM rate_limits WHERE key = ${key} RETURNING key`);
}

/** Delete windows that ended long ago, so the table does not grow without bound. */
export async function pruneCounters(database: Database, olderThan: Date): Promise<void> {
  await database.rows(sql`DELETE FROM rate_limits WHERE window_started_at < ${olderThan} RETURNING key`);
}
