// The snapshot: the current state of one operation, read in a handful of
// queries from the current tables (never by summing history). Every public
// view and the digest derive from it.
import type { Localized, LocalizedText, Quotation } from '../../db/schema.ts';
import type { Db } from '../store/database.ts';
import {
  type OperationRow,
  legsOfRoutes,
  movementsOfRoutes,
  noticesOfOperation,
  placesByIds,
  routesOfOperation,
  sourcesByIds,
} from '../store/repositories/catalog.ts';
import { countsForMovements } from '../store/repositories/counts.ts';
import { type ContactRow, contactsOfOperation } from '../store/repositories/contacts.ts';
import { type MovementDayChange, movementDayChanges } from '../store/repositories/audit.ts';
import { reschedulingsOf } from './reschedulings.ts';
import {
  type MovementMemo,
  type SnapshotMovement,
  perLanguage,
  snapshotMovement,
} from './snapshot-movement.ts';

export type SnapshotPlace = {
  id: number;
  slug: string;
  names: LocalizedText;
  countryCode: string;
  kind: string;
  /** For the public map; null when no one has set them. */
  latitude: number | null;
  longitude: number | null;
};
export type SnapshotSource = {
  id: number;
  slug: string;
  /** The title as published, in `language`. */
  title: string;
  /** The title per language (translations; the original may be among them). */
  titles: Localized;
  outlet: string;
  /** The outlet or speaker per language. */
  outlets: Localized;
  publishedOn: string;
  language: string;
  url: string | null;
  file: string | null;
};
export type SnapshotLeg = {
  id: number;
  position: number;
  from: SnapshotPlace;
  to: SnapshotPlace;
  mode: string;
  crossesBorder: boolean;
  crossingStatus: 'open' | 'restricted' | 'closed' | null;
  publicNotes: Localized;
  updatedAt: Date;
};
// Defined with the function that makes one (snapshot-movement.ts).
export type { SnapshotMovement };
export type SnapshotRoute = {
  id: number;
  slug: string;
  names: LocalizedText;
  position: number;
  publicNotes: Localized;
  publicQuote: Quotation | null;
  staffNote: string | null;
  sourceId: number | null;
  legs: SnapshotLeg[];
  movements: SnapshotMovement[];
  /** The latest change to the route, its legs, movements or figures. */
  updatedAt: Date;
};
export type SnapshotNotice = {
  id: number;
  bodies: Localized;
  pinned: boolean;
  publishedAt: Date;
  expiresAt: Date | null;
  /** The report the notice cites, and its words. */
  sourceId: number | null;
  quote: Quotation | null;
};

export type Snapshot = {
  operation: OperationRow;
  routes: SnapshotRoute[];
  sources: Map<number, SnapshotSource>;
  notices: SnapshotNotice[];
  /** Published "Help and contacts" items, in order. */
  contacts: ContactRow[];
  lastUpdatedAt: Date;
  takenAt: Date;
};

const latest = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

/** The rows of an operation's routes, legs, notices and contacts (few: read in full each time). */
export type OperationRows = Awaited<ReturnType<typeof readOperationRows>>;
/** The rows of its movements, their current figures and their day changes (many). */
export type MovementRows = {
  movementRows: Awaited<ReturnType<typeof movementsOfRoutes>>;
  countRows: Awaited<ReturnType<typeof countsForMovements>>;
  dayChanges: MovementDayChange[];
};

export async function readOperationRows(db: Db, operationId: number) {
  const routeRows = await routesOfOperation(db, operationId);
  // One after another: inside a transaction (loadPublicSnapshots) there is one connection.
  const legRows = await legsOfRoutes(
    db,
    routeRows.map((r) => r.id),
  );
  const noticeRows = await noticesOfOperation(db, operationId);
  const contactRows = await contactsOfOperation(db, operationId);
  return { routeRows, legRows, noticeRows, contactRows };
}

export async function readMovementRows(db: Db, routeIds: number[]): Promise<MovementRows> {
  const movementRows = await movementsOfRoutes(db, routeIds);
  const ids = movementRows.map((m) => m.id);
  const countRows = await countsForMovements(db, ids);
  const dayChanges = await movementDayChanges(db, ids);
  return { movementRows, countRows, dayChanges };
}

export async function loadSnapshot(deps: { db: Db; now: Date }, operation: OperationRow): Promise<Snapshot> {
  const own = await readOperationRows(deps.db, operation.id);
  const moving = await readMovementRows(
    deps.db,
    own.routeRows.map((r) => r.id),
  );
  return assembleSnapshot(deps, operation, own, moving);
}

/** The snapshot made of its rows (the places and sources they name read here). */
export async function assembleSnapshot(
  deps: { db: Db; now: Date; memo?: MovementMemo },
  operation: OperationRow,
  { routeRows, legRows, noticeRows, contactRows }: OperationRows,
  { movementRows, countRows, dayChanges }: MovementRows,
): Promise<Snapshot> {
  const { db } = deps;
  const reschedulings = reschedulingsOf(dayChanges);
  const byRoute = new Map<number, MovementRows['movementRows']>();
  for (const m of movementRows) {
    const list = byRoute.get(m.routeId);
    if (list) list.push(m);
    else byRoute.set(m.routeId, [m]);
  }
  const placeIds = [...new Set(legRows.flatMap((l) => [l.fromPlaceId, l.toPlaceId]))];
  const sourceIds = [
    ...new Set(
      [
        ...routeRows.map((r) => r.sourceId),
        ...movementRows.map((m) => m.sourceId),
        ...[...countRows.values()].map((c) => c.sourceId),
        // A notice's report is shown with it (and needs its translations) even when no
        // route, movement or figure cites it.
        ...noticeRows.filter((n) => !n.expiresAt || n.expiresAt > deps.now).map((n) => n.sourceId),
      ].filter((id): id is number => id !== null),
    ),
  ];
  const placeRows = await placesByIds(db, placeIds);
  const sourceRows = await sourcesByIds(db, sourceIds);
  const placesById = new Map(placeRows.map((p) => [p.id, p]));

  const routes: SnapshotRoute[] = routeRows.map((r) => {
    const routeLegs: SnapshotLeg[] = legRows
      .filter((l) => l.routeId === r.id)
      .map((l) => ({
        id: l.id,
        position: l.position,
        from: placesById.get(l.fromPlaceId)!,
        to: placesById.get(l.toPlaceId)!,
        mode: l.mode,
        crossesBorder: l.crossesBorder,
        crossingStatus: l.crossingStatus,
        publicNotes: l.publicNotes,
        updatedAt: l.updatedAt,
      }));
    const routeMovements = (byRoute.get(r.id) ?? []).map((m) =>
      snapshotMovement(m, countRows.get(m.id), reschedulings.get(m.id), operation.workingLanguage, {
        memo: deps.memo,
        dayChanges,
      }),
    );
    return {
      id: r.id,
      slug: r.slug,
      names: r.names,
      position: r.position,
      publicNotes: perLanguage(r.publicNotes, r.publicNote, operation.workingLanguage),
      publicQuote: r.publicQuote,
      staffNote: r.staffNote,
      sourceId: r.sourceId,
      legs: routeLegs,
      movements: routeMovements,
      updatedAt: latest([
        r.updatedAt,
        ...routeLegs.map((l) => l.updatedAt),
        ...routeMovements.map((m) => m.updatedAt),
      ]),
    };
  });
  return {
    operation,
    routes,
    sources: new Map(sourceRows.map((s) => [s.id, s])),
    notices: noticeRows
      .filter((n) => !n.expiresAt || n.expiresAt > deps.now)
      .map((n) => ({
        id: n.id,
        bodies: n.bodies,
        pinned: n.pinned,
        publishedAt: n.publishedAt,
        expiresAt: n.expiresAt,
        sourceId: n.sourceId,
        quote: n.quote,
      })),
    contacts: contactRows,
    lastUpdatedAt: latest([operation.updatedAt, ...routes.map((r) => r.updatedAt)]),
    takenAt: deps.now,
  };
}
