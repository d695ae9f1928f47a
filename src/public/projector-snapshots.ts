// Snapshots as they cross to the projector's worker (projector.ts) when this thread read
// them (PGlite). A movement the worker was sent with the last snapshots, and which is the
// same object now (a re-read makes an unchanged movement once: src/domain/snapshot-movement.ts;
// movements are never changed once made), crosses as its id only, and the worker puts back
// the one it holds: a save sends the worker the movements it changed, not every movement.
// Anything not known to be held (a new worker, a failed request) is sent whole.
import type { Snapshot, SnapshotMovement } from '../domain/snapshot.ts';

export type PackedSnapshot = Omit<Snapshot, 'routes'> & {
  routes: (Omit<Snapshot['routes'][number], 'movements'> & { movements: (SnapshotMovement | number)[] })[];
};

/** The sending side: which movements a worker holds, by object. */
export function createSnapshotPacker<W>() {
  let sent: { to: W; movements: WeakSet<SnapshotMovement> } | undefined;
  return {
    pack(to: W, snapshots: Snapshot[]): PackedSnapshot[] {
      const held = sent?.to === to ? sent.movements : undefined;
      const movements = new WeakSet<SnapshotMovement>();
      sent = { to, movements };
      return snapshots.map((s) => ({
        ...s,
        routes: s.routes.map((r) => ({
          ...r,
          movements: r.movements.map((m) => {
            movements.add(m);
            return held?.has(m) ? m.id : m;
          }),
        })),
      }));
    },
    /** What the worker holds is not known (its request failed): the next are sent whole. */
    forget() {
      sent = undefined;
    },
  };
}

/** The receiving side: the snapshots, each movement sent as an id put back from those held. */
export function unpackSnapshots(
  packed: PackedSnapshot[],
  held: ReadonlyMap<number, SnapshotMovement>,
): { snapshots: Snapshot[]; movements: Map<number, SnapshotMovement> } {
  const movements = new Map<number, SnapshotMovement>();
  const snapshots = packed.map((s) => ({
    ...s,
    routes: s.routes.map((r) => ({
      ...r,
      movements: r.movements.map((m) => {
        const movement = typeof m === 'number' ? held.get(m) : m;
        if (!movement) throw new Error(`movement ${typeof m === 'number' ? m : m.id} was not sent here`);
        movements.set(movement.id, movement);
        return movement;
      }),
    })),
  }));
  return { snapshots, movements };
}
