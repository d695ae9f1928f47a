// Current figures and their history. The current row is what the public page
// reads; history is append-only and never summed to get current figures.
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { countChangeSets, countChanges, movements, passengerCounts } from '../../../db/schema.ts';
import {
  type CountChange,
  type Counts,
  FIELDS,
  STAGES,
  type Stage,
  type Field,
  emptyCounts,
} from '../../domain/figures.ts';
import type { Db } from '../database.ts';

export type CountsRow = typeof passengerCounts.$inferSelect;
type CountsColumns = Omit<
  CountsRow,
  | 'movementId'
  | 'sourceId'
  | 'updatedAt'
  | 'updatedBy'
  | 'figuresAsOf'
  | 'figuresAsOfTimeKnown'
  | 'registeredAsOf'
>;

const column = (stage: Stage, field: Field) =>
  `${stage}${field === 'total' ? 'Total' : field[0]!.toUpperCase() + field.slice(1)}` as keyof CountsColumns;

export function rowToCounts(row: Partial<CountsRow> | undefined): Counts {
  const counts = emptyCounts();
  if (!row) return counts;
  for (const stage of STAGES)
    for (const field of FIELDS) counts[stage][field] = row[column(stage, field)] ?? null;
  return counts;
}

export function countsToColumns(counts: Counts): CountsColumns {
  const cols = {} as CountsColumns;
  for (const stage of STAGES) for (const field of FIELDS) cols[column(stage, field)] = counts[stage][field];
  return cols;
}

export async function findCounts(db: Db, movementId: number): Promise<Counts> {
  const [row] = await db.select().from(passengerCounts).where(eq(passengerCounts.movementId, movementId));
  return rowToCounts(row);
}

export async function countsForMovements(db: Db, movementIds: number[]): Promise<Map<number, CountsRow>> {
  if (movementIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(passengerCounts)
    .where(inArray(passengerCounts.movementId, movementIds));
  return new Map(rows.map((r) => [r.movementId, r]));
}

/** Lock a movement for a write if it still has the version the writer saw. */
export async function lockMovementAtVersion(db: Db, movementId: number, version: number) {
  const [row] = await db
    .select({ id: movements.id, version: movements.version })
    .from(movements)
    .where(and(eq(movements.id, movementId), eq(movements.version, version)))
    .for('update');
  return row;
}

/** Lock a movement row for a merge save, whatever its version; its version now. */
export async function lockMovement(db: Db, movementId: number) {
  const [row] = await db
    .select({ id: movements.id, version: movements.version })
    .from(movements)
    .where(eq(movements.id, movementId))
    .for('update');
  return row;
}

/** The change sets recorded after `version` (newest first), with their fields. */
export async function changeSetsAfterVersion(db: Db, movementId: number, version: number) {
  const sets = await db
    .select()
    .from(countChangeSets)
    .where(and(eq(countChangeSets.movementId, movementId), gt(countChangeSets.versionAfter, version)))
    .orderBy(desc(countChangeSets.id));
  const ids = sets.map((s) => s.id);
  const changes = ids.length
    ? await db
        .select()
        .from(countChanges)
        .where(inArray(countChanges.changeSetId, ids))
        .orderBy(countChanges.id)
    : [];
  return sets.map((s) => ({ ...s, changes: changes.filter((c) => c.changeSetId === s.id) }));
}

/** Bump the version only if it is still `version`; `.returning()` behaves alike on both drivers. */
export async function bumpMovementVersion(
  db: Db,
  movementId: number,
  version: number,
  actorId: number | null,
) {
  const [row] = await db
    .update(movements)
    .set({ version: sql`${movements.version} + 1`, updatedAt: sql`now()`, updatedBy: actorId })
    .where(and(eq(movements.id, movementId), eq(movements.version, version)))
    .returning({ version: movements.version });
  return row?.version;
}

export async function writeCounts(
  db: Db,
  movementId: number,
  counts: Counts,
  meta: { sourceId: number | null; actorId: number | null; at: Date },
) {
  const values = {
    ...countsToColumns(counts),
    sourceId: meta.sourceId,
    updatedBy: meta.actorId,
    updatedAt: meta.at,
  };
  await db
    .insert(passengerCounts)
    .values({ movementId, ...values })
    .onConflictDoUpdate({ target: passengerCounts.movementId, set: values });
}

export type NewChangeSet = {
  movementId: number;
  actorId: number | null;
  actorLabel: string;
  reason: string;
  sourceId: number | null;
  /** When the figures were true (the save's own time when the source gave none). */
  asOf: Date;
  /** False when the source gave a day and no time (asOf is then that day's midnight). */
  asOfTimeKnown?: boolean;
  versionBefore: number;
  versionAfter: number;
  revertsId?: number | null;
};

export async function appendChangeSet(db: Db, set: NewChangeSet, changes: CountChange[]): Promise<number> {
  const [row] = await db
    .insert(countChangeSets)
    .values(set)
    .returning({ id: countChangeSets.id, asOf: countChangeSets.asOf });
  const changeSetId = row!.id;
  if (changes.length > 0) {
    await db.insert(countChanges).values(changes.map((c) => ({ ...c, changeSetId })));
    await noteAsOf(db, { ...set, asOf: row!.asOf }, changes);
  }
  return changeSetId;
}

export async function findChangeSet(db: Db, id: number) {
  const [set] = await db.select().from(countChangeSets).where(eq(countChangeSets.id, id));
  if (!set) return undefined;
  const changes = await db
    .select()
    .from(countChanges)
    .where(eq(countChanges.changeSetId, id))
    .orderBy(countChanges.id);
  return { ...set, changes };
}

/** Newest first; `limit` bounds the read however long the history grows. */
export async function listChangeSets(db: Db, filter: { movementId?: number; actorId?: number }, limit = 100) {
  const where = filter.movementId
    ? eq(countChangeSets.movementId, filter.movementId)
    : filter.actorId
      ? eq(countChangeSets.actorId, filter.actorId)
      : undefined;
  const sets = await db
    .select()
    .from(countChangeSets)
    .where(where)
    .orderBy(desc(countChangeSets.id))
    .limit(limit);
  const ids = sets.map((s) => s.id);
  const changes = ids.length
    ? await db
        .select()
        .from(countChanges)
        .where(inArray(countChanges.changeSetId, ids))
        .orderBy(countChanges.id)
    : [];
  return sets.map((s) => ({ ...s, changes: changes.filter((c) => c.changeSetId === s.id) }));
}

/**
 * Keeps the movement's current row dated: the latest as-of among the change sets that
 * changed a figure (ties: this later one), and among those that changed a registered one.
 * (Every expression reads the row as it was: PostgreSQL evaluates SET against the old row.)
 */
async function noteAsOf(db: Db, set: NewChangeSet, changes: CountChange[]) {
  const at = sql`${set.asOf.toISOString()}::timestamptz`;
  const registered = changes.some((c) => c.stage === 'registered');
  await db
    .update(passengerCounts)
    .set({
      figuresAsOfTimeKnown: sql`CASE WHEN ${passengerCounts.figuresAsOf} IS NULL OR ${at} >= ${passengerCounts.figuresAsOf} THEN ${set.asOfTimeKnown ?? true} ELSE ${passengerCounts.figuresAsOfTimeKnown} END`,
      figuresAsOf: sql`GREATEST(${passengerCounts.figuresAsOf}, ${at})`,
      ...(registered ? { registeredAsOf: sql`GREATEST(${passengerCounts.registeredAsOf}, ${at})` } : {}),
    })
    .where(eq(passengerCounts.movementId, set.movementId));
}
