// The staff dashboard's reads, each bounded by what the page shows (issue 21): the
// routes with their movements counted by status and by attention, the first items
// of each operation's attention list with its length, one page of movements
// (filtered, ORDER BY … LIMIT/OFFSET) and the attention items of that page. The
// counting happens in the database; nothing here reads every movement into memory.
import { type SQL, sql } from 'drizzle-orm';
import type { LocalizedText } from '../../../db/schema.ts';
import type { MovementStatus } from '../../domain/movement-status.ts';
import { type Db, rowsOf } from '../database.ts';
import { ATTENTION_ORDER, type AttentionRow, type AttentionScope, attentionRelation } from './dashboard-attention.ts';

export type { AttentionRow, AttentionScope } from './dashboard-attention.ts';

export type DashboardRouteRow = {
  id: number;
  operationId: number;
  names: LocalizedText;
  /** Movements per status (a status absent: none). */
  byStatus: Partial<Record<MovementStatus, number>>;
  /** Movements with at least one attention item. */
  flagged: number;
};

/** Every route of every operation, in the dashboard's order, with its counts. */
export async function dashboardRoutes(db: Db, scope: AttentionScope): Promise<DashboardRouteRow[]> {
  type Row = {
    id: number;
    operation_id: number;
    names: LocalizedText;
    by_status: Record<string, number> | null;
    flagged: number;
  };
  const rows = await rowsOf<Row>(
    db,
    sql`WITH flagged AS (
          SELECT route_id, count(DISTINCT movement_id)::int AS n FROM (${attentionRelation(scope)}) items
           WHERE movement_id IS NOT NULL GROUP BY route_id),
        counted AS (
          SELECT route_id, jsonb_object_agg(status, n) AS by_status
            FROM (SELECT route_id, status, count(*)::int AS n FROM movements GROUP BY route_id, status) s
           GROUP BY route_id)
        SELECT r.id, r.operation_id, r.names, c.by_status, coalesce(f.n, 0) AS flagged
          FROM routes r LEFT JOIN counted c ON c.route_id = r.id LEFT JOIN flagged f ON f.route_id = r.id
         ORDER BY r.operation_id, r.position, r.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    operationId: r.operation_id,
    names: r.names,
    byStatus: (r.by_status ?? {}) as DashboardRouteRow['byStatus'],
    flagged: r.flagged,
  }));
}

/** The first `limit` items of each operation's attention list, with the list's length. */
export async function dashboardAttentionHeads(
  db: Db,
  scope: AttentionScope,
  limit: number,
): Promise<{ rows: AttentionRow[]; totals: Map<number, number> }> {
  const rows = await rowsOf<AttentionRow & { total: number; n: number }>(
    db,
    sql`SELECT * FROM (
          SELECT items.*, count(*) OVER (PARTITION BY operation_id)::int AS total,
                 row_number() OVER (PARTITION BY operation_id ORDER BY ${ATTENTION_ORDER})::int AS n
            FROM (${attentionRelation(scope)}) items) ranked
         WHERE n <= ${limit} ORDER BY operation_id, n`,
  );
  return { rows, totals: new Map(rows.map((r) => [r.operation_id, r.total])) };
}

/** The attention items of these movements, in the list's order. */
export async function attentionOfMovements(
  db: Db,
  scope: Omit<AttentionScope, 'movementIds'>,
  movementIds: number[],
): Promise<AttentionRow[]> {
  if (movementIds.length === 0) return [];
  return rowsOf<AttentionRow>(
    db,
    sql`SELECT * FROM (${attentionRelation({ ...scope, movementIds })}) items ORDER BY ${ATTENTION_ORDER}`,
  );
}

export type DashboardMovementRow = {
  id: number;
  routeId: number;
  label: string;
  status: MovementStatus;
  delayed: boolean;
  scheduledDate: string | null;
  totals: { registered: number | null; departed: number | null; arrived: number | null };
};

export type DashboardMovementFilter = {
  routeId?: number;
  /** A movement status, or 'attention': the movements with an attention item. */
  status?: MovementStatus | 'attention';
};

/** One page of the movements the filter keeps, in the dashboard's order (operation, route, day). */
export async function dashboardMovementsPage(
  db: Db,
  scope: AttentionScope,
  filter: DashboardMovementFilter,
  page: { offset: number; limit: number },
): Promise<DashboardMovementRow[]> {
  const where: SQL[] = [sql`TRUE`];
  if (filter.routeId !== undefined) where.push(sql`m.route_id = ${filter.routeId}`);
  if (filter.status === 'attention')
    where.push(sql`m.id IN (SELECT movement_id FROM (${attentionRelation(scope)}) items
                            WHERE movement_id IS NOT NULL)`);
  else if (filter.status !== undefined) where.push(sql`m.status = ${filter.status}`);
  type Row = {
    id: number;
    route_id: number;
    label: string;
    status: MovementStatus;
    delayed: boolean;
    scheduled_date: string | null;
    registered: number | null;
    departed: number | null;
    arrived: number | null;
  };
  const rows = await rowsOf<Row>(
    db,
    sql`SELECT m.id, m.route_id, m.label, m.status, m.delayed, m.scheduled_date::text AS scheduled_date,
               pc.registered_total AS registered, pc.departed_total AS departed, pc.arrived_total AS arrived
          FROM movements m
          JOIN routes r ON r.id = m.route_id
          LEFT JOIN passenger_counts pc ON pc.movement_id = m.id
         WHERE ${sql.join(where, sql` AND `)}
         ORDER BY r.operation_id, r.position, r.id, m.scheduled_date, m.id
         LIMIT ${page.limit} OFFSET ${page.offset}`,
  );
  return rows.map((r) => ({
    id: r.id,
    routeId: r.route_id,
    label: r.label,
    status: r.status,
    delayed: r.delayed,
    scheduledDate: r.scheduled_date,
    totals: { registered: r.registered, departed: r.departed, arrived: r.arrived },
  }));
}
