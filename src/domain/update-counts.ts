// Use case: save a movement's figures. One transaction checks the version the
// editor loaded, writes the figures, appends the history and signals the change.
import { conflict, notFound, validationError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { notifyChange } from '../store/notify.ts';
import {
  appendChangeSet,
  bumpMovementVersion,
  findCounts,
  lockMovementAtVersion,
  writeCounts,
} from '../store/repositories/counts.ts';
import { fieldsTrueLater, figuresAsOf } from '../store/repositories/as-of.ts';
import { findMovement } from '../store/repositories/movements.ts';
import { type CountChange, type Counts, assertValidCounts, diffCounts, emptyCounts } from './figures.ts';

export type Actor = { id: number | null; label: string };

export type UpdateCountsInput = {
  movementId: number;
  expectedVersion: number;
  counts: Counts;
  reason: string;
  sourceId: number | null;
  actor: Actor;
  /** When the figures were true (default: now). An earlier moment is a correction of that time. */
  asOf?: Date;
  /** False when the source gave a day and no time. */
  asOfTimeKnown?: boolean;
  revertsId?: number | null;
};

export type UpdateCountsResult = { changed: boolean; version: number; changeSetId?: number };

export function assertReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw validationError({ reason: 'reason.required' });
  if (trimmed.length > 1000) throw validationError({ reason: 'reason.too_long' });
  return trimmed;
}

export async function updateMovementCounts(
  deps: { db: Db },
  input: UpdateCountsInput,
): Promise<UpdateCountsResult> {
  assertReason(input.reason);
  assertValidCounts(input.counts);
  return deps.db.transaction((tx) => updateMovementCountsInTx(tx, input));
}

/** The same save inside a caller's transaction (a CSV import applies many in one). */
export async function updateMovementCountsInTx(
  tx: Db,
  input: UpdateCountsInput,
): Promise<UpdateCountsResult> {
  const reason = assertReason(input.reason);
  assertValidCounts(input.counts);
  const found = await findMovement(tx, input.movementId);
  if (!found) throw notFound('Movement');
  const locked = await lockMovementAtVersion(tx, input.movementId, input.expectedVersion);
  if (!locked) {
    throw conflict('Someone else changed this movement since you loaded it.', {
      currentVersion: found.movement.version,
      updatedBy: found.updatedByName,
      updatedAt: found.movement.updatedAt,
    });
  }
  const before = await findCounts(tx, input.movementId);
  const { changes, live } = await placeInTime(tx, input, before);
  if (changes.length === 0) return { changed: false, version: input.expectedVersion };
  assertValidCounts(live);
  await writeCounts(tx, input.movementId, live, {
    sourceId: input.sourceId,
    actorId: input.actor.id,
  });
  const version = await bumpMovementVersion(tx, input.movementId, input.expectedVersion, input.actor.id);
  if (version === undefined) throw conflict('Someone else changed this movement since you loaded it.');
  const changeSetId = await appendChangeSet(
    tx,
    {
      movementId: input.movementId,
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      reason,
      sourceId: input.sourceId,
      asOf: input.asOf,
      asOfTimeKnown: input.asOfTimeKnown ?? true,
      versionBefore: input.expectedVersion,
      versionAfter: version,
      revertsId: input.revertsId ?? null,
    },
    changes,
  );
  await notifyChange(tx, { operationId: found.operationId, kind: 'counts' });
  return { changed: true, version, changeSetId };
}

export type { Counts };

/**
 * Where a save lands in time. The fields the editor changed (typed ≠ current) are
 * recorded as of `asOf`, their old values being those true as of `asOf`. The current
 * figures take a field's new value unless the history holds that field as of a later
 * moment: a correction of 3 March entered on 5 March does not undo 4 March's figure.
 * So the current figures are always the history replayed in as-of order (as-of.ts).
 */
async function placeInTime(
  tx: Db,
  input: UpdateCountsInput,
  current: Counts,
): Promise<{ changes: CountChange[]; live: Counts }> {
  const edited = diffCounts(current, input.counts);
  if (!input.asOf || edited.length === 0) return { changes: edited, live: input.counts };
  const later = await fieldsTrueLater(tx, input.movementId, input.asOf);
  if (later.size === 0) return { changes: edited, live: input.counts };
  const then = emptyCounts();
  for (const f of await figuresAsOf(tx, [input.movementId], input.asOf)) then[f.stage][f.field] = f.value;
  const live = structuredClone(current);
  const changes: CountChange[] = [];
  for (const c of edited) {
    if (!later.has(`${c.stage}.${c.field}`)) live[c.stage][c.field] = c.newValue;
    const oldValue = then[c.stage][c.field];
    if (oldValue !== c.newValue) changes.push({ ...c, oldValue });
  }
  return { changes, live };
}
