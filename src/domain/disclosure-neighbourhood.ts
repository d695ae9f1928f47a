// Where the exact audit (disclosure-audit.ts) searches a witness for a protected value:
// the neighbourhood of the protected cell (the unknown cells within a few relations of
// it, a few members of each long sum), the local integer program over it (every relation
// touching one of its cells; every other member a constant at its true value), the
// program's signature (what the audit cache keys), and the exact check of a point found.
// Holding the cells outside at their true value only restricts the search, so a point
// that passes the check is a witness of the whole table.
import type { LinearProgram, LinearRow } from './disclosure-lp.ts';
import type { Table } from './disclosure-table.ts';

/** A program holds at most this many unknown cells (the nearest); beyond, a missing witness fails the cell. */
export const MAX_VARIABLES = 160;
/** Members of one relation taken into a neighbourhood per visit (all of them for the whole component). */
const PER_RELATION = 4;

/** The unknown cells within `radius` relations of `start`; complete: its whole component. */
export function neighbourhood(
  table: Table,
  start: string,
  isUnknown: (id: string) => boolean,
  radius: number,
  limit = MAX_VARIABLES,
): { cells: string[]; complete: boolean } {
  const seen = new Set([start]);
  let frontier = [start];
  for (let depth = 0; depth < radius && frontier.length; depth++) {
    const next: string[] = [];
    // A derived cell (a difference, a change) joins at the depth of the cell it is
    // derived from: held at its true value, it would pin that cell.
    for (let f = 0; f < frontier.length; f++) {
      const id = frontier[f]!;
      for (const ri of table.relationsOf(id)) {
        let taken = 0;
        for (const x of table.relations[ri]!.ids) {
          if (seen.has(x) || !isUnknown(x)) continue;
          // A few members of a long sum (a day's arrivals over every route) are enough to
          // balance a move; the rest are held (sound: a restriction).
          if (!table.get(x)!.derived && ++taken > PER_RELATION && radius !== Infinity) continue;
          seen.add(x);
          if (table.get(x)!.derived) frontier.push(x);
          else next.push(x);
        }
      }
      if (seen.size > limit) return { cells: [...seen], complete: false };
    }
    frontier = next;
  }
  const complete = frontier.length === 0;
  // The last cells reached bring their derived cells (and theirs), not their neighbours.
  for (let f = 0; f < frontier.length; f++) {
    for (const ri of table.relationsOf(frontier[f]!)) {
      for (const x of table.relations[ri]!.ids) {
        if (seen.has(x) || !isUnknown(x) || !table.get(x)!.derived) continue;
        seen.add(x);
        frontier.push(x);
      }
    }
    if (seen.size > limit) return { cells: [...seen], complete: false };
  }
  return { cells: [...seen], complete };
}

/**
 * The program of a neighbourhood: its cells are the variables (reader bounds);
 * every relation touching one is a row, its other members constants at their true
 * value (printed ones are that value; unknown ones outside are held there).
 */
export function localProgram(table: Table, bounds: Map<string, [number, number]>, vars: string[]) {
  vars.sort();
  const index = new Map(vars.map((id, i) => [id, i]));
  const seen = new Set<number>();
  const rows: LinearRow[] = [];
  for (const id of vars) {
    for (const ri of table.relationsOf(id)) {
      if (seen.has(ri)) continue;
      seen.add(ri);
      const r = table.relations[ri]!;
      const row: LinearRow = { vars: [], coefs: [], rhs: 0 };
      r.ids.forEach((cid, t) => {
        const i = index.get(cid);
        if (i === undefined) row.rhs -= r.coefs[t]! * table.value(cid);
        else {
          row.vars.push(i);
          row.coefs.push(r.coefs[t]!);
        }
      });
      rows.push(row);
    }
  }
  const lp: LinearProgram = {
    n: vars.length,
    lower: vars.map((id) => bounds.get(id)![0]),
    upper: vars.map((id) => bounds.get(id)![1]),
    rows,
  };
  return { lp, index };
}

export function signature(lp: LinearProgram, vars: string[]): string {
  const rows = lp.rows
    .map((r) => `${r.vars.map((v, i) => `${r.coefs[i]}*${v}`).join('+')}=${r.rhs}`)
    .sort()
    .join(';');
  return `${vars.map((v, i) => `${v}[${lp.lower[i]},${lp.upper[i]}]`).join(',')}|${rows}`;
}

/** Exact check of a candidate point: whole numbers, within bounds, every relation holds. */
export function verify(lp: LinearProgram, x: number[]): boolean {
  for (let j = 0; j < lp.n; j++) {
    const v = x[j]!;
    if (!Number.isSafeInteger(v) || v < lp.lower[j]! || v > lp.upper[j]!) return false;
  }
  for (const r of lp.rows) {
    let s = 0;
    for (let t = 0; t < r.vars.length; t++) s += r.coefs[t]! * x[r.vars[t]!]!;
    if (s !== r.rhs) return false;
  }
  return true;
}
