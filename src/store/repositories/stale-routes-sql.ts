// Which routes the desk has let go stale: the staff dashboard's "stale route" items and the
// operator's `corridor_stale_routes` metric, one rule. A route of an active operation with no
// movement, or with one still under way (planned, boarding, departed), that nobody has
// touched — the route, its legs, its movements or their figures — for the operation's stale
// threshold (staleFromSql on that write time, always known to the instant). A route whose
// movements all arrived or were cancelled is done, never stale: the metric used to count
// it, so its alert fired for good once a route had finished.
import { type SQL, sql } from 'drizzle-orm';
import { staleFromSql } from './staleness-sql.ts';

/** Movement statuses of a route still under way. */
export const UNDER_WAY = sql`('planned', 'boarding', 'departed')`;

/** Per route from `movements` (alias m) and `passenger_counts` (pc): its latest change, and whether one is under way. */
export const movementsPerRoute = sql`SELECT m.route_id, max(greatest(m.updated_at, pc.updated_at)) AS changed_at,
    bool_or(m.status IN ${UNDER_WAY}) AS live
  FROM movements m LEFT JOIN passenger_counts pc ON pc.movement_id = m.id GROUP BY m.route_id`;

/**
 * `FROM … WHERE …` of the stale routes at `now`, with `r` (routes), `o` (operations) and
 * `s.updated` (the route's last change) in scope. `perRoute` yields (route_id, changed_at,
 * live): `movementsPerRoute`, or the same from a query's own movement rows.
 */
export function staleRoutesFrom(perRoute: SQL, now: SQL, filter: SQL = sql`true`): SQL {
  return sql`FROM routes r JOIN operations o ON o.id = r.operation_id
        LEFT JOIN (${perRoute}) mr ON mr.route_id = r.id
        LEFT JOIN (SELECT route_id, max(updated_at) AS changed_at FROM legs GROUP BY route_id) lr
          ON lr.route_id = r.id
        CROSS JOIN LATERAL (SELECT greatest(r.updated_at, mr.changed_at, lr.changed_at) AS updated) s
        WHERE o.status = 'active' AND (mr.route_id IS NULL OR mr.live) AND ${filter}
          AND ${now} > ${staleFromSql(sql`s.updated`, sql`true`, sql`o.time_zone`, sql`o.stale_after_hours`)}`;
}
