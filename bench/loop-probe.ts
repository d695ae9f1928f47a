// Where a benchmark app's event loop is held (issue 16: the p99 of the public reads while
// counts are saved). Measures cheap enough to leave on during a bench run:
// - blocks: a 1 ms interval timer; each gap between two of its ticks longer than
//   BLOCK_MS is a time the loop was held (by one task or a batch of them), which every
//   request arriving then waits through. Counted per length bucket, with the longest;
//   and the same gaps in this thread's CPU time (/proc/thread-self/schedstat, ns), which
//   on a machine shared with other processes leaves out the time it waited for a core;
// - PGlite's own synchronous work: its WebAssembly runs each protocol exchange on this
//   thread in one call (execProtocolRawSync), so timing that call gives each query's
//   block exactly, without the wait for PGlite's queue.
// Used by bench/app-server.ts (BENCH_LOOP_PROBE=1), read through its IPC ('probe').
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** A gap of the 1 ms timer longer than this is a block (ms). */
export const BLOCK_MS = 3;
const BUCKETS = [3, 5, 10, 20, 50] as const;

export type Histogram = { count: number; totalMs: number; maxMs: number; over: Record<number, number> };
export type ProbeReport = {
  seconds: number;
  blocks: Histogram;
  /** The same gaps, as this thread's CPU time (a gap while the thread waited for a core is not a block). */
  cpuBlocks?: Histogram;
  pglite?: Histogram & { calls: number };
  /** PGlite's longest calls of the window, with the start of their SQL. */
  slowest?: { ms: number; sql: string }[];
};

/** The SQL a protocol message carries (a Parse or a simple Query), its first 120 characters. */
const sqlOf = (message: Uint8Array) =>
  Buffer.from(message.subarray(0, 400))
    .toString('latin1')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, 120);

const histogram = (): Histogram => ({
  count: 0,
  totalMs: 0,
  maxMs: 0,
  over: Object.fromEntries(BUCKETS.map((b) => [b, 0])),
});

function add(h: Histogram, ms: number) {
  h.count++;
  h.totalMs += ms;
  if (ms > h.maxMs) h.maxMs = ms;
  for (const b of BUCKETS) if (ms >= b) h.over[b]!++;
}

/** `pglite`: PGlite's class (its prototype's synchronous call is timed for every instance). */
export function startLoopProbe(pgliteClass?: { prototype: object }) {
  let started = performance.now();
  let blocks = histogram();
  let pglite: (Histogram & { calls: number }) | undefined = pgliteClass
    ? { ...histogram(), calls: 0 }
    : undefined;
  let slowest: { ms: number; sql: string }[] = [];
  let cpuBlocks = histogram();
  let last = performance.now();
  // This thread's run time (ns) from the kernel: on a machine shared with other processes, a
  // gap in wall time may be the thread waiting for a core; its CPU time says what the loop did.
  const schedstat = (() => {
    try {
      return fs.openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      return undefined;
    }
  })();
  const buffer = Buffer.alloc(128);
  const cpuNow = () => {
    if (schedstat === undefined) return 0;
    const n = fs.readSync(schedstat, buffer, 0, buffer.length, 0);
    return Number(buffer.toString('latin1', 0, n).split(' ')[0]) / 1e6;
  };
  let lastCpu = cpuNow();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = cpuNow();
    // The timer asks for 1 ms: what is beyond it, the loop was held.
    const held = now - last - 1;
    if (held >= BLOCK_MS) add(blocks, held);
    // Its own tick (the read above) costs some 20 µs; nothing to subtract at this scale.
    if (cpu - lastCpu >= BLOCK_MS) add(cpuBlocks, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
  }, 1);
  timer.unref();
  if (pgliteClass) {
    type Raw = { execProtocolRawSync: (this: unknown, message: Uint8Array) => Uint8Array };
    const proto = pgliteClass.prototype as Raw;
    const original = proto.execProtocolRawSync;
    proto.execProtocolRawSync = function (message) {
      const t = performance.now();
      try {
        return original.call(this, message);
      } finally {
        const ms = performance.now() - t;
        if (pglite) {
          pglite.calls++;
          if (ms >= 1) add(pglite, ms);
          else pglite.totalMs += ms;
          if (ms >= 3) {
            slowest.push({ ms, sql: sqlOf(message) });
            slowest.sort((a, b) => b.ms - a.ms);
            slowest.length = Math.min(slowest.length, 8);
          }
        }
      }
    };
  }
  return {
    /** What was measured since the last report, and a new window. */
    report(): ProbeReport {
      const now = performance.now();
      const out: ProbeReport = {
        seconds: (now - started) / 1000,
        blocks,
        ...(schedstat !== undefined ? { cpuBlocks } : {}),
        ...(pglite ? { pglite, slowest } : {}),
      };
      started = now;
      cpuBlocks = histogram();
      slowest = [];
      blocks = histogram();
      if (pglite) pglite = { ...histogram(), calls: 0 };
      return out;
    },
    stop: () => clearInterval(timer),
  };
}

/** One line per measure: counts per second by length, the longest, the share of the time. */
export function formatProbe(r: ProbeReport): string {
  const line = (name: string, h: Histogram) =>
    `${name}: ${BUCKETS.map((b) => `≥${b} ms ${(h.over[b]! / r.seconds).toFixed(1)}/s`).join(', ')}; ` +
    `longest ${h.maxMs.toFixed(1)} ms; ${((h.totalMs / (r.seconds * 1000)) * 100).toFixed(1)} % of the time`;
  const lines = [line('event loop held', r.blocks)];
  if (r.cpuBlocks) lines.push(line('  of it, this thread on a core', r.cpuBlocks));
  if (r.pglite)
    lines.push(
      `${line('PGlite calls ≥1 ms', r.pglite)} (${(r.pglite.calls / r.seconds).toFixed(0)} calls/s, all calls ${((r.pglite.totalMs / (r.seconds * 1000)) * 100).toFixed(1)} %)`,
    );
  for (const c of r.slowest ?? []) lines.push(`  ${c.ms.toFixed(1).padStart(5)} ms  ${c.sql}`);
  return lines.join('\n');
}

/** Asks a bench app (over its IPC) for what its probe measured since it was last asked. */
export function probeOf(app: ChildProcess): Promise<ProbeReport> {
  return new Promise((resolve) => {
    const on = (m: { probe?: ProbeReport }) => {
      if (!m.probe) return;
      app.off('message', on);
      resolve(m.probe);
    };
    app.on('message', on);
    app.send('probe');
  });
}
