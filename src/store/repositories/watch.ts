// Figures an operator watches, read straight from the database so every process
// reports the same values (alert on max(), not sum()).
import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';
import { movementsPerRoute, staleRoutesFrom } from './stale-routes-sql.ts';

export type WatchFigures = { staleRoutes: number; failedDeliveries: number; queuedDeliveries: number };

/** `staleRoutes`: the stale routes of public operations, by the dashboard's rule (stale-routes-sql.ts). */
export async function readWatchFigures(database: Database): Promise<WatchFigures> {
  const [stale] = await database.rows<{ n: number | string }>(
    sql`SELECT count(*) AS n ${staleRoutesFrom(movementsPerRoute, sql`now()`, sql`o.is_public`)}`,
  );
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
