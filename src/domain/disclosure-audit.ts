// The exact disclosure audit. For every protected item (a cell and its
// protection interval) and every value t of that interval, it must exhibit a
// witness: a whole assignment of every unknown cell that satisfies every
// published relation and every reader bound, with the protected cell equal to t.
// A witness is checked in exact integer arithmetic before it counts, so the
// verdict "safe" never rests on floating point or on the search (disclosure-lp.ts):
// the search can only fail to find a witness, and then the build is not published.
//
// Visible cells are constants. The unknown cells (suppressed and derived) split
// into connected components through the relations; each component is audited
// on its own, and a component seen before (same cells, bounds, relations and
// items) reuses its verdict, so a save that touches one movement re-audits only
// the few components around it.
import { type LinearProgram, type LinearRow, solveIlp } from './disclosure-lp.ts';
import { type Display, type Protected, type Table, readerBounds } from './disclosure-table.ts';

export type Failure = { item: Protected; target: number; component: string[] };
export type AuditResult = {
  ok: boolean;
  failures: Failure[];
  stats: { components: number; audited: number; reused: number; solves: number; unknowns: number };
};

export type AuditCache = Map<string, { target: number; itemIndex: number }[]>;

export function createAuditCache(): AuditCache {
  return new Map();
}

const CACHE_LIMIT = 200_000;

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

export function audit(
  table: Table,
  display: ReadonlyMap<string, Display>,
  items: readonly Protected[],
  o: { cache?: AuditCache; extra?: ReadonlyMap<string, [number, number]> } = {},
): AuditResult {
  const { cache } = o;
  const bounds = boundsOf(table, display, o.extra);
  const unknown = new Set<string>();
  for (const [id, b] of bounds) if (b[0] !== b[1]) unknown.add(id);
  // Components of unknown cells through the relations.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (parent.get(y) !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  for (const id of unknown) parent.set(id, id);
  for (const r of table.relations) {
    let first: string | undefined;
    for (const id of r.ids) {
      if (!unknown.has(id)) continue;
      if (first === undefined) first = id;
      else {
        const a = find(first);
        const b = find(id);
        if (a !== b) parent.set(a, b);
      }
    }
  }
  const failures: Failure[] = [];
  const stats = { components: 0, audited: 0, reused: 0, solves: 0, unknowns: unknown.size };
  const itemsByRoot = new Map<string, Protected[]>();
  for (const item of items) {
    if (!table.has(item.id)) continue;
    const truth = table.value(item.id);
    if (!unknown.has(item.id)) {
      // Printed exactly: only safe if the interval is that single value.
      for (let t = item.lo; t <= item.hi; t++)
        if (t !== truth) failures.push({ item, target: t, component: [item.id] });
      continue;
    }
    const root = find(item.id);
    const list = itemsByRoot.get(root);
    if (list) list.push(item);
    else itemsByRoot.set(root, [item]);
  }
  if (itemsByRoot.size === 0) return { ok: failures.length === 0, failures, stats };
  const members = new Map<string, string[]>();
  for (const id of unknown) {
    const root = find(id);
    if (!itemsByRoot.has(root)) continue;
    const list = members.get(root);
    if (list) list.push(id);
    else members.set(root, [id]);
  }
  stats.components = members.size;
  for (const [root, vars] of members) {
    const compItems = itemsByRoot.get(root)!;
    const result = auditComponent(table, bounds, vars, compItems, cache, stats);
    for (const f of result)
      failures.push({ item: compItems[f.itemIndex]!, target: f.target, component: vars });
  }
  return { ok: failures.length === 0, failures, stats };
}

/** The program of one component: its unknowns, their bounds and the relations they appear in. */
function componentProgram(table: Table, bounds: Map<string, [number, number]>, vars: string[]) {
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
        if (i === undefined) row.rhs -= r.coefs[t]! * bounds.get(cid)![0];
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

function signature(lp: LinearProgram, vars: string[], items: Protected[]): string {
  const rows = lp.rows
    .map((r) => `${r.vars.map((v, i) => `${r.coefs[i]}*${v}`).join('+')}=${r.rhs}`)
    .sort()
    .join(';');
  return `${vars.map((v, i) => `${v}[${lp.lower[i]},${lp.upper[i]}]`).join(',')}|${rows}|${items
    .map((it) => `${it.id}:${it.lo}:${it.hi}`)
    .join(',')}`;
}

function auditComponent(
  table: Table,
  bounds: Map<string, [number, number]>,
  vars: string[],
  items: Protected[],
  cache: AuditCache | undefined,
  stats: AuditResult['stats'],
): { target: number; itemIndex: number }[] {
  const { lp, index } = componentProgram(table, bounds, vars);
  const key = cache ? signature(lp, vars, items) : '';
  const hit = cache?.get(key);
  if (hit) {
    stats.reused++;
    return hit;
  }
  stats.audited++;
  const truth = vars.map((id) => table.value(id));
  const covered = items.map((it) => new Set<number>([table.value(it.id)]));
  const cover = (x: number[]) => {
    items.forEach((it, i) => {
      const v = x[index.get(it.id)!]!;
      if (v >= it.lo && v <= it.hi) covered[i]!.add(v);
    });
  };
  if (!verify(lp, truth)) {
    // The true figures break a relation: a bug in the table, never publish on it.
    return items.flatMap((it, itemIndex) => rangeOf(it).map((target) => ({ target, itemIndex })));
  }
  const missing: { target: number; itemIndex: number }[] = [];
  items.forEach((it, itemIndex) => {
    const j = index.get(it.id)!;
    for (let t = it.lo; t <= it.hi; t++) {
      if (covered[itemIndex]!.has(t)) continue;
      const lower = lp.lower.slice();
      const upper = lp.upper.slice();
      lower[j] = t;
      upper[j] = t;
      stats.solves++;
      const r = solveIlp({ ...lp, lower, upper });
      if (r.status === 'optimal' && verify({ ...lp, lower, upper }, r.x)) cover(r.x);
      else missing.push({ target: t, itemIndex });
    }
  });
  if (cache) {
    if (cache.size > CACHE_LIMIT) cache.clear();
    cache.set(key, missing);
  }
  return missing;
}

const rangeOf = (it: Protected) => Array.from({ length: it.hi - it.lo + 1 }, (_, i) => it.lo + i);

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
