// The staff dashboard's reads, each bounded by what the page shows (issue 21): the
// routes with their movements counted by status and by attention, the first items
// of each operation's attention list with its length, one page of movements
// (filtered, ORDER BY … LIMIT/OFFSET) and the attention items of that page. The
// counting happens in the database; nothing here reads every movement into memory.
import { type SQL, sql } from 'drizzle-orm';
import type { LocalizedText } from '../../../db/schema.ts';
import type { Localized } from '../../i18n/languages.ts';
import type { MovementStatus } from '../../domain/movement-status.ts';
import { type Db, rowsOf } from '../database.ts';
import {
  ATTENTION_ORDER,
  type AttentionRow,
  type AttentionScope,
  attentionRelation,
  attentionUnion,
  movementChecks,
} from './dashboard-attention.ts';

export type { AttentionRow, AttentionScope } from './dashboard-attention.ts';

export type DashboardRouteRow = {
  id: number;
  operationId: number;
  names: LocalizedText;
  /** Movements per status (a status absent: none). */
  byStatus: Partial<Record<MovementStatus, number>>;
  /** Movements with at least one attention item. */
  flagged: number;
  /** The attention items of its movements. */
  movementItems: number;
};

export type DashboardOverview = {
  /** Every route of every operation, in the dashboard's order, with its counts. */
  routes: DashboardRouteRow[];
  /** The first `limit` items of each operation's attention list, in order. */
  heads: AttentionRow[];
  /** Each operation's items that no movement carries (the routes' carry the rest). */
  otherItems: Map<number, number>;
};

/**
 * The routes with their counts and the head of each attention list, in one statement:
 * the movements' checks (the costly part) are computed once.
 */
export async function dashboardOverview(
  db: Db,
  scope: AttentionScope,
  limit: number,
): Promise<DashboardOverview> {
  type RouteJson = {
    id: number;
    operation_id: number;
    names: LocalizedText;
    by_status: DashboardRouteRow['byStatus'] | null;
    flagged: number | null;
    items: number | null;
  };
  type Row = { route: RouteJson | null; item: (AttentionRow & { others: number }) | null };
  const rows = await rowsOf<Row>(
    db,
    sql`WITH ${movementChecks(scope)},
        items AS (${attentionUnion(scope, limit)}),
        ranked AS (
          SELECT items.*, count(*) FILTER (WHERE movement_id IS NULL) OVER (PARTITION BY operation_id) AS others,
                 row_number() OVER (PARTITION BY operation_id ORDER BY ${ATTENTION_ORDER}) AS n
            FROM items),
        counted AS (
          SELECT route_id, jsonb_object_agg(status, n) AS by_status, sum(flagged)::int AS flagged,
                 sum(items)::int AS items
            FROM (SELECT route_id, status, count(*)::int AS n, count(*) FILTER (WHERE n_items > 0) AS flagged,
                         sum(n_items) AS items
                    FROM mc GROUP BY route_id, status) s
           GROUP BY route_id)
        SELECT route, item FROM (
          SELECT to_jsonb(x) AS route, NULL::jsonb AS item, 0 AS part, x.operation_id, x.position AS a, x.id AS b
            FROM (SELECT r.id, r.operation_id, r.position, r.names, c.by_status, c.flagged, c.items
                    FROM routes r LEFT JOIN counted c ON c.route_id = r.id) x
          UNION ALL
          SELECT NULL, to_jsonb(ranked), 1, operation_id, n, 0 FROM ranked WHERE n <= ${limit}) parts
        ORDER BY part, operation_id, a, b`,
  );
  const routes: DashboardRouteRow[] = [];
  const heads: AttentionRow[] = [];
  const otherItems = new Map<number, number>();
  for (const { route: r, item } of rows) {
    if (r)
      routes.push({
        id: r.id,
        operationId: r.operation_id,
        names: r.names,
        byStatus: r.by_status ?? {},
        flagged: r.flagged ?? 0,
        movementItems: r.items ?? 0,
      });
    if (item) {
      heads.push(item);
      otherItems.set(item.operation_id, Number(item.others));
    }
  }
  return { routes, heads, otherItems };
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
  /** The working language's label, and the label per language (the page picks its own). */
  label: string;
  labels: Localized;
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
  const attention = filter.status === 'attention';
  // Only the movements' own items flag them (a route's or a notice's do not).
  if (attention) where.push(sql`m.id IN (SELECT id FROM mc WHERE n_items > 0)`);
  else if (filter.status !== undefined) where.push(sql`m.status = ${filter.status}`);
  type Row = {
    id: number;
    route_id: number;
    label: string;
    labels: Localized;
    status: MovementStatus;
    delayed: boolean;
    scheduled_date: string | null;
    registered: number | null;
    departed: number | null;
    arrived: number | null;
  };
  const rows = await rowsOf<Row>(
    db,
    sql`${attention ? sql`WITH ${movementChecks(scope)}` : sql``}
        SELECT m.id, m.route_id, m.label, m.labels, m.status, m.delayed, m.scheduled_date::text AS scheduled_date,
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
    labels: r.labels,
    status: r.status,
    delayed: r.delayed,
    scheduledDate: r.scheduled_date,
    totals: { registered: r.registered, departed: r.departed, arrived: r.arrived },
  }));
}
