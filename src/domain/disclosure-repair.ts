// The repair step of secondary suppression (disclosure-suppress.ts): for a protected
// value the audit found no witness for, a small linear program around it chooses the
// cheapest printed cells to withhold so that the value becomes consistent — the idea of
// the optimal method of Fischetti and Salazar (τ-ARGUS, sdcTable), restricted to a
// neighbourhood so that it stays small.
//
// The neighbourhood is chosen so that a cheap pattern is inside it. A move of one
// figure must be balanced in every sum it is in (its route's total and its day's
// arrivals): the cells that sit in two of the sums already gathered close such a cycle
// and are taken first (the same route's arrivals on the same day), and every cell comes
// with its own stage differences and the other figure of each (an arrival rises only
// if its departure does), or the program could not move it at all.
import { createHash } from 'node:crypto';
import type { Failure } from './disclosure-audit.ts';
import { SMALL_PROGRAM, type WitnessEngine } from './disclosure-highs.ts';
import { type LinearRow, solveLp } from './disclosure-lp.ts';
import { type Table, hidingCost } from './disclosure-table.ts';

/** Neighbourhoods tried in turn: relations crossed, members per relation, variables. */
const STEPS = [
  [1, 3, 40],
  [2, 4, 80],
  [3, 6, 200],
  [5, 12, 300],
] as const;

export type RepairContext = {
  /** Programs solved before, by their hash: the same program gives the same answer (repairCache). */
  solved?: Map<string, string[] | null>;
  table: Table;
  /** Can still be hidden further: printed as a number, or "fewer than k" (then withheld). */
  hideable: (id: string) => boolean;
  /** What a reader knows of a cell now. */
  bound: (id: string) => [number, number];
  /** The wide engine (disclosure-highs.ts): programs past SMALL_PROGRAM variables go to it. */
  engine?: WitnessEngine;
};

/**
 * The cheapest printed cells near the failing value to withhold: a non-empty list; an
 * empty one when a program found the value feasible without moving anything printed
 * (an earlier repair of the round may have done it: unless `retried`, the next audit
 * is asked first); undefined when none was found.
 */
export function cheapestRepair(c: RepairContext, f: Failure, retried: boolean): string[] | undefined {
  let empty = false;
  for (const [radius, perRelation, maxVariables] of STEPS) {
    const chosen = cheapestMoves(c, f, radius, perRelation, maxVariables);
    if (chosen?.length) return chosen;
    if (chosen && !retried) return chosen;
    if (chosen) empty = true;
  }
  return empty ? [] : undefined;
}

/** Unknown cells (variables within reader bounds) and candidates (printed cells that may move). */
function movable(
  { table, hideable, bound }: RepairContext,
  f: Failure,
  radius: number,
  perRelation: number,
  maxVariables: number,
): { unknownVars: Set<string>; candidates: Set<string> } {
  const unknownVars = new Set<string>();
  const candidates = new Set<string>();
  const relations = new Set<number>();
  const isUnknown = (id: string) => {
    const b = bound(id);
    return b[0] !== b[1];
  };
  const has = (x: string) => unknownVars.has(x) || candidates.has(x);
  for (const id of f.component) (hideable(id) ? candidates : unknownVars).add(id);
  const full = () => unknownVars.size + 3 * candidates.size >= maxVariables;
  let frontier = [...f.component];
  for (let depth = 0; depth < radius && frontier.length && !full(); depth++) {
    // The relations around the frontier, nearest (smallest: a movement's stages, then its route) first.
    const around: number[] = [];
    for (const id of frontier)
      for (const ri of table.relationsOf(id))
        if (!relations.has(ri)) {
          relations.add(ri);
          around.push(ri);
        }
    around.sort((a, b) => table.relations[a]!.ids.length - table.relations[b]!.ids.length);
    const hits = new Map<string, number>();
    for (const ri of relations)
      for (const x of table.relations[ri]!.ids)
        if (!has(x) && hideable(x)) hits.set(x, (hits.get(x) ?? 0) + 1);
    const next: string[] = [];
    for (const ri of around) {
      if (full()) break;
      const options: string[] = [];
      for (const x of table.relations[ri]!.ids) {
        if (has(x)) continue;
        if (hideable(x)) options.push(x);
        else if (isUnknown(x)) {
          unknownVars.add(x);
          next.push(x);
        }
      }
      const closes = (x: string) => (hits.get(x) ?? 0) >= 2;
      const cost = (x: string) => hidingCost(table.get(x)!);
      options.sort((a, b) => Number(closes(b)) - Number(closes(a)) || cost(a) - cost(b));
      const take = Math.max(perRelation, Math.min(2 * perRelation, options.filter(closes).length));
      for (const x of options.slice(0, take)) {
        candidates.add(x);
        next.push(x);
      }
    }
    frontier = next;
  }
  // Each printed figure brings its stage differences (as variables: held at the truth,
  // they would pin it) and the other figure of each (as a candidate).
  for (const id of [...unknownVars, ...candidates]) {
    if (table.get(id)!.derived) continue;
    for (const ri of table.relationsOf(id)) {
      const r = table.relations[ri]!;
      if (!r.ids.some((x) => table.get(x)!.derived)) continue;
      for (const x of r.ids) {
        if (has(x)) continue;
        if (hideable(x)) candidates.add(x);
        else if (isUnknown(x)) unknownVars.add(x);
      }
    }
  }
  return { unknownVars, candidates };
}

function cheapestMoves(
  c: RepairContext,
  f: Failure,
  radius: number,
  perRelation: number,
  maxVariables: number,
): string[] | undefined {
  const { table, bound } = c;
  const isUnknown = (id: string) => {
    const b = bound(id);
    return b[0] !== b[1];
  };
  const { unknownVars, candidates } = movable(c, f, radius, perRelation, maxVariables);
  // Relations touching any variable; members outside are constants at their true value.
  const relations = new Set<number>();
  for (const id of [...unknownVars, ...candidates]) for (const ri of table.relationsOf(id)) relations.add(ri);
  const unk = [...unknownVars];
  const cand = [...candidates];
  const idx = new Map<string, number>();
  unk.forEach((id, i) => idx.set(id, i));
  // Candidate j: x_j = y_j + p_j − n_j, y at index base+3j (its bounds as shown now:
  // a printed number, or 1 … k−1), p and n after it (moving beyond them: withheld).
  const base = unk.length;
  cand.forEach((id, j) => idx.set(id, base + 3 * j));
  const n = base + 3 * cand.length;
  const lower: number[] = [];
  const upper: number[] = [];
  const cost: number[] = [];
  for (const id of unk) {
    const b = bound(id);
    lower.push(b[0]);
    upper.push(b[1]);
    cost.push(0);
  }
  for (const id of cand) {
    const w = hidingCost(table.get(id)!);
    const b = bound(id);
    lower.push(b[0], 0, 0);
    upper.push(b[1], Infinity, Infinity);
    cost.push(0, w, w);
  }
  // The protected cell takes the missing value (a candidate's total x_j does).
  const target = idx.get(f.item.id)!;
  const targetVar = target >= base ? n + (target - base) / 3 : target;
  const rows: LinearRow[] = [];
  for (const ri of relations) {
    const r = table.relations[ri]!;
    const row: LinearRow = { vars: [], coefs: [], rhs: 0 };
    r.ids.forEach((id, t) => {
      const a = r.coefs[t]!;
      const i = idx.get(id);
      if (i === undefined) row.rhs -= a * (isUnknown(id) ? table.value(id) : bound(id)[0]);
      else if (i >= base) {
        row.vars.push(i, i + 1, i + 2);
        row.coefs.push(a, a, -a);
      } else {
        row.vars.push(i);
        row.coefs.push(a);
      }
    });
    rows.push(row);
  }
  // A non-negative total for every candidate: x_j = y + p − n ≥ 0.
  cand.forEach((_, j) => {
    const i = base + 3 * j;
    rows.push({ vars: [i, i + 1, i + 2, n + j], coefs: [1, 1, -1, -1], rhs: 0 });
    lower.push(0);
    upper.push(Infinity);
    cost.push(0);
  });
  lower[targetVar] = f.target;
  upper[targetVar] = f.target;
  // A refused state's steps and second attempt meet the same programs again (disclosure-joint.ts):
  // the solver is deterministic, so a program's answer is kept by its hash.
  const program = { n: n + cand.length, lower, upper, rows, cost };
  const engine = c.engine && program.n > SMALL_PROGRAM ? c.engine : undefined;
  const key = c.solved && (engine ? 'highs:' : '') + programKey(cand, lower, upper, cost, rows);
  const known = key === undefined ? undefined : c.solved!.get(key);
  if (known !== undefined) return known ?? undefined;
  const x = engine ? engine.minimise(program) : optimum(solveLp(program));
  const chosen = x ? cand.filter((_, j) => x[base + 3 * j + 1]! + x[base + 3 * j + 2]! > 1e-7) : null;
  if (key !== undefined) {
    if (c.solved!.size >= SOLVED_LIMIT) c.solved!.clear();
    c.solved!.set(key, chosen);
  }
  return chosen ?? undefined;
}

function optimum(r: ReturnType<typeof solveLp>): number[] | undefined {
  return r.status === 'optimal' ? r.x : undefined;
}

/** Repair programs kept per audit cache (each key 64 characters, each answer a few ids). */
const SOLVED_LIMIT = 20_000;
const solvedOf = new WeakMap<object, Map<string, string[] | null>>();

/** The repair programs solved alongside an audit cache (as long as it lives). */
export function repairCache(cache: object | undefined): Map<string, string[] | null> | undefined {
  if (!cache) return undefined;
  let m = solvedOf.get(cache);
  if (!m) solvedOf.set(cache, (m = new Map<string, string[] | null>()));
  return m;
}

function programKey(
  cand: string[],
  lower: number[],
  upper: number[],
  cost: number[],
  rows: LinearRow[],
): string {
  const h = createHash('sha256');
  h.update(cand.join(',')).update('|').update(lower.join(',')).update('|').update(upper.join(','));
  h.update('|').update(cost.join(','));
  for (const r of rows) h.update(`|${r.vars.join(',')}:${r.coefs.join(',')}=${r.rhs}`);
  return h.digest('hex');
}
