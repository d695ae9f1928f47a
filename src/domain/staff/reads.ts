// What the workspace pages show: one read per page, from the current tables.
import { notFound } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import {
  legsOfRoutes,
  listOperations,
  placesByIds,
  routesOfOperation,
} from '../../store/repositories/catalog.ts';
import { countsForMovements, rowToCounts } from '../../store/repositories/counts.ts';
import { findMovement } from '../../store/repositories/movements.ts';
import * as repo from '../../store/repositories/workspace.ts';
import { movementsOfRoutes, noticesOfOperation } from '../../store/repositories/catalog.ts';

async function legsWithPlaces(db: Db, routeId: number) {
  const legs = await repo.legsOfRoute(db, routeId);
  const places = await placesByIds(db, [...new Set(legs.flatMap((l) => [l.fromPlaceId, l.toPlaceId]))]);
  const byId = new Map(places.map((p) => [p.id, p]));
  return legs.map((l) => ({ ...l, from: byId.get(l.fromPlaceId)!, to: byId.get(l.toPlaceId)! }));
}

export async function loadMovementPage(db: Db, movementId: number) {
  const found = await findMovement(db, movementId);
  if (!found) throw notFound('Movement');
  const route = (await repo.findRoute(db, found.movement.routeId))!;
  const operation = (await repo.findOperation(db, route.operationId))!;
  const [legs, countRows, sources] = await Promise.all([
    legsWithPlaces(db, route.id),
    countsForMovements(db, [movementId]),
    repo.listSources(db),
  ]);
  const countsRow = countRows.get(movementId);
  return {
    movement: found.movement,
    updatedByName: found.updatedByName,
    route,
    operation,
    legs,
    counts: rowToCounts(countsRow),
    countsSourceId: countsRow?.sourceId ?? null,
    sources,
  };
}

export async function loadRoutePage(db: Db, routeId: number) {
  const route = await repo.findRoute(db, routeId);
  if (!route) throw notFound('Route');
  const operation = (await repo.findOperation(db, route.operationId))!;
  const [legs, movements, places, sources] = await Promise.all([
    legsWithPlaces(db, route.id),
    movementsOfRoutes(db, [route.id]),
    repo.listPlaces(db),
    repo.listSources(db),
  ]);
  const counts = await countsForMovements(
    db,
    movements.map((m) => m.id),
  );
  return {
    route,
    operation,
    legs,
    places,
    sources,
    movements: movements.map((m) => ({ ...m, counts: rowToCounts(counts.get(m.id)) })),
  };
}

export async function loadOperationPage(db: Db, operationId: number) {
  const operation = await repo.findOperation(db, operationId);
  if (!operation) throw notFound('Operation');
  const [routes, notices, sources] = await Promise.all([
    routesOfOperation(db, operation.id),
    noticesOfOperation(db, operation.id),
    repo.listSources(db),
  ]);
  const legs = await legsOfRoutes(
    db,
    routes.map((r) => r.id),
  );
  return {
    operation,
    routes,
    notices,
    sources,
    legCounts: new Map(routes.map((r) => [r.id, legs.filter((l) => l.routeId === r.id).length])),
  };
}

export async function loadLegPage(db: Db, legId: number) {
  const leg = await repo.findLeg(db, legId);
  if (!leg) throw notFound('Leg');
  const route = (await repo.findRoute(db, leg.routeId))!;
  const operation = (await repo.findOperation(db, route.operationId))!;
  return { leg, route, operation, places: await repo.listPlaces(db) };
}

export const loadOperations = (db: Db) => listOperations(db);
export const loadPlaces = (db: Db) => repo.listPlaces(db);
export async function loadPlace(db: Db, id: number) {
  const place = await repo.findPlace(db, id);
  if (!place) throw notFound('Place');
  return place;
}
export async function loadNotice(db: Db, id: number) {
  const notice = await repo.findNotice(db, id);
  if (!notice) throw notFound('Notice');
  return { notice, operation: (await repo.findOperation(db, notice.operationId))! };
}
export const loadSources = (db: Db) => repo.listSources(db);
