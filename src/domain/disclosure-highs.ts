// The audit's wide witness search (docs/privacy.md, "How it is enforced"): HiGHS, a MIP
// solver compiled to WebAssembly (npm `highs`, MIT), over a protected cell's whole
// connected component where the small dense solver's neighbourhood (disclosure-lp.ts,
// at most MAX_VARIABLES unknowns) held no witness. A feasibility question: every unknown
// cell of the component an integer within what a reader knows of it, every relation
// touching one balanced (the others hold on the truth), the protected cell fixed at the
// value asked. Like the dense solver it only searches: the point it returns is rounded and
// checked again in exact integer arithmetic (disclosure-neighbourhood.ts `verify`) before
// it proves anything, and a point it does not find only makes the audit refuse or hide more.
//
// Why not always: a call costs about a millisecond before any work (the dense solver answers
// a small program in microseconds), and the runtime is 23 MB of RSS once loaded (issue 20:
// ≤ 150 MB per process). Loading is asynchronous (an emscripten factory; no synchronous
// path), so the async callers that audit day ends (the as-of service, the digest's days)
// load it before the synchronous audit, only when a day end is to be audited, and drop it
// with what they read (src/public/as-of-state.ts). The live page's builds never load it.
//
// Deterministic: one thread (the build's default), a node limit rather than a time limit
// for the search (a time limit only as a backstop against a runaway solve), so the same
// program gets the same answer on any machine — a process recording a day and another
// showing it must agree.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Highs } from 'highs';
import type { FigureInput } from './disclosure-cells.ts';
import type { LinearProgram } from './disclosure-lp.ts';
import { FIELDS, STAGES } from './figures.ts';

export type WitnessEngine = {
  /** A whole integer point of a program (equalities, bounds; its cost ignored); undefined: none found. */
  solve(lp: LinearProgram): number[] | undefined;
  /** A point of least cost of the linear relaxation (the repair's programs); undefined: none. */
  minimise(lp: LinearProgram): number[] | undefined;
  /** Programs solved (for the benchmarks). */
  readonly calls: number;
};

/**
 * With the engine loaded, programs of more variables than this go to it: below, the dense
 * solver answers in microseconds; above, its tableau and branch and bound grow as n², and a
 * program without a solution can take it hundreds of milliseconds to give up on.
 */
export const SMALL_PROGRAM = 48;

/** Branch-and-bound nodes per search: past this, no witness (a refusal, never a leak). */
const MAX_NODES = 2_000;
/** Seconds: only against a runaway solve (the node limit decides in practice). */
const BACKSTOP_SECONDS = 60;

// The package's types describe its CommonJS entry; its ES module's default export is the loader.
type Loader = (o: { wasmBinary: Uint8Array }) => Promise<Highs>;

/**
 * Loads HiGHS (about 0.1 s of CPU; 23 MB of RSS while it is referenced). Each call loads a
 * runtime of its own: the caller keeps it while it audits and lets it go after.
 */
export async function loadWideSearch(): Promise<WitnessEngine> {
  const load = (await import('highs')).default as unknown as Loader;
  // The binary by its package path, not beside the loader (a bundled build moves the loader).
  const wasmBinary = readFileSync(createRequire(import.meta.url).resolve('highs/runtime'));
  const highs = await load({ wasmBinary });
  return engineOf(highs);
}

function engineOf(highs: Highs): WitnessEngine {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    solve(lp) {
      calls++;
      return solveWithHighs(highs, lp, true);
    },
    minimise(lp) {
      calls++;
      return solveWithHighs(highs, lp, false);
    },
  };
}

function solveWithHighs(highs: Highs, lp: LinearProgram, integer: boolean): number[] | undefined {
  const inf = highs.infinity;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rhs: number[] = [];
  for (const r of lp.rows) {
    for (let t = 0; t < r.vars.length; t++) {
      indices.push(r.vars[t]!);
      values.push(r.coefs[t]!);
    }
    starts.push(indices.length);
    rhs.push(r.rhs);
  }
  const bound = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const model = highs.createModel({
    numCols: lp.n,
    numRows: lp.rows.length,
    colCost: integer ? new Array<number>(lp.n).fill(0) : (lp.cost ?? new Array<number>(lp.n).fill(0)),
    colLower: lp.lower.map(bound),
    colUpper: lp.upper.map(bound),
    rowLower: rhs,
    rowUpper: rhs,
    matrix: {
      format: 'csr',
      numRows: lp.rows.length,
      numCols: lp.n,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    ...(integer ? { integrality: new Array<1>(lp.n).fill(1) } : {}),
  });
  try {
    model.options.set({
      output_flag: false,
      mip_max_nodes: MAX_NODES,
      time_limit: BACKSTOP_SECONDS,
      // Any feasible point answers the question: stop at the first one.
      mip_max_improving_sols: 1,
    });
    model.run();
    if (integer) {
      // A point is only a candidate: rounded here, checked exactly by the caller.
      if (model.info.get('primal_solution_status') !== highs.constants.solutionStatus.feasible)
        return undefined;
      return Array.from(model.getSolution().colValue, (v) => Math.round(v));
    }
    // The repair's choice (which cells to withhold): the audit judges what it gives.
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal) return undefined;
    return Array.from(model.getSolution().colValue);
  } finally {
    model.dispose();
  }
}

/**
 * Protected figures (1 … k−1) a day's table must hold before its audit loads the wide search.
 * Each withholds itself and a few complements, so with fewer the programs stay far below the
 * dense solver's limit (where it answers in microseconds), and a process that only audits
 * small operations (the seed: none) never pays the runtime's 22 MB or its load.
 */
export const WIDE_SEARCH_MIN_PROTECTED = 16;

/** Whether a day's figures are many-small enough for the wide search to be loaded before its audit. */
export function wideSearchWorthLoading(input: FigureInput): boolean {
  const small = (v: number | null) => v !== null && v >= 1 && v < input.k;
  let protectedFigures = input.waiting.known.filter(small).length;
  for (const { counts } of input.movements) {
    for (const stage of STAGES)
      for (const field of FIELDS) if (small(counts[stage][field])) protectedFigures++;
    const { registered, departed, arrived } = counts;
    if (registered.total !== null && departed.total !== null && small(registered.total - departed.total))
      protectedFigures++;
    if (departed.total !== null && arrived.total !== null && small(departed.total - arrived.total))
      protectedFigures++;
    if (protectedFigures >= WIDE_SEARCH_MIN_PROTECTED) return true;
  }
  return protectedFigures >= WIDE_SEARCH_MIN_PROTECTED;
}
