// Use case: save a movement's figures. One transaction locks the movement,
// writes the figures, appends the history and signals the change.
// Two modes: `merge` (the editor and the CSV import) applies only the fields
// the person changed since the figures they loaded (src/domain/count-merge.ts)
// and refuses field by field what both changed; without it the save demands
// the exact version the caller saw (undo, scripts).
import { type Clock, systemClock } from '../clock.ts';
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
import { fieldsTrueLater, figuresAsOf, figuresAtVersion } from '../store/repositories/as-of.ts';
import { findMovement } from '../store/repositories/movements.ts';
import { mergeCounts, rewind } from './count-merge.ts';
import { type CountChange, type Counts, assertValidCounts, diffCounts, emptyCounts } from './figures.ts';

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
  /** When the figures were true (default: now). An earlier moment is a correction of that time. */
  asOf?: Date;
  /** False when the source gave a day and no time. */
  asOfTimeKnown?: boolean;
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
  deps: { db: Db; clock?: Clock },
  input: UpdateCountsInput,
): Promise<UpdateCountsResult> {
  assertReason(input.reason);
  assertValidCounts(input.counts);
  const recordedAt = (deps.clock ?? systemClock).now();
  return deps.db.transaction((tx) => updateMovementCountsInTx(tx, input, recordedAt));
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
  // Without the form's base, the figures as they stood at the caller's version, from the history.
  const stoodAt =
    later.length && !input.merge.base
      ? await figuresAtVersion(tx, input.movementId, input.expectedVersion)
      : undefined;
  const rewound = rewind(current, later, stoodAt);
  const merged = mergeCounts(input.merge.base ?? rewound.base, input.counts, current, rewound.authors);
  if (merged.conflicts.length) throw stale(found, { fields: merged.conflicts });
  assertValidCounts(merged.next);
  return { version: locked.version, next: merged.next, kept: merged.kept };
}

/**
 * The same save inside a caller's transaction (a CSV import applies many in one).
 * `recordedAt` is when we record it, from the caller's clock: the figures' as-of when the
 * source gave none, and the figures' "updated" time.
 */
export async function updateMovementCountsInTx(
  tx: Db,
  input: UpdateCountsInput,
  recordedAt: Date,
): Promise<UpdateCountsResult> {
  const reason = assertReason(input.reason);
  assertValidCounts(input.counts);
  const found = await findMovement(tx, input.movementId);
  if (!found) throw notFound('Movement');
  const { version: lockedVersion, next, kept } = await target(tx, input, found);
  const before = await findCounts(tx, input.movementId);
  // The merged figures, placed in time: a correction as of an earlier moment lands there.
  const { changes, live } = await placeInTime(tx, { ...input, counts: next }, before);
  if (changes.length === 0) return { changed: false, version: lockedVersion, kept };
  assertValidCounts(live);
  await writeCounts(tx, input.movementId, live, {
    sourceId: input.sourceId,
    actorId: input.actor.id,
    at: recordedAt,
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
      asOf: input.asOf ?? recordedAt,
      asOfTimeKnown: input.asOfTimeKnown ?? true,
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
