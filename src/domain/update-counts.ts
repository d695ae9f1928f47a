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
import { findMovement } from '../store/repositories/movements.ts';
import { type Counts, assertValidCounts, diffCounts } from './figures.ts';

export type Actor = { id: number | null; label: string };

export type UpdateCountsInput = {
  movementId: number;
  expectedVersion: number;
  counts: Counts;
  reason: string;
  sourceId: number | null;
  actor: Actor;
  asOf?: Date;
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
  const changes = diffCounts(before, input.counts);
  if (changes.length === 0) return { changed: false, version: input.expectedVersion };
  await writeCounts(tx, input.movementId, input.counts, {
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
