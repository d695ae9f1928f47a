// Figures an operator watches, read straight from the database so every process
// reports the same values (alert on max(), not sum()).
import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';

export type WatchFigures = { staleRoutes: number; failedDeliveries: number; queuedDeliveries: number };

/**
 * A route is stale when it belongs to an active public operation, has movements,
 * and none of their figures changed within the operation's stale_after_hours.
 */
export async function readWatchFigures(database: Database): Promise<WatchFigures> {
  const [stale] = await database.rows<{ n: number | string }>(sql`
    SELECT count(*) AS n FROM (
      SELECT r.id
      FROM routes r
      JOIN operations o ON o.id = r.operation_id AND o.status = 'active' AND o.is_public
      JOIN movements m ON m.route_id = r.id
      LEFT JOIN passenger_counts pc ON pc.movement_id = m.id
      GROUP BY r.id, o.stale_after_hours
      HAVING coalesce(max(greatest(pc.updated_at, m.updated_at)), 'epoch'::timestamptz)
        < now() - make_interval(hours => o.stale_after_hours)
    ) s`);
  const [deliveries] = await database.rows<{ failed: number | string; queued: number | string }>(sql`
    SELECT count(*) FILTER (WHERE status = 'failed') AS failed,
           count(*) FILTER (WHERE status IN ('queued', 'sending')) AS queued
    FROM digest_deliveries`);
  return {
    staleRoutes: Number(stale?.n ?? 0),
    failedDeliveries: Number(deliveries?.failed ?? 0),
    queuedDeliveries: Number(deliveries?.queued ?? 0),
  };
}
