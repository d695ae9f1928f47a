// The state of an operation as of a moment T: its figures and movement states
// rebuilt from the history by as-of (when a figure was true) and by event times
// (departed, arrived, cancelled), never by when they were written. Used by the
// digest (the end of its day), the public JSON's ?asOf= and the staff's view.
// When nothing was recorded after T it equals the live state (test/property).
import type { Db } from '../store/database.ts';
import { type FigureAsOf, figuresAsOf } from '../store/repositories/as-of.ts';
import { findOperation } from '../store/repositories/workspace.ts';
import { notFound } from '../errors.ts';
import { emptyCounts } from './figures.ts';
import type { MovementStatus } from './movement-status.ts';
import { type Snapshot, type SnapshotMovement, loadSnapshot } from './snapshot.ts';

export type StateAsOfInput = { deps: { db: Db }; operationId: number; at: Date };

/** The operation's snapshot as of `at`: the shape every view and the digest are built from. */
export async function stateAsOf({ deps, operationId, at }: StateAsOfInput): Promise<Snapshot> {
  return deps.db.transaction((tx) => readStateAsOf(tx, operationId, at), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

/** The same read inside a caller's transaction (the digest claims its run in one). */
export async function readStateAsOf(db: Db, operationId: number, at: Date): Promise<Snapshot> {
  const operation = await findOperation(db, operationId);
  if (!operation) throw notFound('Operation');
  const live = await loadSnapshot({ db, now: at }, operation);
  const ids = live.routes.flatMap((r) => r.movements.map((m) => m.id));
  return rewind(live, await figuresAsOf(db, ids, at), at);
}

/** Pure: a live snapshot taken back to `at`, given each figure's last value as of `at`. */
export function rewind(live: Snapshot, figures: FigureAsOf[], at: Date): Snapshot {
  const byMovement = new Map<number, FigureAsOf[]>();
  for (const f of figures) {
    const list = byMovement.get(f.movementId) ?? [];
    list.push(f);
    byMovement.set(f.movementId, list);
  }
  const routes = live.routes.map((r) => ({
    ...r,
    movements: r.movements
      .map((m) => movementAsOf(m, byMovement.get(m.id) ?? [], at))
      .filter((m): m is SnapshotMovement => m !== null),
  }));
  return { ...live, routes, takenAt: at };
}

const by = (t: Date | null, at: Date): t is Date => t !== null && t.getTime() <= at.getTime();

function latest(figures: FigureAsOf[]): FigureAsOf | undefined {
  let best: FigureAsOf | undefined;
  for (const f of figures)
    if (
      !best ||
      f.asOf > best.asOf ||
      (f.asOf.getTime() === best.asOf.getTime() && f.recordedAt > best.recordedAt)
    )
      best = f;
  return best;
}

/** One movement as of `at`; null when nothing about it was known yet. */
export function movementAsOf(m: SnapshotMovement, figures: FigureAsOf[], at: Date): SnapshotMovement | null {
  const departed = by(m.departedAt, at);
  const arrived = by(m.arrivedAt, at);
  const statusKnown = by(m.statusAsOf, at);
  const known =
    by(m.createdAt, at) || figures.length > 0 || departed || arrived || statusKnown || by(m.cancelledAt, at);
  if (!known) return null;
  const hasLeft = departed || (m.departedAt === null && statusKnown);
  let status: MovementStatus;
  if (m.status === 'cancelled')
    status = by(m.cancelledAt, at) ? 'cancelled' : hasLeft ? 'departed' : 'planned';
  else if (m.status === 'arrived')
    status = arrived || (m.arrivedAt === null && statusKnown) ? 'arrived' : hasLeft ? 'departed' : 'planned';
  else if (m.status === 'departed') status = hasLeft ? 'departed' : 'planned';
  else if (m.status === 'boarding') status = statusKnown ? 'boarding' : 'planned';
  else status = 'planned';
  // A movement whose figures were written without any history (older data) keeps them as they are.
  const rebuilt = m.figuresAsOf !== null;
  const counts = rebuilt ? emptyCounts() : m.counts;
  for (const f of figures) counts[f.stage][f.field] = f.value;
  const last = latest(figures);
  const registered = latest(figures.filter((f) => f.stage === 'registered'));
  return {
    ...m,
    status,
    departedAt: departed ? m.departedAt : null,
    arrivedAt: arrived ? m.arrivedAt : null,
    cancelledAt: status === 'cancelled' ? m.cancelledAt : null,
    statusAsOf: statusKnown ? m.statusAsOf : null,
    counts,
    countsSourceId: rebuilt ? (last?.sourceId ?? null) : m.countsSourceId,
    figuresAsOf: last?.asOf ?? null,
    figuresAsOfTimeKnown: last?.asOfTimeKnown ?? true,
    registeredAsOf: registered?.asOf ?? null,
  };
}

/**
 * The staff "as of" view's read: the operation (its zone reads the moment asked for),
 * then its state at the moment `choose` gives in that zone (null: not a moment — no state).
 */
export async function stateAsOfChosen({
  deps,
  operationId,
  choose,
}: {
  deps: { db: Db };
  operationId: number;
  choose: (timeZone: string) => Date | null;
}): Promise<{ timeZone: string; at: Date | null; snapshot: Snapshot | null }> {
  const operation = await findOperation(deps.db, operationId);
  if (!operation) throw notFound('Operation');
  const at = choose(operation.timeZone);
  const snapshot = at ? await stateAsOf({ deps, operationId, at }) : null;
  return { timeZone: operation.timeZone, at, snapshot };
}
