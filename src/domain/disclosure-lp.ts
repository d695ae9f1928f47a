// A small dense linear-programming solver (bounded-variable primal simplex, two
// phases, Bland's rule) and a depth-first branch and bound for integer points.
// It only *searches*: the disclosure audit never trusts it. Every point it finds
// is checked again in exact integer arithmetic (disclosure-audit.ts), and a
// point it fails to find only makes the audit refuse or hide more — never
// publish less safely. The problems are tiny (one component of unknown cells,
// rarely more than a few dozen variables), where a dense tableau in plain
// JavaScript answers in microseconds, far below a WebAssembly solver's call cost.

export type LinearRow = { vars: number[]; coefs: number[]; rhs: number };
export type LinearProgram = {
  /** Number of variables. */
  n: number;
  lower: number[];
  upper: number[];
  rows: LinearRow[];
  /** Minimised; all zero for a feasibility question. */
  cost?: number[];
};
export type LpResult = { status: 'optimal'; x: number[]; value: number } | { status: 'infeasible' | 'limit' };

const EPS = 1e-9;
const MAX_PIVOTS = 20_000;

/**
 * Solves min cost·x subject to the rows (equalities) and lower ≤ x ≤ upper.
 * Bounds may be ±Infinity. An unbounded objective is reported as 'limit'.
 */
export function solveLp(lp: LinearProgram): LpResult {
  // Substitute every variable by non-negative ones with a finite lower bound of 0:
  //   finite l:           x = l + y,        y ∈ [0, u − l]
  //   l = −∞, finite u:   x = u − y,        y ∈ [0, ∞)
  //   free:               x = y⁺ − y⁻
  type Map1 = { col: number; sign: number; shift: number; col2?: number };
  const maps: Map1[] = [];
  const ub: number[] = [];
  for (let j = 0; j < lp.n; j++) {
    const l = lp.lower[j]!;
    const u = lp.upper[j]!;
    if (l > u + EPS) return { status: 'infeasible' };
    if (Number.isFinite(l)) {
      maps.push({ col: ub.length, sign: 1, shift: l });
      ub.push(u - l);
    } else if (Number.isFinite(u)) {
      maps.push({ col: ub.length, sign: -1, shift: u });
      ub.push(Infinity);
    } else {
      maps.push({ col: ub.length, sign: 1, shift: 0, col2: ub.length + 1 });
      ub.push(Infinity, Infinity);
    }
  }
  const ny = ub.length;
  const m = lp.rows.length;
  const width = ny + m; // structural + artificial
  // Tableau rows: coefficients (width) and the value of the basic variable.
  const T: Float64Array[] = [];
  const rhs = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const row = new Float64Array(width);
    const r = lp.rows[i]!;
    let b = r.rhs;
    for (let t = 0; t < r.vars.length; t++) {
      const mp = maps[r.vars[t]!]!;
      const a = r.coefs[t]!;
      b -= a * mp.shift;
      row[mp.col]! += a * mp.sign;
      if (mp.col2 !== undefined) row[mp.col2]! -= a;
    }
    if (b < 0) {
      for (let j = 0; j < ny; j++) row[j] = -row[j]!;
      b = -b;
    }
    row[ny + i] = 1;
    T.push(row);
    rhs[i] = b;
  }
  const upper = new Float64Array(width);
  for (let j = 0; j < ny; j++) upper[j] = ub[j]!;
  for (let i = 0; i < m; i++) upper[ny + i] = Infinity;
  /** Non-basic variables sit at 0 or at their upper bound. */
  const atUpper = new Uint8Array(width);
  const basis = new Int32Array(m);
  for (let i = 0; i < m; i++) basis[i] = ny + i;
  const isBasic = new Uint8Array(width);
  for (let i = 0; i < m; i++) isBasic[ny + i] = 1;

  const costY = new Float64Array(width);
  let pivots = 0;

  const run = (cost: Float64Array, allowArtificial: boolean): 'optimal' | 'limit' => {
    // Reduced costs d_j = c_j − c_B · column_j, kept up to date at each pivot.
    const d = new Float64Array(width);
    for (let j = 0; j < width; j++) {
      let v = cost[j]!;
      for (let i = 0; i < m; i++) {
        const a = T[i]![j]!;
        if (a !== 0) v -= cost[basis[i]!]! * a;
      }
      d[j] = v;
    }
    /** Consecutive pivots that did not move (degenerate): past a few, Bland's rule (no cycling). */
    let stalled = 0;
    for (;;) {
      if (++pivots > MAX_PIVOTS) return 'limit';
      // Dantzig's rule (the steepest reduced cost), or Bland's (the first) while stalled.
      const bland = stalled > 20;
      let enter = -1;
      let dir = 0;
      let best = EPS;
      for (let j = 0; j < width; j++) {
        if (isBasic[j] || (!allowArtificial && j >= ny)) continue;
        if (upper[j] === 0) continue; // fixed at 0
        const dj = d[j]!;
        const gain = atUpper[j] ? dj : -dj;
        if (gain > best) {
          enter = j;
          dir = atUpper[j] ? -1 : 1;
          if (bland) break;
          best = gain;
        }
      }
      if (enter < 0) return 'optimal';
      // Ratio test: how far the entering variable can move (dir) before a basic one leaves.
      let step = upper[enter]!; // a bound flip
      let leave = -1;
      let leaveToUpper = false;
      for (let i = 0; i < m; i++) {
        const a = T[i]![enter]! * dir;
        if (a > EPS) {
          const s = rhs[i]! / a; // the basic variable falls to 0
          if (s < step - EPS || (s < step + EPS && leave >= 0 && basis[i]! < basis[leave]!)) {
            step = s;
            leave = i;
            leaveToUpper = false;
          }
        } else if (a < -EPS && Number.isFinite(upper[basis[i]!]!)) {
          const s = (upper[basis[i]!]! - rhs[i]!) / -a; // it rises to its upper bound
          if (s < step - EPS || (s < step + EPS && leave >= 0 && basis[i]! < basis[leave]!)) {
            step = s;
            leave = i;
            leaveToUpper = true;
          }
        }
      }
      if (!Number.isFinite(step)) return 'limit'; // unbounded
      stalled = step > EPS ? 0 : stalled + 1;
      // Move: every basic value changes by −a·dir·step.
      for (let i = 0; i < m; i++) rhs[i]! -= T[i]![enter]! * dir * step;
      if (leave < 0) {
        atUpper[enter] = dir > 0 ? 1 : 0;
        continue;
      }
      // Pivot on (leave, enter). The entering variable's value: its bound ± step.
      const enteringValue = (atUpper[enter] ? upper[enter]! : 0) + dir * step;
      const out = basis[leave]!;
      const prow = T[leave]!;
      const p = prow[enter]!;
      for (let j = 0; j < width; j++) prow[j]! /= p;
      for (let i = 0; i < m; i++) {
        if (i === leave) continue;
        const row = T[i]!;
        const f = row[enter]!;
        if (f === 0) continue;
        for (let j = 0; j < width; j++) row[j]! -= f * prow[j]!;
      }
      const fd = d[enter]!;
      if (fd !== 0) for (let j = 0; j < width; j++) d[j]! -= fd * prow[j]!;
      rhs[leave] = enteringValue;
      basis[leave] = enter;
      isBasic[enter] = 1;
      isBasic[out] = 0;
      atUpper[out] = leaveToUpper ? 1 : 0;
      atUpper[enter] = 0;
    }
  };

  // Phase 1: drive the artificial variables to zero.
  const phase1 = new Float64Array(width);
  for (let i = 0; i < m; i++) phase1[ny + i] = 1;
  if (run(phase1, true) === 'limit') return { status: 'limit' };
  let infeas = 0;
  for (let i = 0; i < m; i++) if (basis[i]! >= ny) infeas += rhs[i]!;
  if (infeas > 1e-7) return { status: 'infeasible' };
  // Artificials leave for good: fix them at 0.
  for (let i = 0; i < m; i++) upper[ny + i] = 0;

  if (lp.cost && lp.cost.some((c) => c !== 0)) {
    for (let j = 0; j < lp.n; j++) {
      const mp = maps[j]!;
      const c = lp.cost[j]!;
      costY[mp.col]! += c * mp.sign;
      if (mp.col2 !== undefined) costY[mp.col2]! -= c;
    }
    if (run(costY, false) === 'limit') return { status: 'limit' };
  }

  const y = new Float64Array(width);
  for (let j = 0; j < width; j++) if (!isBasic[j] && atUpper[j]) y[j] = upper[j]!;
  for (let i = 0; i < m; i++) y[basis[i]!] = rhs[i]!;
  const x: number[] = [];
  let value = 0;
  for (let j = 0; j < lp.n; j++) {
    const mp = maps[j]!;
    let v = mp.shift + mp.sign * y[mp.col]!;
    if (mp.col2 !== undefined) v -= y[mp.col2]!;
    x.push(v);
    value += (lp.cost?.[j] ?? 0) * v;
  }
  return { status: 'optimal', x, value };
}

/**
 * An integer point of the program (minimising its cost among those explored),
 * by depth-first branch and bound. 'limit' when the node budget runs out.
 */
export function solveIlp(lp: LinearProgram, maxNodes = 400): LpResult {
  let nodes = 0;
  let best: { x: number[]; value: number } | undefined;
  const hasCost = lp.cost?.some((c) => c !== 0) ?? false;
  let hitLimit = false;
  const visit = (lower: number[], upper: number[]): void => {
    if (++nodes > maxNodes) {
      hitLimit = true;
      return;
    }
    const r = solveLp({ ...lp, lower, upper });
    if (r.status === 'limit') {
      hitLimit = true;
      return;
    }
    if (r.status !== 'optimal') return;
    if (best && r.value >= best.value - 1e-9) return;
    let branch = -1;
    let worst = 0;
    for (let j = 0; j < lp.n; j++) {
      const frac = Math.abs(r.x[j]! - Math.round(r.x[j]!));
      if (frac > 1e-6 && frac > worst) {
        worst = frac;
        branch = j;
      }
    }
    if (branch < 0) {
      best = { x: r.x.map((v) => Math.round(v)), value: r.value };
      return;
    }
    const v = r.x[branch]!;
    const down = upper.slice();
    down[branch] = Math.floor(v);
    const up = lower.slice();
    up[branch] = Math.ceil(v);
    visit(lower, down);
    if (!hasCost && best) return;
    visit(up, upper);
  };
  visit(lp.lower.slice(), lp.upper.slice());
  if (best) return { status: 'optimal', x: best.x, value: best.value };
  return { status: hitLimit ? 'limit' : 'infeasible' };
}
