// The staff dashboard's use case, sized for a crisis (thousands of movements):
// every operation's attention items first (a refused public build the first of
// them), its routes counted by status, then ONE page of movements filtered by
// route and status ("needs attention" is a status here: the movements with an
// item). The database counts, filters and pages (store/repositories/dashboard.ts):
// a request reads the routes with their counts, the first items of each list, one
// page and that page's items — three statements — never the whole snapshot (issue 21).
import type { LocalizedText } from '../../../db/schema.ts';
import type { Localized } from '../../i18n/languages.ts';
import { AppError } from '../../errors.ts';
import {
  listOperations,
  type OperationRow,
  type SourceRow,
  sourcesByIds,
} from '../../store/repositories/catalog.ts';
import type { Db } from '../../store/database.ts';
import {
  type AttentionScope,
  type DashboardMovementRow,
  attentionOfMovements,
  dashboardMovementsPage,
  dashboardOverview,
} from '../../store/repositories/dashboard.ts';
import { localDay } from '../calendar.ts';
import type { MovementStatus } from '../movement-status.ts';
import { MOVEMENT_STATUSES } from '../vocabulary.ts';
import type { AttentionItem } from './attention.ts';
import { itemOfRow } from './dashboard-items.ts';

export const DASHBOARD_PAGE_SIZE = 50;
/** Attention items read per operation: the dashboard lists these; the rest are counted. */
export const DASHBOARD_ATTENTION_SHOWN = 20;

export type DashboardStatusFilter = MovementStatus | 'attention';
export type DashboardFilter = { routeId?: number; status?: DashboardStatusFilter; page: number };

/**
 * The disclosure audit refused the public build (src/public/cache.ts `refusal()`): the
 * public outputs still show the last safe copy. `since`: the first of the refused builds
 * in a row.
 */
export type PublicBuildRefusal = {
  since: Date;
  operations: { operationId: number; failures: string[] }[];
};

export type DashboardRoute = {
  id: number;
  names: LocalizedText;
  byStatus: Record<MovementStatus, number>;
  /** Its movements with at least one attention item. */
  flagged: number;
};
export type DashboardRow = {
  operationId: number;
  route: DashboardRoute;
  movement: Omit<DashboardMovementRow, 'routeId'>;
};
export type DashboardOperation = {
  operation: OperationRow;
  routes: DashboardRoute[];
  /** The first DASHBOARD_ATTENTION_SHOWN items, in order, and how many there are in all. */
  attention: { items: AttentionItem[]; total: number };
  /** The labels of the movements its items and the page's notes name (the page picks its language's). */
  movementLabels: Map<number, { label: string; labels: Localized | null }>;
  /** The sources its items name ("needs translation"). */
  sources: Map<number, SourceRow>;
};

function refusalItems(refusal: PublicBuildRefusal | undefined, operationId: number): AttentionItem[] {
  return refusal?.operations.some((o) => o.operationId === operationId)
    ? [{ kind: 'public_not_updated', operationId, since: refusal.since }]
    : [];
}

/** How many movements the filter keeps, from the routes' counts (no second pass over them). */
function filteredTotal(routes: DashboardRoute[], filter: DashboardFilter): number {
  let total = 0;
  for (const r of routes) {
    if (filter.routeId !== undefined && r.id !== filter.routeId) continue;
    if (filter.status === 'attention') total += r.flagged;
    else if (filter.status !== undefined) total += r.byStatus[filter.status];
    else total += MOVEMENT_STATUSES.reduce((sum, s) => sum + r.byStatus[s], 0);
  }
  return total;
}

export async function loadDashboard(
  deps: { db: Db; now: Date; refusal?: PublicBuildRefusal },
  filter: DashboardFilter = { page: 1 },
) {
  const { db, now } = deps;
  const operationRows = await listOperations(db);
  const scope: AttentionScope = {
    now,
    todayByOperation: Object.fromEntries(operationRows.map((o) => [o.id, localDay(now, o.timeZone)])),
  };
  // One after another: a PGlite database has one connection.
  const overview = await dashboardOverview(db, scope, DASHBOARD_ATTENTION_SHOWN);
  const routes = overview.routes.map((r) => ({
    operationId: r.operationId,
    route: {
      id: r.id,
      names: r.names,
      flagged: r.flagged,
      byStatus: Object.fromEntries(MOVEMENT_STATUSES.map((s) => [s, r.byStatus[s] ?? 0])) as Record<
        MovementStatus,
        number
      >,
    },
  }));
  if (filter.routeId !== undefined && !routes.some((r) => r.route.id === filter.routeId))
    throw new AppError('not_found', 'Route not found.');

  const total = filteredTotal(
    routes.map((r) => r.route),
    filter,
  );
  const pages = Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE));
  // A page past the end (the list shrank since the link was made) shows the last one.
  const page = Math.min(Math.max(1, filter.page), pages);
  const pageRows =
    total === 0
      ? []
      : await dashboardMovementsPage(db, scope, filter, {
          offset: (page - 1) * DASHBOARD_PAGE_SIZE,
          limit: DASHBOARD_PAGE_SIZE,
        });
  const notes = await attentionOfMovements(
    db,
    scope,
    pageRows.map((m) => m.id),
  );

  const sourceIds = [...new Set(overview.heads.flatMap((r) => (r.source_id === null ? [] : [r.source_id])))];
  const sources = new Map((await sourcesByIds(db, sourceIds)).map((s) => [s.id, s]));
  const routeById = new Map(routes.map((r) => [r.route.id, r]));
  const operations: DashboardOperation[] = operationRows.map((operation) => {
    const refused = refusalItems(deps.refusal, operation.id);
    const own = overview.heads.filter((r) => r.operation_id === operation.id);
    const counted = overview.routes
      .filter((r) => r.operationId === operation.id)
      .reduce((sum, r) => sum + r.movementItems, overview.otherItems.get(operation.id) ?? 0);
    const labels: DashboardOperation['movementLabels'] = new Map();
    for (const r of [...own, ...notes.filter((n) => n.operation_id === operation.id)])
      if (r.movement_id !== null && r.label !== null)
        labels.set(r.movement_id, { label: r.label, labels: r.labels });
    return {
      operation,
      routes: routes.filter((r) => r.operationId === operation.id).map((r) => r.route),
      attention: {
        items: [...refused, ...own.map(itemOfRow)].slice(0, DASHBOARD_ATTENTION_SHOWN),
        total: refused.length + counted,
      },
      movementLabels: labels,
      sources,
    };
  });
  const notesByMovement = new Map<number, AttentionItem[]>();
  for (const r of notes)
    notesByMovement.set(r.movement_id!, [...(notesByMovement.get(r.movement_id!) ?? []), itemOfRow(r)]);

  return {
    operations,
    filter,
    movements: {
      total,
      page,
      pages,
      rows: pageRows.map(({ routeId, ...movement }): DashboardRow => {
        const r = routeById.get(routeId)!;
        return { operationId: r.operationId, route: r.route, movement };
      }),
      /** Each movement's attention items (those on this page only). */
      notes: notesByMovement,
    },
  };
}

export type Dashboard = Awaited<ReturnType<typeof loadDashboard>>;
