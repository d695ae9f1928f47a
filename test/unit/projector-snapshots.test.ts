// Snapshots as they cross to the projector's worker (src/public/projector-snapshots.ts,
// issue 21): a movement the worker was sent last time, the same object now, crosses as its
// id; what the worker puts back equals what was packed. A new worker, or one whose request
// failed, is sent everything; an id the worker does not hold is refused, never guessed.
import { serialize, deserialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { Snapshot, SnapshotMovement } from '../../src/domain/snapshot.ts';
import {
  type PackedSnapshot,
  createSnapshotPacker,
  unpackSnapshots,
} from '../../src/public/projector-snapshots.ts';
import { movement, route, snapshot } from '../support/snapshots.ts';

/** A snapshot with one route holding these movements. */
const withMovements = (movements: SnapshotMovement[]): Snapshot => snapshot([route(movements)]);

/** As the worker receives them: a structured clone. */
const cross = (p: PackedSnapshot[]) => deserialize(serialize(p)) as PackedSnapshot[];
const sentWhole = (p: PackedSnapshot[]) => p[0]!.routes[0]!.movements.filter((m) => typeof m !== 'number');

describe('snapshots packed for the worker', () => {
  it('sends a movement unchanged since the last snapshots as its id, and the worker puts it back', () => {
    const packer = createSnapshotPacker<string>();
    const a = movement({ id: 1 });
    const b = movement({ id: 2 });
    const first = withMovements([a, b]);
    let held = unpackSnapshots(cross(packer.pack('w1', [first])), new Map()).movements;
    const changed = movement({ id: 2, version: 9 });
    const second = withMovements([a, changed]);
    const packed = cross(packer.pack('w1', [second]));
    expect(packed[0]!.routes[0]!.movements[0]).toBe(1);
    expect(sentWhole(packed)).toHaveLength(1);
    const got = unpackSnapshots(packed, held);
    expect(got.snapshots).toEqual([second]);
    held = got.movements;
    expect([...held.keys()]).toEqual([1, 2]);
  });

  it('sends everything to another worker, and after a failed request', () => {
    const packer = createSnapshotPacker<string>();
    const s = withMovements([movement({ id: 1 }), movement({ id: 2 })]);
    packer.pack('w1', [s]);
    expect(sentWhole(packer.pack('w2', [s]))).toHaveLength(2);
    packer.forget();
    expect(sentWhole(packer.pack('w2', [s]))).toHaveLength(2);
  });

  it('refuses an id the worker does not hold', () => {
    const packer = createSnapshotPacker<string>();
    const s = withMovements([movement({ id: 1 })]);
    packer.pack('w1', [s]);
    expect(() => unpackSnapshots(cross(packer.pack('w1', [s])), new Map())).toThrow();
  });
});
