// The V8 memory settings (issue 20): parsed and checked like every setting, the
// flags node gets from them, the start-up check that the process got them (against a
// real node's heap limit), and scripts/start.sh's defaults agreeing with the config's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { memoryFlagsProblem, nodeMemoryFlags } from '../../src/node-memory.ts';
import { configProblem } from '../support/config.ts';

const heapLimitOf = (flags: string[]) =>
  Number(
    execFileSync(process.execPath, [
      ...flags,
      '-e',
      'process.stdout.write(String(require("v8").getHeapStatistics().heap_size_limit))',
    ]),
  );

describe('NODE_HEAP_MB and NODE_SEMI_SPACE_MB', () => {
  it('default to a 256 MB heap with 2 MB semi-spaces, and take other values', () => {
    const c = loadConfig({});
    expect([c.NODE_HEAP_MB, c.NODE_SEMI_SPACE_MB]).toEqual([256, 2]);
    expect(nodeMemoryFlags(c)).toEqual([
      '--max-old-space-size=256',
      '--max-semi-space-size=2',
      '--liftoff-only',
      '--no-sparkplug',
      '--bytecode-old-age=1',
    ]);
    const big = loadConfig({
      NODE_HEAP_MB: '1024',
      NODE_SEMI_SPACE_MB: '16',
      PGLITE_WASM_TIER_UP: 'true',
      NODE_LEAN_CODE: 'false',
    });
    expect(nodeMemoryFlags(big)).toEqual(['--max-old-space-size=1024', '--max-semi-space-size=16']);
  });

  it('refuse what V8 would not take as meant', () => {
    expect(() => loadConfig({ NODE_HEAP_MB: '32' })).toThrow(
      configProblem({ variable: 'NODE_HEAP_MB', reason: 'too_small' }),
    );
    expect(() => loadConfig({ NODE_HEAP_MB: '256MB' })).toThrow(
      configProblem({ variable: 'NODE_HEAP_MB', reason: 'invalid_type' }),
    );
    // V8 rounds a semi-space up to a power of two: 3 would silently be 4.
    expect(() => loadConfig({ NODE_SEMI_SPACE_MB: '3' })).toThrow(
      configProblem({ variable: 'NODE_SEMI_SPACE_MB', reason: 'invalid' }),
    );
    expect(() => loadConfig({ NODE_SEMI_SPACE_MB: '0' })).toThrow(
      configProblem({ variable: 'NODE_SEMI_SPACE_MB', reason: 'invalid' }),
    );
  });

  it('are found applied in a node started with their flags, and missed in one started without', () => {
    const c = loadConfig({ NODE_HEAP_MB: '192', NODE_SEMI_SPACE_MB: '4' });
    expect(memoryFlagsProblem(c, heapLimitOf(nodeMemoryFlags(c)))).toBeUndefined();
    const problem = memoryFlagsProblem(c, heapLimitOf([]));
    expect(problem).toMatch(/NODE_HEAP_MB=192 and NODE_SEMI_SPACE_MB=4/);
    expect(problem).toContain('--max-old-space-size=192 --max-semi-space-size=4');
  });

  it('PGLITE_WASM_TIER_UP is off by default, takes true or false, and nothing else', () => {
    expect(loadConfig({}).PGLITE_WASM_TIER_UP).toBe(false);
    expect(loadConfig({ PGLITE_WASM_TIER_UP: 'true' }).PGLITE_WASM_TIER_UP).toBe(true);
    expect(loadConfig({ PGLITE_WASM_TIER_UP: 'false' }).PGLITE_WASM_TIER_UP).toBe(false);
    expect(() => loadConfig({ PGLITE_WASM_TIER_UP: 'yes' })).toThrow(/PGLITE_WASM_TIER_UP/);
  });

  it('NODE_OPTIMIZE_FOR_SIZE adds --optimize-for-size when true, takes true or false, and nothing else', () => {
    const c = loadConfig({ NODE_OPTIMIZE_FOR_SIZE: 'true' });
    expect(c.NODE_OPTIMIZE_FOR_SIZE).toBe(true);
    expect(nodeMemoryFlags(c)).toContain('--optimize-for-size');
    expect(nodeMemoryFlags(loadConfig({ NODE_OPTIMIZE_FOR_SIZE: 'false' }))).not.toContain(
      '--optimize-for-size',
    );
    expect(() => loadConfig({ NODE_OPTIMIZE_FOR_SIZE: 'yes' })).toThrow(/NODE_OPTIMIZE_FOR_SIZE/);
    // It caps V8's semi-space at 1 MB: the start-up check expects that heap limit with it.
    expect(memoryFlagsProblem(c, heapLimitOf(nodeMemoryFlags(c)))).toBeUndefined();
    const wide = loadConfig({ NODE_OPTIMIZE_FOR_SIZE: 'true', NODE_SEMI_SPACE_MB: '8' });
    expect(memoryFlagsProblem(wide, heapLimitOf(nodeMemoryFlags(wide)))).toBeUndefined();
  });

  it('NODE_HEAP_GROWING_PERCENT adds --heap-growing-percent when not 0, and refuses what is not a percentage', () => {
    expect(loadConfig({}).NODE_HEAP_GROWING_PERCENT).toBe(0);
    expect(nodeMemoryFlags(loadConfig({})).some((f) => f.startsWith('--heap-growing-percent'))).toBe(false);
    const c = loadConfig({ NODE_HEAP_GROWING_PERCENT: '10' });
    expect(nodeMemoryFlags(c)).toContain('--heap-growing-percent=10');
    expect(() => loadConfig({ NODE_HEAP_GROWING_PERCENT: '-1' })).toThrow(/NODE_HEAP_GROWING_PERCENT/);
    expect(() => loadConfig({ NODE_HEAP_GROWING_PERCENT: '10%' })).toThrow(/NODE_HEAP_GROWING_PERCENT/);
    // A flag this node takes (it would refuse to start on one it does not know), heap limit unchanged.
    expect(memoryFlagsProblem(c, heapLimitOf(nodeMemoryFlags(c)))).toBeUndefined();
  });

  it('NODE_LEAN_CODE (on by default) adds --no-sparkplug --bytecode-old-age=1, takes true or false, and nothing else', () => {
    expect(loadConfig({}).NODE_LEAN_CODE).toBe(true);
    expect(nodeMemoryFlags(loadConfig({ NODE_LEAN_CODE: 'false' }))).not.toContain('--no-sparkplug');
    const c = loadConfig({ NODE_LEAN_CODE: 'true' });
    expect(nodeMemoryFlags(c)).toEqual(expect.arrayContaining(['--no-sparkplug', '--bytecode-old-age=1']));
    expect(() => loadConfig({ NODE_LEAN_CODE: 'yes' })).toThrow(/NODE_LEAN_CODE/);
    // Flags this node takes (it would refuse to start on one it does not know), heap limit unchanged.
    expect(memoryFlagsProblem(c, heapLimitOf(nodeMemoryFlags(c)))).toBeUndefined();
  });

  it('--liftoff-only is a flag this node takes (it would refuse to start on one it does not know)', () => {
    const out = execFileSync(process.execPath, ['--liftoff-only', '-e', 'process.stdout.write("ok")']);
    expect(String(out)).toBe('ok');
  });

  it('have the same defaults in scripts/start.sh, which passes them to node', () => {
    const script = fs.readFileSync(new URL('../../scripts/start.sh', import.meta.url), 'utf8');
    const c = loadConfig({});
    expect(script).toContain(`--max-old-space-size="\${NODE_HEAP_MB:-${c.NODE_HEAP_MB}}"`);
    expect(script).toContain(`--max-semi-space-size="\${NODE_SEMI_SPACE_MB:-${c.NODE_SEMI_SPACE_MB}}"`);
    expect(script).toContain(`PGLITE_WASM_TIER_UP:-${String(c.PGLITE_WASM_TIER_UP)}`);
    expect(script).toContain('wasm="--liftoff-only"');
    expect(script).toContain(`NODE_OPTIMIZE_FOR_SIZE:-${String(c.NODE_OPTIMIZE_FOR_SIZE)}`);
    expect(script).toContain('size="--optimize-for-size"');
    expect(script).toContain(`NODE_HEAP_GROWING_PERCENT:-${c.NODE_HEAP_GROWING_PERCENT}`);
    expect(script).toContain('growing="--heap-growing-percent=${NODE_HEAP_GROWING_PERCENT}"');
    expect(script).toContain(`NODE_LEAN_CODE:-${String(c.NODE_LEAN_CODE)}`);
    expect(script).toContain('lean="--no-sparkplug --bytecode-old-age=1"');
    expect(script).toContain('export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"');
    expect(script).toContain('export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}"');
    expect(script).toMatch(/^exec node /m);
  });
});
