// The V8 memory settings (issue 20): parsed and checked like every setting, the
// flags node gets from them, the start-up check that the process got them (against a
// real node's heap limit), scripts/start.sh's defaults agreeing with the config's, and
// the projection worker's own young generation (NODE_WORKER_SEMI_SPACE_MB).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { memoryFlagsProblem, nodeMemoryFlags, processSemiSpaceMb } from '../../src/node-memory.ts';
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

describe('NODE_WORKER_SEMI_SPACE_MB', () => {
  it("defaults to 1, takes 0 (the process's) or a power of two, and nothing else", () => {
    expect(loadConfig({}).NODE_WORKER_SEMI_SPACE_MB).toBe(1);
    expect(loadConfig({ NODE_WORKER_SEMI_SPACE_MB: '0' }).NODE_WORKER_SEMI_SPACE_MB).toBe(0);
    expect(loadConfig({ NODE_WORKER_SEMI_SPACE_MB: '4' }).NODE_WORKER_SEMI_SPACE_MB).toBe(4);
    expect(() => loadConfig({ NODE_WORKER_SEMI_SPACE_MB: '3' })).toThrow(
      configProblem({ variable: 'NODE_WORKER_SEMI_SPACE_MB', reason: 'invalid' }),
    );
    // Not a node flag: start.sh passes nothing for it.
    expect(nodeMemoryFlags(loadConfig({ NODE_WORKER_SEMI_SPACE_MB: '4' }))).toEqual(
      nodeMemoryFlags(loadConfig({})),
    );
  });

  it("reads the process's semi-space from its flags (node's, then NODE_OPTIONS')", () => {
    expect(processSemiSpaceMb([], '')).toBe(0);
    expect(processSemiSpaceMb(['--max-old-space-size=256', '--max-semi-space-size=2'], '')).toBe(2);
    expect(processSemiSpaceMb([], '--max_semi_space_size=4')).toBe(4);
    expect(processSemiSpaceMb(['--max-semi-space-size=2'], '--max-semi-space-size=8')).toBe(2);
  });

  it("gives the worker started with it its own young generation, and leaves the process's and later threads' alone", () => {
    // In a node started as start.sh starts it: heap limit = old generation + 3 semi-spaces.
    const script = `
      import { Worker } from 'node:worker_threads';
      import v8 from 'node:v8';
      import { startWorkerWithSemiSpace } from ${JSON.stringify(new URL('../../src/node-memory.ts', import.meta.url).pathname)};
      const code = "require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)";
      const limitOf = (w) => new Promise((resolve) => w.once('message', (m) => { resolve(m); void w.terminate(); }));
      const own = await limitOf(startWorkerWithSemiSpace(1, () => new Worker(code, { eval: true })));
      const after = await limitOf(new Worker(code, { eval: true }));
      const same = await limitOf(startWorkerWithSemiSpace(0, () => new Worker(code, { eval: true })));
      process.stdout.write(JSON.stringify([v8.getHeapStatistics().heap_size_limit, own, after, same].map((b) => b / 1048576)));
    `;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-semi-space-'));
    try {
      const file = path.join(dir, 'probe.mjs');
      fs.writeFileSync(file, script);
      const out = execFileSync(process.execPath, [
        '--import',
        'tsx',
        '--max-old-space-size=256',
        '--max-semi-space-size=2',
        file,
      ]);
      expect(JSON.parse(String(out))).toEqual([262, 259, 262, 262]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
