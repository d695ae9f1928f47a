// The public snapshots read again after a change, reading again only what changed
// (issue 21: a save touches one movement, one route and the operation). Kept per
// operation: its movements' rows, their figures and day changes, with their stamps
// (src/store/repositories/snapshot-stamps.ts), and the movements made of them (reused
// while their rows are the same objects). Each read, in one read-only,
// repeatable-read transaction as loadPublicSnapshots: the operation, its routes,
// legs, notices and contacts in full (few rows), the stamps, then only the movements
// whose row or figures changed; the day changes again only when their stamp moved.
// The snapshot is then made of the rows as a full read makes it (assembleSnapshot),
// so the two are equal (test/integration/snapshot-reader.test.ts). Every FULL_EVERY-th
// read is a full one, and so is the first of each operation.
import type { Db } from '../store/database.ts';
import { listPublicOperations } from '../store/repositories/catalog.ts';
import { countsForMovements } from '../store/repositories/counts.ts';
import { movementDayChanges } from '../store/repositories/audit.ts';
import {
  type MovementStamp,
  dayChangeStamp,
  movementStamps,
  movementsByIds,
} from '../store/repositories/snapshot-stamps.ts';
import type { MovementMemo } from './snapshot-movement.ts';
import {
  type MovementRows,
  type Snapshot,
  assembleSnapshot,
  readMovementRows,
  readOperationRows,
} from './snapshot.ts';

/** A full read this often, whatever the stamps say (a safety net, not the mechanism). */
export const FULL_EVERY = 16;

type Kept = { stamps: MovementStamp[]; dayStamp: string; rows: MovementRows };

export type SnapshotReader = {
  read(db: Db, now: Date): Promise<Snapshot[]>;
  /** Reads made in full and partly, since the reader was made. */
  readonly reads: { full: number; partial: number };
};

export function createSnapshotReader(o: { fullEvery?: number } = {}): SnapshotReader {
  const fullEvery = o.fullEvery ?? FULL_EVERY;
  const kept = new Map<number, Kept>();
  const memo: MovementMemo = new WeakMap();
  const reads = { full: 0, partial: 0 };
  let count = 0;

  async function readAll(tx: Db, now: Date, full: boolean) {
    const operations = await listPublicOperations(tx);
    const snapshots: Snapshot[] = [];
    const next = new Map<number, Kept>();
    for (const op of operations) {
      const own = await readOperationRows(tx, op.id);
      const routeIds = own.routeRows.map((r) => r.id);
      const stamps = await movementStamps(tx, routeIds);
      const dayStamp = await dayChangeStamp(tx, routeIds);
      const before = full ? undefined : kept.get(op.id);
      const rows =
        (before && (await patched(tx, before, stamps, dayStamp))) ?? (await readMovementRows(tx, routeIds));
      next.set(op.id, { stamps, dayStamp, rows });
      snapshots.push(await assembleSnapshot({ db: tx, now, memo }, op, own, rows));
    }
    return { snapshots, next };
  }

  return {
    reads,
    async read(db, now) {
      const full = count++ % fullEvery === 0;
      const { snapshots, next } = await db.transaction((tx) => readAll(tx, now, full), {
        isolationLevel: 'repeatable read',
        accessMode: 'read only',
      });
      // Replaced only once the transaction committed: a failed read keeps the last.
      kept.clear();
      for (const [id, k] of next) kept.set(id, k);
      reads[full ? 'full' : 'partial']++;
      return snapshots;
    },
  };
}

const sameIds = (a: MovementStamp[], b: MovementStamp[]) =>
  a.length === b.length && a.every((s, i) => s.id === b[i]!.id);

/**
 * The movement rows again, only the changed ones read (in the order the stamps give, which
 * is the full read's); undefined when the rows kept do not cover them (read in full then).
 */
async function patched(
  tx: Db,
  before: Kept,
  stamps: MovementStamp[],
  dayStamp: string,
): Promise<MovementRows | undefined> {
  const was = new Map(before.stamps.map((s) => [s.id, s]));
  const changed = stamps
    .filter((s) => {
      const w = was.get(s.id);
      return !w || w.movement !== s.movement || w.counts !== s.counts;
    })
    .map((s) => s.id);
  const fresh = new Map((await movementsByIds(tx, changed)).map((m) => [m.id, m]));
  const freshCounts = await countsForMovements(tx, changed);
  const oldRows = new Map(before.rows.movementRows.map((m) => [m.id, m]));
  const movementRows: MovementRows['movementRows'] = [];
  const countRows: MovementRows['countRows'] = new Map();
  const isChanged = new Set(changed);
  for (const s of stamps) {
    const row = isChanged.has(s.id) ? fresh.get(s.id) : oldRows.get(s.id);
    if (!row) return undefined;
    movementRows.push(row);
    const c = isChanged.has(s.id) ? freshCounts.get(s.id) : before.rows.countRows.get(s.id);
    if (c) countRows.set(s.id, c);
  }
  // The same movements and the same stamp: the same day changes (rows only added, ids rising).
  const dayChanges =
    sameIds(before.stamps, stamps) && before.dayStamp === dayStamp
      ? before.rows.dayChanges
      : await movementDayChanges(
          tx,
          stamps.map((s) => s.id),
        );
  return { movementRows, countRows, dayChanges };
}
