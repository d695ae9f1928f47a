// The exact disclosure audit. For every protected item (a cell and its
// protection interval) and every value t of that interval, it must exhibit a
// witness: a whole assignment of every unknown cell that satisfies every
// published relation and every reader bound, with the protected cell equal to t.
// A witness is checked in exact integer arithmetic before it counts, so the
// verdict "safe" never rests on floating point or on the search (disclosure-lp.ts):
// the search can only fail to find a witness, and then the cell is withheld or
// the build is not published.
//
// Near-linear by locality. Visible cells are constants. A witness is searched in
// a neighbourhood of the protected cell (the unknown cells within a few relations
// of it), every unknown cell outside it held at its true value: that only
// restricts the search, so a point found there is a witness of the whole table
// (every relation touching the neighbourhood is in the program; every other one
// holds on the truth). Only when no point is found does the neighbourhood grow,
// up to the cell's whole connected component, where "no witness" is final.
// Independent routes and movements thus audit independently, each in a program
// of a few dozen variables, and a program seen before (same variables, bounds,
// relations and constants) reuses its witnesses across builds (AuditCache).
//
// Incremental across builds (disclosure-witness.ts): every witness found is kept as the cells it
// moved off their true value and where to (a sparse point). The next audit (a
// save touched one movement) first re-checks that point against the new table,
// exactly: each moved cell within what a reader now knows of it, every relation
// touching one still balanced (the others hold on the truth, checked first). A
// point that passes is a witness of the whole new table, whatever changed
// elsewhere; one that fails only sends that value back to the search. So an
// unchanged route costs a few additions instead of a neighbourhood, a program
// and its signature per protected value, and safety still rests on the check.
//
// Where a witness is searched — a cell's neighbourhood, its local program — and the exact
// check of a point: disclosure-neighbourhood.ts. Who searches: the dense solver
// (disclosure-lp.ts) for small programs; given the wide engine (HiGHS, disclosure-highs.ts),
// the large ones and, past the neighbourhood's limit, the whole component.
import { createHash } from 'node:crypto';
import { SMALL_PROGRAM, type WitnessEngine } from './disclosure-highs.ts';
import { solveIlp } from './disclosure-lp.ts';
import { MAX_VARIABLES, localProgram, neighbourhood, signature, verify } from './disclosure-neighbourhood.ts';
import { type Point, pointMemory, recall, remember } from './disclosure-witness.ts';
import { type Display, type Protected, type Table, readerBounds } from './disclosure-table.ts';

export type Failure = { item: Protected; target: number; component: string[] };
export type AuditResult = {
  ok: boolean;
  failures: Failure[];
  stats: {
    components: number;
    audited: number;
    reused: number;
    solves: number;
    unknowns: number;
    /** Protected cells with a value proven again by a point remembered from an earlier audit. */
    recalled?: number;
  };
};

/**
 * Local program signature → the target values a witness was found for (`yes`), and
 * those the search found none for in that program (`no`: the audit then widens the
 * neighbourhood, as it would after searching again; never a verdict of safety).
 */
export type AuditCache = Map<string, { yes: number[]; no: number[] }>;

// createAuditCache is in disclosure-memo.ts: a cache comes with its memo of whole outcomes.

const CACHE_LIMIT = 200_000;
/** Neighbourhood radii tried before the whole component (in relations crossed). */
const RADII = [1, 2, 4, 8];

/** What a reader knows of every cell: its display, narrowed by what an earlier state showed. */
export function boundsOf(
  table: Table,
  display: ReadonlyMap<string, Display>,
  extra?: ReadonlyMap<string, [number, number]>,
): Map<string, [number, number]> {
  const bounds = new Map<string, [number, number]>();
  for (const c of table.cells.values()) {
    const b = readerBounds(c, display.get(c.id), table.k);
    const e = extra?.get(c.id);
    bounds.set(c.id, e ? [Math.max(b[0], e[0]), Math.min(b[1], e[1])] : b);
  }
  return bounds;
}

export type AuditOptions = {
  cache?: AuditCache;
  extra?: ReadonlyMap<string, [number, number]>;
  /**
   * `id=value` pairs already proven possible under bounds no wider than now (a
   * suppression round only widens bounds, so a witness stays one); found ones are added.
   */
  proven?: Set<string>;
  /** Where the nearest MAX_VARIABLES cells hold no witness, search the nearest `wide` before failing. */
  wide?: number;
  /**
   * The wide engine (HiGHS: disclosure-highs.ts): programs past SMALL_PROGRAM unknowns go to
   * it, and a neighbourhood cut at its limit is searched as the whole component. Every point
   * it returns is checked exactly (verify), like the dense solver's.
   */
  engine?: WitnessEngine;
};

/** A component past this many unknowns is not searched whole (its cell then fails). */
const MAX_COMPONENT = 50_000;

export function audit(
  table: Table,
  display: ReadonlyMap<string, Display>,
  items: readonly Protected[],
  o: AuditOptions = {},
): AuditResult {
  const bounds = boundsOf(table, display, o.extra);
  const isUnknown = (id: string) => {
    const b = bounds.get(id)!;
    return b[0] !== b[1];
  };
  const proven = o.proven ?? new Set<string>();
  const points = pointMemory(o.cache);
  const failures: Failure[] = [];
  const stats = { components: 0, audited: 0, reused: 0, solves: 0, unknowns: 0, recalled: 0 };
  for (const b of bounds.values()) if (b[0] !== b[1]) stats.unknowns++;
  if (!holdsOnTruth(table)) {
    // The true figures break a relation: a bug in the table, never publish on it.
    for (const item of items)
      for (let t = item.lo; t <= item.hi; t++) failures.push({ item, target: t, component: [item.id] });
    return { ok: false, failures, stats };
  }
  for (const item of items) {
    if (!table.has(item.id)) continue;
    const truth = table.value(item.id);
    const open: number[] = [];
    for (let t = item.lo; t <= item.hi; t++) if (t !== truth && !proven.has(`${item.id}=${t}`)) open.push(t);
    if (open.length === 0) continue;
    if (!isUnknown(item.id)) {
      // Printed exactly: only safe if the interval is that single value.
      for (const t of open) failures.push({ item, target: t, component: [item.id] });
      continue;
    }
    stats.components++;
    let missing = points ? recall(table, bounds, item, open, proven, points) : open;
    if (missing.length < open.length) stats.recalled++;
    if (missing.length === 0) continue;
    let firstHood: string[] | undefined;
    let whole = false;
    for (const radius of [...RADII, Infinity]) {
      const hood = neighbourhood(table, item.id, isUnknown, radius);
      firstHood ??= hood.cells;
      // With the wide engine, a neighbourhood past the limit is searched whole (below).
      if (o.engine && hood.cells.length > MAX_VARIABLES) break;
      // Past the limit, the nearest cells only: still a restriction, so still sound.
      const cells = hood.cells.length > MAX_VARIABLES ? hood.cells.slice(0, MAX_VARIABLES) : hood.cells;
      missing = witnesses(
        table,
        bounds,
        cells,
        item,
        missing,
        { proven, cache: o.cache, points },
        stats,
        o.engine,
      );
      if (hood.cells.length > MAX_VARIABLES) {
        // A refused state's second attempt (disclosure-joint.ts): the nearest `wide` cells too.
        const w = o.wide ?? 0;
        if (missing.length && w > MAX_VARIABLES) {
          const more = neighbourhood(table, item.id, isUnknown, radius, w).cells.slice(0, w);
          missing = witnesses(table, bounds, more, item, missing, { proven, cache: o.cache, points }, stats);
        }
        break;
      }
      if (missing.length === 0 || hood.complete) {
        whole = hood.complete;
        break;
      }
    }
    if (missing.length && !whole && o.engine) {
      // The dense search was cut at its limit: the whole component, by the wide engine.
      const component = neighbourhood(table, item.id, isUnknown, Infinity, MAX_COMPONENT);
      if (component.complete) {
        const memo = { proven, cache: o.cache, points };
        missing = witnesses(table, bounds, component.cells, item, missing, memo, stats, o.engine);
      }
    }
    for (const t of missing) failures.push({ item, target: t, component: firstHood ?? [item.id] });
  }
  return { ok: failures.length === 0, failures, stats };
}

/** Searches a witness for each open target in the neighbourhood; returns those without one. */
function witnesses(
  table: Table,
  bounds: Map<string, [number, number]>,
  vars: string[],
  item: Protected,
  open: number[],
  memo: { proven: Set<string>; cache: AuditCache | undefined; points: Map<string, Point> | undefined },
  stats: AuditResult['stats'],
  engine?: WitnessEngine,
): number[] {
  const { proven, cache, points } = memo;
  // Small programs stay with the dense solver (microseconds); large ones go to the engine.
  if (engine && vars.length <= SMALL_PROGRAM) engine = undefined;
  const { lp, index } = localProgram(table, bounds, vars);
  const j = index.get(item.id)!;
  // A component's signature is long: kept by its hash (the engine's programs are few).
  const sig = (s: string) => (engine ? `highs:${createHash('sha256').update(s).digest('base64')}` : s);
  const key = cache ? `${item.id}|${sig(signature(lp, vars))}` : '';
  const known = cache?.get(key);
  if (known) stats.reused++;
  else stats.audited++;
  const found: number[] = [];
  const missing: number[] = [];
  for (const t of open) {
    if (proven.has(`${item.id}=${t}`)) continue;
    if (known?.yes.includes(t)) {
      proven.add(`${item.id}=${t}`);
      continue;
    }
    if (known?.no.includes(t)) {
      missing.push(t);
      continue;
    }
    const lower = lp.lower.slice();
    const upper = lp.upper.slice();
    lower[j] = t;
    upper[j] = t;
    stats.solves++;
    const program = { ...lp, lower, upper };
    const x = engine ? engine.solve(program) : denseWitness(program);
    if (x && verify(program, x)) {
      found.push(t);
      proven.add(`${item.id}=${t}`);
      // The same point proves the values it gives the other protected cells it moves.
      vars.forEach((id, i) => proven.add(`${id}=${x[i]}`));
      if (points) remember(points, table, vars, x, CACHE_LIMIT);
    } else missing.push(t);
  }
  if (cache && (found.length || missing.length)) {
    if (cache.size > CACHE_LIMIT) cache.clear();
    const no = missing.filter((t) => !known?.no.includes(t));
    cache.set(key, { yes: [...(known?.yes ?? []), ...found], no: [...(known?.no ?? []), ...no] });
  }
  return missing;
}

function denseWitness(program: Parameters<typeof solveIlp>[0]): number[] | undefined {
  const r = solveIlp(program);
  return r.status === 'optimal' ? r.x : undefined;
}

function holdsOnTruth(table: Table): boolean {
  return table.relations.every((r) => r.ids.reduce((a, id, t) => a + r.coefs[t]! * table.value(id), 0) === 0);
}
