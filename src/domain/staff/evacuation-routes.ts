// Use cases for evacuation routes and their legs (admin), and the border-crossing
// status officers report. A leg carries its route's version: adding one bumps it.
import { notFound, validationError } from '../../errors.ts';
import type { Localized, LocalizedText } from '../../../db/schema.ts';
import type { Db } from '../../store/database.ts';
import { notifyChange } from '../../store/notify.ts';
import * as repo from '../../store/repositories/workspace.ts';
import type { CrossingStatus, LegMode } from '../vocabulary.ts';
import { type Actor, type StaffDeps, staleVersion } from './common.ts';
import { type Saved, auditCreated, editVersioned } from './edit-versioned.ts';

export type RouteInput = {
  slug: string;
  names: LocalizedText;
  position: number;
  publicNotes: Localized;
  staffNote: string | null;
  sourceId: number | null;
};

async function checkRoute(tx: Db, operationId: number, input: RouteInput, exceptId?: number) {
  const errors: Record<string, string> = {};
  if (await repo.routeSlugTaken(tx, operationId, input.slug, exceptId)) errors.slug = 'field.taken';
  if (input.sourceId !== null && !(await repo.findSource(tx, input.sourceId)))
    errors.sourceId = 'field.unknown_id';
  if (Object.keys(errors).length) throw validationError(errors);
}

export async function createRoute(
  deps: StaffDeps,
  input: { operationId: number; fields: RouteInput; actor: Actor },
) {
  return deps.db.transaction(async (tx) => {
    if (!(await repo.findOperation(tx, input.operationId)))
      throw validationError({ operationId: 'field.unknown_id' });
    await checkRoute(tx, input.operationId, input.fields);
    const row = await repo.insertRoute(tx, { ...input.fields, operationId: input.operationId });
    await auditCreated(tx, input.actor, 'route', row.id, input.fields);
    await notifyChange(tx, { operationId: input.operationId, kind: 'route' });
    return { id: row.id };
  });
}

export async function editRoute(
  deps: StaffDeps,
  input: { routeId: number; expectedVersion: number; fields: RouteInput; actor: Actor },
): Promise<Saved> {
  return editVersioned(deps, {
    expectedVersion: input.expectedVersion,
    actor: input.actor,
    audit: { entity: 'route', what: 'Route' },
    find: (tx) => repo.findRoute(tx, input.routeId),
    check: async (tx, current) => {
      await checkRoute(tx, current.operationId, input.fields, current.id);
      return input.fields;
    },
    apply: (tx, current, values) => repo.updateRoute(tx, current.id, input.expectedVersion, values),
    notify: (tx, current) => notifyChange(tx, { operationId: current.operationId, kind: 'route' }),
  });
}

export type LegInput = {
  fromPlaceId: number;
  toPlaceId: number;
  mode: LegMode;
  crossesBorder: boolean;
  crossingStatus: CrossingStatus | null;
};

async function checkLeg(tx: Db, input: LegInput) {
  const errors: Record<string, string> = {};
  if (!(await repo.findPlace(tx, input.fromPlaceId))) errors.fromPlaceId = 'field.unknown_id';
  if (!(await repo.findPlace(tx, input.toPlaceId))) errors.toPlaceId = 'field.unknown_id';
  if (!errors.toPlaceId && input.fromPlaceId === input.toPlaceId) errors.toPlaceId = 'leg.same_place';
  if (!input.crossesBorder && input.crossingStatus !== null) errors.crossingStatus = 'leg.not_a_crossing';
  if (Object.keys(errors).length) throw validationError(errors);
}

/** Adding a leg changes the route: it carries the route's version, so it bumps it. */
export async function addLeg(
  deps: StaffDeps,
  input: { routeId: number; expectedRouteVersion: number; fields: LegInput; actor: Actor },
) {
  return deps.db.transaction(async (tx) => {
    const route = await repo.findRoute(tx, input.routeId);
    if (!route) throw notFound('Route');
    if (route.version !== input.expectedRouteVersion) await staleVersion(tx, 'route', route.id, route);
    await checkLeg(tx, input.fields);
    const position = await repo.nextLegPosition(tx, route.id);
    const row = await repo.insertLeg(tx, { ...input.fields, routeId: route.id, position });
    const bumped = await repo.updateRoute(tx, route.id, input.expectedRouteVersion, {});
    if (!bumped) return staleVersion(tx, 'route', route.id, route);
    await auditCreated(tx, input.actor, 'leg', row.id, { ...input.fields, routeId: route.id, position });
    await notifyChange(tx, { operationId: route.operationId, kind: 'leg' });
    return { id: row.id };
  });
}

export async function editLeg(
  deps: StaffDeps,
  input: { legId: number; expectedVersion: number; fields: LegInput; actor: Actor; action?: string },
): Promise<Saved> {
  return editVersioned(deps, {
    expectedVersion: input.expectedVersion,
    actor: input.actor,
    audit: { entity: 'leg', what: 'Leg', action: input.action },
    find: (tx) => repo.findLeg(tx, input.legId),
    check: async (tx) => {
      await checkLeg(tx, input.fields);
      return input.fields;
    },
    apply: (tx, current, values) => repo.updateLeg(tx, current.id, input.expectedVersion, values),
    notify: async (tx, current) => {
      const route = (await repo.findRoute(tx, current.routeId))!;
      await repo.touchRoute(tx, route.id);
      await notifyChange(tx, { operationId: route.operationId, kind: 'leg' });
    },
  });
}

/** Officers report a border crossing's status without touching the rest of the leg. */
export async function setCrossingStatus(
  deps: StaffDeps,
  input: { legId: number; expectedVersion: number; status: CrossingStatus | null; actor: Actor },
): Promise<Saved> {
  const leg = await repo.findLeg(deps.db, input.legId);
  if (!leg) throw notFound('Leg');
  if (!leg.crossesBorder) throw validationError({ crossingStatus: 'leg.not_a_crossing' });
  return editLeg(deps, {
    legId: leg.id,
    expectedVersion: input.expectedVersion,
    fields: { ...leg, crossingStatus: input.status },
    actor: input.actor,
    action: 'crossing',
  });
}
