// The audit's memory of the witnesses it found (disclosure-audit.ts, issue 21): each
// kept, with the audit's cache, as the few cells it moves off their true values, and
// re-checked exactly against a later table before it proves anything there. A point
// that passes is a witness of the whole new table (every relation touching a moved
// cell balances, every other holds on the truth); one that fails only sends the value
// back to the search. Safety rests on the check, never on the memory.
import type { Protected, Table } from './disclosure-table.ts';

/** A witness as the cells it moves off their true value: id → value (sparse). */
export type Point = Map<string, number>;
/** `id=value` → a witness point found for it in an earlier audit with the same cache. */
const pointsOf = new WeakMap<object, Map<string, Point>>();

/** The points kept with an audit cache (any object the audit is given as its cache). */
export function pointMemory(cache: object | undefined): Map<string, Point> | undefined {
  if (!cache) return undefined;
  let points = pointsOf.get(cache);
  if (!points) {
    points = new Map();
    pointsOf.set(cache, points);
  }
  return points;
}

/**
 * Exact check that a remembered point is a witness in this table under these bounds:
 * every moved cell exists, is a whole number within its bounds, and every relation
 * touching a moved cell still balances (all other cells at their true values, where
 * every relation holds: holdsOnTruth).
 */
function stillWitness(table: Table, bounds: Map<string, [number, number]>, point: Point): boolean {
  const relations = new Set<number>();
  for (const [id, x] of point) {
    const b = bounds.get(id);
    if (!b || !Number.isSafeInteger(x) || x < b[0] || x > b[1]) return false;
    for (const ri of table.relationsOf(id)) relations.add(ri);
  }
  for (const ri of relations) {
    const r = table.relations[ri]!;
    let s = 0;
    for (let t = 0; t < r.ids.length; t++) {
      const x = point.get(r.ids[t]!);
      if (x !== undefined) s += r.coefs[t]! * (x - table.value(r.ids[t]!));
    }
    if (s !== 0) return false;
  }
  return true;
}

/** Remembered points re-checked: the open values they still prove leave `open`. */
export function recall(
  table: Table,
  bounds: Map<string, [number, number]>,
  item: Protected,
  open: number[],
  proven: Set<string>,
  points: Map<string, Point>,
): number[] {
  const still: number[] = [];
  for (const t of open) {
    const name = `${item.id}=${t}`;
    if (proven.has(name)) continue;
    const point = points.get(name);
    if (point && point.get(item.id) === t && stillWitness(table, bounds, point)) {
      // The same point proves the value it gives every other cell it moves.
      for (const [id, x] of point) proven.add(`${id}=${x}`);
    } else still.push(t);
  }
  return still;
}

/** A witness found, kept for the values it gives each cell it moves (re-checked before use). */
export function remember(
  points: Map<string, Point>,
  table: Table,
  vars: string[],
  x: number[],
  limit: number,
) {
  const point: Point = new Map();
  vars.forEach((id, i) => {
    if (x[i] !== table.value(id)) point.set(id, x[i]!);
  });
  if (points.size > limit) points.clear();
  for (const [id, v] of point) points.set(`${id}=${v}`, point);
}
