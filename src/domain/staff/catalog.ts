// Use cases for what admins shape (operations with their settings, places,
// routes and legs) and what officers keep current (border-crossing status,
// pinned notices). Each is one transaction: version check, write, audit, signal.
import { notFound, validationError } from '../../errors.ts';
import type { Localized, LocalizedText } from '../../../db/schema.ts';
import type { Db } from '../../store/database.ts';
import { notifyChange } from '../../store/notify.ts';
import { type AuditEntity, appendAudit } from '../../store/repositories/audit.ts';
import * as repo from '../../store/repositories/workspace.ts';
import {
  type Actor,
  type StaffDeps,
  changedFields,
  isTimeZone,
  localToInstant,
  staleVersion,
} from './common.ts';

type Saved = { id: number; version: number; changed: boolean };

async function audit(
  tx: Db,
  actor: Actor,
  entity: AuditEntity,
  entityId: number,
  action: string,
  diff: { before?: unknown; after?: unknown },
) {
  await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, entity, entityId, action, ...diff });
}

// ---- operations and their settings (admin)

export type OperationInput = {
  slug: string;
  names: LocalizedText;
  timeZone: string;
  isPublic: boolean;
  status: 'active' | 'closed';
  staleAfterHours: number;
  smallCountThreshold: number;
  publicationDelayMinutes: number;
  digestTime: string;
};

async function checkOperation(tx: Db, input: OperationInput, exceptId?: number) {
  const errors: Record<string, string> = {};
  if (!isTimeZone(input.timeZone)) errors.timeZone = 'field.time_zone';
  if (await repo.slugTaken(tx, 'operations', input.slug, exceptId)) errors.slug = 'field.taken';
  if (Object.keys(errors).length) throw validationError(errors);
}

export async function createOperation(deps: StaffDeps, input: { fields: OperationInput; actor: Actor }) {
  return deps.db.transaction(async (tx) => {
    await checkOperation(tx, input.fields);
    const row = await repo.insertOperation(tx, input.fields);
    await audit(tx, input.actor, 'operation', row.id, 'create', { after: input.fields });
    await notifyChange(tx, { operationId: row.id, kind: 'operation' });
    return { id: row.id };
  });
}

export async function editOperation(
  deps: StaffDeps,
  input: { operationId: number; expectedVersion: number; fields: OperationInput; actor: Actor },
): Promise<Saved> {
  return deps.db.transaction(async (tx) => {
    const current = await repo.findOperation(tx, input.operationId);
    if (!current) throw notFound('Operation');
    if (current.version !== input.expectedVersion) await staleVersion(tx, 'operation', current.id, current);
    await checkOperation(tx, input.fields, current.id);
    const closedAt = input.fields.status === 'closed' ? (current.closedAt ?? new Date()) : null;
    const diff = changedFields(current, { ...input.fields, closedAt });
    if (!diff.changed) return { id: current.id, version: current.version, changed: false };
    const row = await repo.updateOperation(tx, current.id, input.expectedVersion, {
      ...input.fields,
      closedAt,
    });
    if (!row) return staleVersion(tx, 'operation', current.id, current);
    await audit(tx, input.actor, 'operation', current.id, 'edit', diff);
    await notifyChange(tx, { operationId: current.id, kind: 'operation' });
    return { id: row.id, version: row.version, changed: true };
  });
}

// ---- places (admin)

export type PlaceInput = {
  slug: string;
  names: LocalizedText;
  countryCode: string;
  kind: 'city' | 'airport' | 'border_crossing' | 'country';
};

export async function createPlace(deps: StaffDeps, input: { fields: PlaceInput; actor: Actor }) {
  return deps.db.transaction(async (tx) => {
    if (await repo.slugTaken(tx, 'places', input.fields.slug)) throw validationError({ slug: 'field.taken' });
    const row = await repo.insertPlace(tx, input.fields);
    await audit(tx, input.actor, 'place', row.id, 'create', { after: input.fields });
    return { id: row.id };
  });
}

export async function editPlace(
  deps: StaffDeps,
  input: { placeId: number; expectedVersion: number; fields: PlaceInput; actor: Actor },
): Promise<Saved> {
  return deps.db.transaction(async (tx) => {
    const current = await repo.findPlace(tx, input.placeId);
    if (!current) throw notFound('Place');
    if (current.version !== input.expectedVersion) await staleVersion(tx, 'place', current.id, current);
    if (await repo.slugTaken(tx, 'places', input.fields.slug, current.id))
      throw validationError({ slug: 'field.taken' });
    const diff = changedFields(current, input.fields);
    if (!diff.changed) return { id: current.id, version: current.version, changed: false };
    const row = await repo.updatePlace(tx, current.id, input.expectedVersion, input.fields);
    if (!row) return staleVersion(tx, 'place', current.id, current);
    await audit(tx, input.actor, 'place', current.id, 'edit', diff);
    for (const operationId of await repo.operationsUsingPlace(tx, current.id))
      await notifyChange(tx, { operationId, kind: 'place' });
    return { id: row.id, version: row.version, changed: true };
  });
}

// ---- routes and legs (admin)

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
    await audit(tx, input.actor, 'route', row.id, 'create', { after: input.fields });
    await notifyChange(tx, { operationId: input.operationId, kind: 'route' });
    return { id: row.id };
  });
}

export async function editRoute(
  deps: StaffDeps,
  input: { routeId: number; expectedVersion: number; fields: RouteInput; actor: Actor },
): Promise<Saved> {
  return deps.db.transaction(async (tx) => {
    const current = await repo.findRoute(tx, input.routeId);
    if (!current) throw notFound('Route');
    if (current.version !== input.expectedVersion) await staleVersion(tx, 'route', current.id, current);
    await checkRoute(tx, current.operationId, input.fields, current.id);
    const diff = changedFields(current, input.fields);
    if (!diff.changed) return { id: current.id, version: current.version, changed: false };
    const row = await repo.updateRoute(tx, current.id, input.expectedVersion, input.fields);
    if (!row) return staleVersion(tx, 'route', current.id, current);
    await audit(tx, input.actor, 'route', current.id, 'edit', diff);
    await notifyChange(tx, { operationId: current.operationId, kind: 'route' });
    return { id: row.id, version: row.version, changed: true };
  });
}

export type LegInput = {
  fromPlaceId: number;
  toPlaceId: number;
  mode: 'bus' | 'flight' | 'road' | 'rail' | 'ferry' | 'on_foot';
  crossesBorder: boolean;
  crossingStatus: 'open' | 'restricted' | 'closed' | null;
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
    await audit(tx, input.actor, 'leg', row.id, 'create', {
      after: { ...input.fields, routeId: route.id, position },
    });
    await notifyChange(tx, { operationId: route.operationId, kind: 'leg' });
    return { id: row.id };
  });
}

export async function editLeg(
  deps: StaffDeps,
  input: { legId: number; expectedVersion: number; fields: LegInput; actor: Actor; action?: string },
): Promise<Saved> {
  return deps.db.transaction(async (tx) => {
    const current = await repo.findLeg(tx, input.legId);
    if (!current) throw notFound('Leg');
    if (current.version !== input.expectedVersion) await staleVersion(tx, 'leg', current.id, current);
    await checkLeg(tx, input.fields);
    const diff = changedFields(current, input.fields);
    if (!diff.changed) return { id: current.id, version: current.version, changed: false };
    const row = await repo.updateLeg(tx, current.id, input.expectedVersion, input.fields);
    if (!row) return staleVersion(tx, 'leg', current.id, current);
    const route = (await repo.findRoute(tx, current.routeId))!;
    await repo.touchRoute(tx, route.id);
    await audit(tx, input.actor, 'leg', current.id, input.action ?? 'edit', diff);
    await notifyChange(tx, { operationId: route.operationId, kind: 'leg' });
    return { id: row.id, version: row.version, changed: true };
  });
}

/** Officers report a border crossing's status without touching the rest of the leg. */
export async function setCrossingStatus(
  deps: StaffDeps,
  input: {
    legId: number;
    expectedVersion: number;
    status: 'open' | 'restricted' | 'closed' | null;
    actor: Actor;
  },
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

// ---- pinned notices (officer)

export type NoticeInput = {
  bodies: LocalizedText;
  pinned: boolean;
  /** Wall-clock in the operation's zone, or null for "until unpinned". */
  expiresAt: string | null;
};

export async function createNotice(
  deps: StaffDeps & { now: Date },
  input: { operationId: number; fields: NoticeInput; actor: Actor },
) {
  return deps.db.transaction(async (tx) => {
    const operation = await repo.findOperation(tx, input.operationId);
    if (!operation) throw validationError({ operationId: 'field.unknown_id' });
    const expiresAt = localToInstant(input.fields.expiresAt, operation.timeZone, 'expiresAt');
    if (expiresAt && expiresAt <= deps.now) throw validationError({ expiresAt: 'field.in_past' });
    const values = { bodies: input.fields.bodies, pinned: input.fields.pinned, expiresAt };
    const row = await repo.insertNotice(tx, {
      ...values,
      operationId: operation.id,
      publishedAt: deps.now,
      createdBy: input.actor.id,
    });
    await audit(tx, input.actor, 'notice', row.id, 'create', { after: values });
    await notifyChange(tx, { operationId: operation.id, kind: 'notice' });
    return { id: row.id };
  });
}

export async function editNotice(
  deps: StaffDeps,
  input: { noticeId: number; expectedVersion: number; fields: NoticeInput; actor: Actor },
): Promise<Saved> {
  return deps.db.transaction(async (tx) => {
    const current = await repo.findNotice(tx, input.noticeId);
    if (!current) throw notFound('Notice');
    if (current.version !== input.expectedVersion) await staleVersion(tx, 'notice', current.id, current);
    const operation = (await repo.findOperation(tx, current.operationId))!;
    const expiresAt = localToInstant(input.fields.expiresAt, operation.timeZone, 'expiresAt');
    const values = { bodies: input.fields.bodies, pinned: input.fields.pinned, expiresAt };
    const diff = changedFields(current, values);
    if (!diff.changed) return { id: current.id, version: current.version, changed: false };
    const row = await repo.updateNotice(tx, current.id, input.expectedVersion, values);
    if (!row) return staleVersion(tx, 'notice', current.id, current);
    await audit(tx, input.actor, 'notice', current.id, 'edit', diff);
    await notifyChange(tx, { operationId: current.operationId, kind: 'notice' });
    return { id: row.id, version: row.version, changed: true };
  });
}
