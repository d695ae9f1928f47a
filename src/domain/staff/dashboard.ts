// The staff dashboard's use case, sized for a crisis (thousands of movements):
// every operation's attention items first (a refused public build the first of
// them), its routes counted by status, then ONE page of movements filtered by
// route and status ("needs attention" is a status here: the movements with an
// item). Everything is computed from the snapshots; only the page is presented.
import { listOperations } from '../../store/repositories/catalog.ts';
import type { Db } from '../../store/database.ts';
import { AppError } from '../../errors.ts';
import type { MovementStatus } from '../movement-status.ts';
import { type Snapshot, type SnapshotMovement, type SnapshotRoute, loadSnapshot } from '../snapshot.ts';
import { type AttentionItem, attentionItems, statusCounts } from './attention.ts';

export const DASHBOARD_PAGE_SIZE = 50;

export type DashboardStatusFilter = MovementStatus | 'attention';
export type DashboardFilter = { routeId?: number; status?: DashboardStatusFilter; page: number };

/**
 * The disclosure audit refused the public build (src/public/cache.ts `refusal()`): the
 * public outputs still show the last safe copy. `since`: the first refused build of
 * this run of refusals.
 */
export type PublicBuildRefusal = {
  at: Date;
  since?: Date;
  operations: { operationId: number; failures: string[] }[];
};

export type DashboardRow = { operationId: number; route: SnapshotRoute; movement: SnapshotMovement };

function refusalItems(
  refusal: PublicBuildRefusal | undefined,
  operation: Snapshot['operation'],
): AttentionItem[] {
  if (!refusal || !operation.isPublic) return [];
  // A refusal naming no operation (the cache could not tell which) concerns every public one.
  const named =
    refusal.operations.length === 0 || refusal.operations.some((o) => o.operationId === operation.id);
  return named
    ? [{ kind: 'public_not_updated', operationId: operation.id, since: refusal.since ?? refusal.at }]
    : [];
}

export async function loadDashboard(
  deps: { db: Db; now: Date; refusal?: PublicBuildRefusal },
  filter: DashboardFilter = { page: 1 },
) {
  const operations = await listOperations(deps.db);
  const snapshots: Snapshot[] = await Promise.all(operations.map((op) => loadSnapshot(deps, op)));
  if (filter.routeId !== undefined && !snapshots.some((s) => s.routes.some((r) => r.id === filter.routeId)))
    throw new AppError('not_found', 'Route not found.');

  const rows: DashboardRow[] = [];
  const byOperation = snapshots.map((snapshot) => {
    const attention = [
      ...refusalItems(deps.refusal, snapshot.operation),
      ...attentionItems(snapshot, deps.now),
    ];
    const flagged = new Set(
      attention.flatMap((i) => ('movementId' in i && i.movementId ? [i.movementId] : [])),
    );
    for (const route of snapshot.routes) {
      if (filter.routeId !== undefined && route.id !== filter.routeId) continue;
      for (const movement of route.movements) {
        const keep =
          filter.status === undefined ||
          (filter.status === 'attention' ? flagged.has(movement.id) : movement.status === filter.status);
        if (keep) rows.push({ operationId: snapshot.operation.id, route, movement });
      }
    }
    return { snapshot, attention, statusCounts: statusCounts(snapshot) };
  });

  const pages = Math.max(1, Math.ceil(rows.length / DASHBOARD_PAGE_SIZE));
  // A page past the end (the list shrank since the link was made) shows the last one.
  const page = Math.min(Math.max(1, filter.page), pages);
  return {
    operations: byOperation,
    filter,
    movements: {
      total: rows.length,
      page,
      pages,
      rows: rows.slice((page - 1) * DASHBOARD_PAGE_SIZE, page * DASHBOARD_PAGE_SIZE),
    },
  };
}

export type Dashboard = Awaited<ReturnType<typeof loadDashboard>>;
