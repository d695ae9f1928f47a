// A reader who does the arithmetic, written independently of the product's
// disclosure code: it rebuilds what can be combined from the public projections
// themselves (figures as printed, how they add up by the documented rules) and
// from the true figures of the snapshots, then decides by exhaustive search
// (bounds propagation and branching over whole numbers, no linear programming)
// which values each protected quantity could still take.
import { GROUPS, STAGES, type Stage } from '../../src/domain/figures.ts';
import type {
  PublicFigure,
  PublicOperation,
  PublicProjection,
  PublishedMovement,
} from '../../src/domain/privacy.ts';
import type { Snapshot, SnapshotMovement } from '../../src/domain/snapshot.ts';

type Term = [string, number];
type Item = { name: string; lo: number; hi: number; truth: number };

export class Reader {
  lo = new Map<string, number>();
  hi = new Map<string, number>();
  truth = new Map<string, number>();
  rows: Term[][] = [];
  items: Item[] = [];
  constructor(readonly k: number) {}

  variable(name: string, truth: number, lo: number, hi: number) {
    if (this.truth.has(name)) {
      if (this.truth.get(name) !== truth) throw new Error(`${name}: two truths`);
      this.lo.set(name, Math.max(this.lo.get(name)!, lo));
      this.hi.set(name, Math.min(this.hi.get(name)!, hi));
    } else {
      this.truth.set(name, truth);
      this.lo.set(name, lo);
      this.hi.set(name, hi);
    }
  }
  /** Σ coef·var = 0 */
  relation(terms: Term[]) {
    const live = terms.filter(([n]) => this.truth.has(n));
    if (live.length !== terms.length || live.length < 2) return;
    const s = live.reduce((a, [n, c]) => a + c * this.truth.get(n)!, 0);
    if (s !== 0)
      throw new Error(`relation does not hold on the truth: ${terms.map((t) => t.join('*')).join(',')}`);
    this.rows.push(live);
  }
  /** name = a − b, a new variable with natural bounds. */
  difference(name: string, a: string, b: string, lower: number) {
    if (!this.truth.has(a) || !this.truth.has(b)) return false;
    this.variable(name, this.truth.get(a)! - this.truth.get(b)!, lower, Infinity);
    this.relation([
      [a, 1],
      [b, -1],
      [name, -1],
    ]);
    return true;
  }
  protect(name: string, lo: number, hi: number) {
    const truth = this.truth.get(name)!;
    if (lo <= hi) this.items.push({ name, lo, hi, truth });
  }

  /**
   * Every protected value no consistent assignment reaches. Each value is searched first
   * near the truth (every unknown within `window` of its true value: a witness found there
   * is a witness), and only if none is found there over the whole range. Why: a withheld
   * cell ranges over hundreds of values, and where a group of them can all shift together
   * (a withheld total and its withheld parts), bisecting their wide ranges one by one
   * explored millions of nodes for a single value (the correction property ran for minutes).
   */
  uncovered(): { name: string; value: number }[] {
    const cap = [...this.truth.values()].reduce((a, v) => a + Math.abs(v), 0) + 4 * this.k + 10;
    const window = 2 * this.k + 2;
    const names = [...this.truth.keys()];
    const index = new Map(names.map((n, i) => [n, i]));
    const rows = this.rows.map((r) => r.map(([n, c]) => [index.get(n)!, c] as const));
    const lo0 = names.map((n) => Math.max(this.lo.get(n)!, -cap));
    const hi0 = names.map((n) => Math.min(this.hi.get(n)!, cap));
    const near = names.map((n, i) => {
      const v = this.truth.get(n)!;
      return [Math.max(lo0[i]!, v - window), Math.min(hi0[i]!, v + window)] as const;
    });
    const reaches = (j: number, t: number, range: (i: number) => readonly [number, number]) => {
      const lo = names.map((_, i) => range(i)[0]);
      const hi = names.map((_, i) => range(i)[1]);
      lo[j] = Math.max(lo[j]!, t);
      hi[j] = Math.min(hi[j]!, t);
      return lo[j] <= hi[j] && search(rows, lo, hi, 0);
    };
    const out: { name: string; value: number }[] = [];
    for (const it of this.items) {
      const j = index.get(it.name)!;
      for (let t = it.lo; t <= it.hi; t++) {
        if (t === it.truth) continue;
        if (reaches(j, t, (i) => near[i]!)) continue;
        if (!reaches(j, t, (i) => [lo0[i]!, hi0[i]!])) out.push({ name: it.name, value: t });
      }
    }
    return out;
  }
}

function propagate(rows: (readonly [number, number])[][], lo: number[], hi: number[]): boolean {
  for (let round = 0; round < 200; round++) {
    let changed = false;
    for (const r of rows) {
      let smin = 0;
      let smax = 0;
      for (const [i, c] of r) {
        smin += c > 0 ? c * lo[i]! : c * hi[i]!;
        smax += c > 0 ? c * hi[i]! : c * lo[i]!;
      }
      for (const [i, c] of r) {
        // c·x_i = −(rest): rest ∈ [smin − own_min, smax − own_max]
        const ownMin = c > 0 ? c * lo[i]! : c * hi[i]!;
        const ownMax = c > 0 ? c * hi[i]! : c * lo[i]!;
        const restMin = smin - ownMin;
        const restMax = smax - ownMax;
        let a = -restMax / c;
        let b = -restMin / c;
        if (c < 0) [a, b] = [b, a];
        const nlo = Math.max(lo[i]!, Math.ceil(a - 1e-9));
        const nhi = Math.min(hi[i]!, Math.floor(b + 1e-9));
        if (nlo > nhi) return false;
        if (nlo !== lo[i] || nhi !== hi[i]) {
          lo[i] = nlo;
          hi[i] = nhi;
          changed = true;
        }
      }
    }
    if (!changed) return true;
  }
  return true;
}

function search(rows: (readonly [number, number])[][], lo: number[], hi: number[], depth: number): boolean {
  if (depth > 400) throw new Error('search too deep');
  if (!propagate(rows, lo, hi)) return false;
  let pick = -1;
  for (let i = 0; i < lo.length; i++)
    if (lo[i] !== hi[i] && (pick < 0 || hi[i]! - lo[i]! < hi[pick]! - lo[pick]!)) pick = i;
  if (pick < 0) return rows.every((r) => r.reduce((a, [i, c]) => a + c * lo[i]!, 0) === 0);
  const mid = Math.floor((lo[pick]! + hi[pick]!) / 2);
  const a = [lo.slice(), hi.slice()] as const;
  a[1][pick] = mid;
  if (search(rows, a[0], a[1], depth + 1)) return true;
  const b = [lo.slice(), hi.slice()] as const;
  b[0][pick] = mid + 1;
  return search(rows, b[0], b[1], depth + 1);
}

const S: Record<Stage, string> = { registered: 'R', departed: 'D', arrived: 'A' };

function bounds(f: PublicFigure, k: number): [number, number] | null {
  switch (f.kind) {
    case 'value':
    case 'at_least':
      return [f.value, f.value];
    case 'fewer_than':
      return [1, k - 1];
    case 'withheld':
      return [0, Infinity];
    case 'not_reported':
      return null;
  }
}

const localDay = (d: Date, tz: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);

/**
 * Adds what one published state says about one operation. `tag` names the state; a
 * figure whose true value is the same in `sameAs` (the other state) is one variable.
 */
export function readState(
  reader: Reader,
  tag: string,
  snap: Snapshot,
  op: PublicOperation,
  sameAs?: { tag: string; truths: Map<string, number> },
): Map<string, number> {
  const k = reader.k;
  const truths = new Map<string, number>();
  const names = new Map<string, string>();
  const name = (cell: string, truth: number) => {
    truths.set(cell, truth);
    const n = sameAs && sameAs.truths.get(cell) === truth ? `${sameAs.tag}:${cell}` : `${tag}:${cell}`;
    names.set(cell, n);
    return n;
  };
  const cell = (
    id: string,
    truth: number | null,
    f: PublicFigure,
    level: 'printed' | 'hidden' = 'printed',
  ) => {
    if (truth === null) return;
    const b = level === 'printed' ? bounds(f, k) : null;
    reader.variable(name(id, truth), truth, b ? b[0] : 0, b ? b[1] : Infinity);
  };
  const N = (id: string) => names.get(id) ?? `${tag}:${id}#absent`;
  const movements = new Map<number, SnapshotMovement>();
  for (const r of snap.routes) for (const m of r.movements) movements.set(m.id, m);
  const sum = (vals: (number | null)[]) => {
    const known = vals.filter((v): v is number => v !== null);
    return known.length ? known.reduce((a, b) => a + b, 0) : null;
  };
  const published: SnapshotMovement[] = [];
  for (const r of op.routes) {
    const pub = r.movements.filter((m): m is PublishedMovement => m.published);
    for (const pm of pub) {
      const m = movements.get(pm.id)!;
      published.push(m);
      for (const s of STAGES) cell(`m${m.id}.${S[s]}`, m.counts[s].total, pm.figures[s]);
    }
    for (const s of STAGES) {
      const parts = pub.map((pm) => movements.get(pm.id)!).filter((m) => m.counts[s].total !== null);
      cell(`r${r.id}.${S[s]}`, sum(parts.map((m) => m.counts[s].total)), r.figures[s]);
      if (parts.length)
        reader.relation([[N(`r${r.id}.${S[s]}`), 1], ...parts.map((m): Term => [N(`m${m.id}.${S[s]}`), -1])]);
    }
  }
  const rIds = op.routes.map((r) => r.id);
  // Operation totals over routes; arrived = home; the published registered total is implied.
  const routeSum = (s: string) => rIds.filter((id) => names.has(`r${id}.${s}`));
  const opR = sum(routeSum('R').map((id) => truths.get(`r${id}.R`)!));
  if (opR !== null) {
    cell('op.R', opR, { kind: 'withheld' }, 'hidden');
    reader.relation([[N('op.R'), 1], ...routeSum('R').map((id): Term => [N(`r${id}.R`), -1])]);
  }
  for (const s of ['D', 'A']) {
    const parts = routeSum(s);
    const total = sum(parts.map((id) => truths.get(`r${id}.${s}`)!));
    const f = s === 'D' ? op.totals.departed : op.totals.arrived;
    cell(`op.${s}`, total ?? (s === 'A' ? 0 : null), f);
    if (parts.length)
      reader.relation([[N(`op.${s}`), 1], ...parts.map((id): Term => [N(`r${id}.${s}`), -1])]);
  }
  // The headline, by its documented definition.
  const pubIds = new Set(published.map((m) => m.id));
  const live = [...movements.values()].filter((m) => m.status !== 'cancelled');
  const waitingKnown = live.filter((m) => !pubIds.has(m.id)).map((m) => m.counts.registered.total);
  const g2 = published.filter((m) => m.counts.departed.total === null && m.counts.registered.total !== null);
  const g3 = published.filter(
    (m) => m.counts.departed.total !== null && m.counts.arrived.total === null && m.status === 'arrived',
  );
  const w = sum(waitingKnown);
  if (w !== null) cell('h.waiting', w, op.totals.waiting);
  const D = truths.get('op.D') ?? 0;
  const A = truths.get('op.A') ?? 0;
  const g3D = g3.reduce((a, m) => a + m.counts.departed.total!, 0);
  const otw = D - A - g3D;
  cell('h.onTheWay', otw, op.totals.onTheWay);
  if (names.has('op.D'))
    reader.relation([
      [N('h.onTheWay'), 1],
      [N('op.D'), -1],
      [N('op.A'), 1],
      ...g3.map((m): Term => [N(`m${m.id}.D`), 1]),
    ]);
  const nr = g2.reduce((a, m) => a + m.counts.registered.total!, 0) + g3D;
  cell('h.notReported', nr, op.totals.stageNotReported);
  const nrParts = [...g2.map((m) => `m${m.id}.R`), ...g3.map((m) => `m${m.id}.D`)];
  if (nrParts.length) reader.relation([[N('h.notReported'), 1], ...nrParts.map((p): Term => [N(p), -1])]);
  cell('h.total', (w ?? 0) + otw + A + nr, op.totals.registered);
  reader.relation([
    [N('h.total'), 1],
    ...(w !== null ? [[N('h.waiting'), -1] as Term] : []),
    [N('h.onTheWay'), -1],
    [N('op.A'), -1],
    [N('h.notReported'), -1],
  ]);
  // Groups over published movements.
  for (const s of STAGES) {
    const withTotal = published.filter((m) => m.counts[s].total !== null);
    const parts: string[] = [];
    for (const g of GROUPS) {
      const v = sum(withTotal.map((m) => m.counts[s][g]));
      if (v === null) continue;
      const f = op.groups.find((x) => x.group === g)!.figures[s];
      cell(`g.${g}.${S[s]}`, v, f);
      parts.push(`g.${g}.${S[s]}`);
    }
    if (!parts.length) continue;
    const nbd = withTotal.reduce(
      (a, m) => a + m.counts[s].total! - GROUPS.reduce((x, g) => x + (m.counts[s][g] ?? 0), 0),
      0,
    );
    cell(`g.nbd.${S[s]}`, nbd, op.groups.find((x) => x.group === 'notBrokenDown')!.figures[s]);
    const total = s === 'registered' ? 'op.R' : `op.${S[s]}`;
    reader.relation([[N(total), 1], ...[...parts, `g.nbd.${S[s]}`].map((p): Term => [N(p), -1])]);
  }
  // Arrivals per local day, from each published movement's arrival time.
  const tz = snap.operation.timeZone;
  const dayParts = new Map<string, SnapshotMovement[]>();
  const undated: SnapshotMovement[] = [];
  for (const m of published) {
    if (m.counts.arrived.total === null) continue;
    if (!m.arrivedAt) undated.push(m);
    else {
      const d = localDay(m.arrivedAt, tz);
      dayParts.set(d, [...(dayParts.get(d) ?? []), m]);
    }
  }
  const dayCells: string[] = [];
  for (const d of op.arrivalsByDay) {
    const ms = dayParts.get(d.day) ?? [];
    cell(
      `day.${d.day}`,
      ms.reduce((a, m) => a + m.counts.arrived.total!, 0),
      d.arrived,
    );
    if (ms.length) reader.relation([[N(`day.${d.day}`), 1], ...ms.map((m): Term => [N(`m${m.id}.A`), -1])]);
    dayCells.push(`day.${d.day}`);
  }
  if (undated.length && op.arrivalsUndated) {
    cell(
      'day.undated',
      undated.reduce((a, m) => a + m.counts.arrived.total!, 0),
      op.arrivalsUndated,
    );
    reader.relation([[N('day.undated'), 1], ...undated.map((m): Term => [N(`m${m.id}.A`), -1])]);
    dayCells.push('day.undated');
  }
  if (dayCells.length) reader.relation([[N('op.A'), 1], ...dayCells.map((d): Term => [N(d), -1])]);

  // Differences a reader takes, and what must stay protected.
  const small = (v: number) => Math.abs(v) >= 1 && Math.abs(v) <= k - 1;
  const protectSmall = (n: string) => {
    const v = reader.truth.get(n)!;
    if (small(v)) reader.protect(n, v > 0 ? 1 : -(k - 1), v > 0 ? k - 1 : -1);
  };
  for (const [cellId, n] of names) if (!cellId.startsWith('op.R')) protectSmall(n);
  const diff = (prefix: string, a: string, b: string, nonNegative: boolean) => {
    const id = `${prefix}.${a}-${b}`;
    const n = `${tag}:${id}`;
    if (reader.difference(n, N(`${prefix}.${a}`), N(`${prefix}.${b}`), nonNegative ? 0 : -Infinity)) {
      const v = reader.truth.get(n)!;
      if (small(v)) reader.protect(n, v > 0 ? 1 : -(k - 1), v > 0 ? k - 1 : -1);
    }
  };
  for (const m of published) {
    diff(`m${m.id}`, 'R', 'D', false);
    diff(`m${m.id}`, 'D', 'A', true);
  }
  for (const id of rIds) {
    diff(`r${id}`, 'R', 'D', false);
    diff(`r${id}`, 'D', 'A', true);
  }
  for (const g of [...GROUPS, 'nbd']) {
    diff(`g.${g}`, 'R', 'D', false);
    diff(`g.${g}`, 'D', 'A', false);
  }
  return truths;
}

/** Changes between two states: new − old for every figure in both whose true value moved. */
export function readChanges(
  reader: Reader,
  before: { tag: string; truths: Map<string, number> },
  after: { tag: string; truths: Map<string, number> },
) {
  const k = reader.k;
  for (const [cell, v] of after.truths) {
    const u = before.truths.get(cell);
    if (u === undefined || u === v || cell.startsWith('op.R')) continue;
    const n = `d:${cell}`;
    const oldName = `${before.tag}:${cell}`;
    reader.difference(n, `${after.tag}:${cell}`, oldName, -Infinity);
    const d = v - u;
    if (Math.abs(d) < 1 || Math.abs(d) > k - 1) continue;
    // What the old display alone gives away cannot be taken back: clip to it.
    const oldLo = reader.lo.get(oldName)!;
    const oldHi = reader.hi.get(oldName)!;
    const lo = Math.max(d > 0 ? 1 : -(k - 1), 0 - oldHi);
    const hi = Math.min(d > 0 ? k - 1 : -1, Infinity - oldLo);
    reader.protect(n, lo, hi);
  }
}

export function projectionOperation(p: PublicProjection): PublicOperation {
  return p.operations[0]!;
}
