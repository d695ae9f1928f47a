// Use case: save a movement's figures. One transaction locks the movement,
// writes the figures, appends the history and signals the change.
// Two modes: `merge` (the editor and the CSV import) applies only the fields
// the person changed since the figures they loaded (src/domain/count-merge.ts)
// and refuses field by field what both changed; without it the save demands
// the exact version the caller saw (undo, scripts).
import { conflict, notFound, validationError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { notifyChange } from '../store/notify.ts';
import {
  appendChangeSet,
  bumpMovementVersion,
  changeSetsAfterVersion,
  findCounts,
  lockMovement,
  lockMovementAtVersion,
  writeCounts,
} from '../store/repositories/counts.ts';
import { findMovement } from '../store/repositories/movements.ts';
import { mergeCounts, rewind } from './count-merge.ts';
import { type Counts, assertValidCounts, diffCounts } from './figures.ts';

export type Actor = { id: number | null; label: string };

export type UpdateCountsInput = {
  movementId: number;
  /** The movement version the figures were loaded at. */
  expectedVersion: number;
  /** The figures as typed (the whole grid). */
  counts: Counts;
  reason: string;
  sourceId: number | null;
  actor: Actor;
  asOf?: Date;
  revertsId?: number | null;
  /**
   * Field-level merge: apply only the fields that differ from `base` (the
   * values the form carried; read back from the history at `expectedVersion`
   * when absent). Without it the save needs `expectedVersion` to be current.
   */
  merge?: { base?: Counts };
};

export type UpdateCountsResult = { changed: boolean; version: number; changeSetId?: number; kept?: string[] };

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

const stale = (found: NonNullable<Awaited<ReturnType<typeof findMovement>>>, extra: object = {}) =>
  conflict('Someone else changed this movement since you loaded it.', {
    currentVersion: found.movement.version,
    updatedBy: found.updatedByName,
    updatedAt: found.movement.updatedAt,
    ...extra,
  });

/** What to write: the merged figures (merge mode) or the typed ones at the exact version. */
async function target(
  tx: Db,
  input: UpdateCountsInput,
  found: NonNullable<Awaited<ReturnType<typeof findMovement>>>,
) {
  if (!input.merge) {
    const locked = await lockMovementAtVersion(tx, input.movementId, input.expectedVersion);
    if (!locked) throw stale(found);
    return { version: input.expectedVersion, next: input.counts, kept: [] as string[] };
  }
  const locked = await lockMovement(tx, input.movementId);
  if (!locked) throw notFound('Movement');
  if (input.expectedVersion > locked.version) throw validationError({ version: 'field.unknown_id' });
  const current = await findCounts(tx, input.movementId);
  const later =
    locked.version === input.expectedVersion
      ? []
      : await changeSetsAfterVersion(tx, input.movementId, input.expectedVersion);
  const rewound = rewind(current, later);
  const merged = mergeCounts(input.merge.base ?? rewound.base, input.counts, current, rewound.authors);
  if (merged.conflicts.length) throw stale(found, { fields: merged.conflicts });
  assertValidCounts(merged.next);
  return { version: locked.version, next: merged.next, kept: merged.kept };
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
  const { version: lockedVersion, next, kept } = await target(tx, input, found);
  const before = await findCounts(tx, input.movementId);
  const changes = diffCounts(before, next);
  if (changes.length === 0) return { changed: false, version: lockedVersion, kept };
  await writeCounts(tx, input.movementId, next, {
    sourceId: input.sourceId,
    actorId: input.actor.id,
  });
  const version = await bumpMovementVersion(tx, input.movementId, lockedVersion, input.actor.id);
  if (version === undefined) throw stale(found);
  const changeSetId = await appendChangeSet(
    tx,
    {
      movementId: input.movementId,
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      reason,
      sourceId: input.sourceId,
      asOf: input.asOf,
      versionBefore: lockedVersion,
      versionAfter: version,
      revertsId: input.revertsId ?? null,
    },
    changes,
  );
  await notifyChange(tx, { operationId: found.operationId, kind: 'counts' });
  return { changed: true, version, changeSetId, kept };
}

export type { Counts };
