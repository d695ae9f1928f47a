// The V8 memory settings of an app process (issue 20; docs/operations.md, "Memory").
// V8 sizes its heap when the process starts, so these are node flags, not something
// the app can change later: scripts/start.sh (npm start, start:cluster, the systemd
// unit) passes them, cluster workers inherit the primary's, and the server checks at
// start that it got them (started as `node dist/src/server.js` it would not have).
// One exception, made at run time: the projection worker's young generation
// (NODE_WORKER_SEMI_SPACE_MB, startWorkerWithSemiSpace below).
import v8 from 'node:v8';
import type { Worker } from 'node:worker_threads';
import type { Config } from './config.ts';

type MemoryConfig = Pick<Config, 'NODE_HEAP_MB' | 'NODE_SEMI_SPACE_MB' | 'PGLITE_WASM_TIER_UP'> &
  Partial<Pick<Config, 'NODE_OPTIMIZE_FOR_SIZE' | 'NODE_HEAP_GROWING_PERCENT' | 'NODE_LEAN_CODE'>>;

/** The node flags for these settings (what scripts/start.sh passes; the benchmarks too). */
export function nodeMemoryFlags(config: MemoryConfig): string[] {
  return [
    `--max-old-space-size=${config.NODE_HEAP_MB}`,
    `--max-semi-space-size=${config.NODE_SEMI_SPACE_MB}`,
    // WebAssembly (PGlite) stays on V8's baseline compiler: see PGLITE_WASM_TIER_UP in config.ts.
    ...(config.PGLITE_WASM_TIER_UP ? [] : ['--liftoff-only']),
    // Smaller heaps and code for some CPU: see NODE_OPTIMIZE_FOR_SIZE in config.ts.
    ...(config.NODE_OPTIMIZE_FOR_SIZE ? ['--optimize-for-size'] : []),
    // Less slack in each heap for more full collections: see NODE_HEAP_GROWING_PERCENT in config.ts.
    ...(config.NODE_HEAP_GROWING_PERCENT
      ? [`--heap-growing-percent=${config.NODE_HEAP_GROWING_PERCENT}`]
      : []),
    // Less compiled code kept: see NODE_LEAN_CODE in config.ts.
    ...(config.NODE_LEAN_CODE ? ['--no-sparkplug', '--bytecode-old-age=1'] : []),
  ];
}

const MB = 1024 * 1024;

/**
 * Why this process's heap is not sized as configured, if it is not. V8's limit is
 * the old generation plus the young one (three semi-spaces: two and the large-object one).
 */
export function memoryFlagsProblem(
  config: MemoryConfig,
  heapSizeLimit: number = v8.getHeapStatistics().heap_size_limit,
): string | undefined {
  // --optimize-for-size caps the semi-space at 1 MB whatever --max-semi-space-size says.
  const semiSpaceMb = config.NODE_OPTIMIZE_FOR_SIZE ? 1 : config.NODE_SEMI_SPACE_MB;
  const expected = (config.NODE_HEAP_MB + 3 * semiSpaceMb) * MB;
  if (Math.abs(heapSizeLimit - expected) < MB) return undefined;
  return (
    `the V8 heap limit is ${Math.round(heapSizeLimit / MB)} MB, not the ${expected / MB} MB that ` +
    `NODE_HEAP_MB=${config.NODE_HEAP_MB} and NODE_SEMI_SPACE_MB=${config.NODE_SEMI_SPACE_MB} ask for: ` +
    `start with npm start (scripts/start.sh), or give node ${nodeMemoryFlags(config).join(' ')}`
  );
}

/** The semi-space this process's isolates get from node's flags, in MB; 0: none given (V8's own). */
export function processSemiSpaceMb(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): number {
  let mb = 0;
  for (const arg of [...nodeOptions.split(/\s+/), ...execArgv]) {
    const m = /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(arg);
    if (m) mb = Number(m[1]);
  }
  return mb;
}

/**
 * A worker thread whose isolate gets a semi-space of `semiSpaceMb` (V8's young generation is
 * sized once, when an isolate is created, from --max-semi-space-size; a worker's
 * `resourceLimits.maxYoungGenerationSizeMb` loses to that flag). The flag is set just before
 * `start()` spawns the worker and set back to the process's own value once the worker runs:
 * the isolates that exist keep their sizes, so only this worker (and one started in the same
 * moment) takes it. 0 or undefined: the process's own, nothing changed.
 */
export function startWorkerWithSemiSpace(semiSpaceMb: number | undefined, start: () => Worker): Worker {
  const own = processSemiSpaceMb();
  if (!semiSpaceMb || semiSpaceMb === own) return start();
  v8.setFlagsFromString(`--max-semi-space-size=${semiSpaceMb}`);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    v8.setFlagsFromString(`--max-semi-space-size=${own}`);
  };
  try {
    const w = start();
    w.once('online', restore);
    w.once('error', restore);
    w.once('exit', restore);
    return w;
  } catch (err) {
    restore();
    throw err;
  }
}
