// Reads of the history by "as of" (when a figure was true), not by write time:
// the figures as they stood at a moment, rebuilt from count change sets, and
// what was recorded later than a moment. See docs/CONTEXT.md ("as of").
import { type SQL, and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { countChangeSets, countChanges, movements, operations, routes } from '../../../db/schema.ts';
import type { Field, Stage } from '../../domain/figures.ts';
import type { Db } from '../database.ts';

export type FigureAsOf = {
  movementId: number;
  stage: Stage;
  field: Field;
  value: number | null;
  asOf: Date;
  asOfTimeKnown: boolean;
  sourceId: number | null;
  recordedAt: Date;
};

// Every read here is of count change sets joined to the fields each one changed,
// for a list of movements; they differ in which rows they keep and their order.

/** The columns of a FigureAsOf: a field's recorded value, when it was true, and its source. */
const figureColumns = {
  movementId: countChangeSets.movementId,
  stage: countChanges.stage,
  field: countChanges.field,
  value: countChanges.newValue,
  asOf: countChangeSets.asOf,
  asOfTimeKnown: countChangeSets.asOfTimeKnown,
  sourceId: countChangeSets.sourceId,
  recordedAt: countChangeSets.createdAt,
};

/** Joins a change set to the fields it changed. */
const fieldsOfSet = eq(countChanges.changeSetId, countChangeSets.id);

/** The changes of these movements that also meet `conditions` (undefined ones are ignored). */
const ofMovements = (movementIds: number[], ...conditions: (SQL | undefined)[]) =>
  and(inArray(countChangeSets.movementId, movementIds), ...conditions);

/**
 * Each movement's last recorded value of each figure with as-of ≤ `at` (ties by
 * the order recorded): one indexed pass, one row per (movement, stage, field).
 */
export async function figuresAsOf(db: Db, movementIds: number[], at: Date): Promise<FigureAsOf[]> {
  if (movementIds.length === 0) return [];
  const rows = await db
    .selectDistinctOn([countChangeSets.movementId, countChanges.stage, countChanges.field], figureColumns)
    .from(countChangeSets)
    .innerJoin(countChanges, fieldsOfSet)
    .where(ofMovements(movementIds, lte(countChangeSets.asOf, at)))
    .orderBy(
      countChangeSets.movementId,
      countChanges.stage,
      countChanges.field,
      sql`${countChangeSets.asOf} DESC`,
      sql`${countChangeSets.id} DESC`,
    );
  return rows;
}

/**
 * One movement's figures as they stood when its version was `version`: each field's value
 * with the latest as-of among the change sets recorded up to that version (ties by the order
 * recorded) — the history replayed in as-of order, as the live figures always are. Unlike the
 * old values of the later change sets, right when one of those was a correction of an earlier
 * moment (its old value is the one true then, not the one standing at the time).
 */
export async function figuresAtVersion(db: Db, movementId: number, version: number): Promise<FigureAsOf[]> {
  return db
    .selectDistinctOn([countChanges.stage, countChanges.field], figureColumns)
    .from(countChangeSets)
    .innerJoin(countChanges, fieldsOfSet)
    .where(ofMovements([movementId], lte(countChangeSets.versionAfter, version)))
    .orderBy(
      countChanges.stage,
      countChanges.field,
      sql`${countChangeSets.asOf} DESC`,
      sql`${countChangeSets.id} DESC`,
    );
}

/** The figures of one movement ("registered.total", …) recorded as of a moment later than `asOf`. */
export async function fieldsTrueLater(db: Db, movementId: number, asOf: Date): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ stage: countChanges.stage, field: countChanges.field })
    .from(countChangeSets)
    .innerJoin(countChanges, fieldsOfSet)
    .where(ofMovements([movementId], gt(countChangeSets.asOf, asOf)));
  return new Set(rows.map((r) => `${r.stage}.${r.field}`));
}

/**
 * The earliest moment an operation's history speaks of: its creation, or an earlier
 * as-of or event time. Staff may not date a figure before it (docs/CONTEXT.md).
 */
export async function operationStartedAt(db: Db, operationId: number): Promise<Date | undefined> {
  const [op] = await db
    .select({ createdAt: operations.createdAt })
    .from(operations)
    .where(eq(operations.id, operationId));
  if (!op) return undefined;
  const [events] = await db
    .select({
      departed: sql<Date | string | null>`min(${movements.departedAt})`,
      status: sql<Date | string | null>`min(${movements.statusAsOf})`,
      figures: sql<Date | string | null>`min(${countChangeSets.asOf})`,
    })
    .from(movements)
    .innerJoin(routes, eq(routes.id, movements.routeId))
    .leftJoin(countChangeSets, eq(countChangeSets.movementId, movements.id))
    .where(eq(routes.operationId, operationId));
  const times = [op.createdAt, events?.departed, events?.status, events?.figures]
    .filter((t): t is Date | string => t !== null && t !== undefined)
    .map((t) => new Date(t).getTime());
  return new Date(Math.min(...times));
}

export type LateCorrection = {
  movementId: number;
  stage: Stage;
  field: Field;
  oldValue: number | null;
  newValue: number | null;
  asOf: Date;
  recordedAt: Date;
};

/**
 * Figures as of `to` or earlier, recorded after `since` (when a day's digest was first
 * built): the corrections a re-run of that day reports.
 */
export async function correctionsOf(
  db: Db,
  movementIds: number[],
  since: Date,
  to: Date,
): Promise<LateCorrection[]> {
  if (movementIds.length === 0) return [];
  return db
    .select({
      movementId: countChangeSets.movementId,
      stage: countChanges.stage,
      field: countChanges.field,
      oldValue: countChanges.oldValue,
      newValue: countChanges.newValue,
      asOf: countChangeSets.asOf,
      recordedAt: countChangeSets.createdAt,
    })
    .from(countChangeSets)
    .innerJoin(countChanges, fieldsOfSet)
    .where(ofMovements(movementIds, lte(countChangeSets.asOf, to), gt(countChangeSets.createdAt, since)))
    .orderBy(countChangeSets.id, countChanges.id);
}

/**
 * Every recorded value of the movements' figures (with as-of ≤ `until`, if given), in as-of order
 * (ties in the order recorded): what the public "as of" points replay day by day.
 */
export async function figureHistory(db: Db, movementIds: number[], until?: Date): Promise<FigureAsOf[]> {
  if (movementIds.length === 0) return [];
  return db
    .select(figureColumns)
    .from(countChangeSets)
    .innerJoin(countChanges, fieldsOfSet)
    .where(ofMovements(movementIds, until ? lte(countChangeSets.asOf, until) : undefined))
    .orderBy(countChangeSets.asOf, countChangeSets.id, countChanges.id);
}
