// The V8 memory settings of an app process (issue 20; docs/operations.md, "Memory").
// V8 sizes its heap when the process starts, so these are node flags, not something
// the app can change later: scripts/start.sh (npm start, start:cluster, the systemd
// unit) passes them, cluster workers inherit the primary's, and the server checks at
// start that it got them (started as `node dist/src/server.js` it would not have).
import v8 from 'node:v8';
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
