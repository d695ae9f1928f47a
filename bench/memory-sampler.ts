// Memory figures for the benchmarks and the drill (issue 20): a process samples
// itself (RSS, V8 heap, external memory) every few hundred milliseconds, by
// phase; any process can be sampled by pid from /proc (RSS), and an app process's
// V8 heap and external memory from its /metrics (prom-client's process metrics,
// open to a direct loopback request). Peak = the highest sample (and the kernel's
// high-water mark, VmHWM, for a pid); steady = the median of the phase's second
// half, where start-up spikes have passed.
import fs from 'node:fs';

export type MemorySample = { t: number; phase: string; rssMb: number; heapMb: number; externalMb: number };
export type PhaseMemory = {
  phase: string;
  seconds: number;
  peakRssMb: number;
  steadyRssMb: number;
  peakHeapMb: number;
  peakExternalMb: number;
};

const mb = (bytes: number) => bytes / 1024 / 1024;

function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Summaries by phase, in the order the phases began. */
export function summarise(samples: MemorySample[]): PhaseMemory[] {
  const phases = [...new Set(samples.map((s) => s.phase))];
  return phases.map((phase) => {
    const mine = samples.filter((s) => s.phase === phase);
    const second = mine.slice(Math.floor(mine.length / 2));
    return {
      phase,
      seconds: mine.length > 1 ? (mine.at(-1)!.t - mine[0]!.t) / 1000 : 0,
      peakRssMb: Math.max(...mine.map((s) => s.rssMb)),
      steadyRssMb: median(second.map((s) => s.rssMb)),
      peakHeapMb: Math.max(...mine.map((s) => s.heapMb)),
      peakExternalMb: Math.max(...mine.map((s) => s.externalMb)),
    };
  });
}

/** This process, sampled every `everyMs` until stopped; `phase` labels what follows. */
export function sampleSelf(everyMs = 250) {
  const samples: MemorySample[] = [];
  const started = performance.now();
  let phase = 'start';
  const take = () => {
    const m = process.memoryUsage();
    samples.push({
      t: performance.now() - started,
      phase,
      rssMb: mb(m.rss),
      heapMb: mb(m.heapUsed),
      externalMb: mb(m.external + m.arrayBuffers),
    });
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    samples,
    phase(name: string) {
      take();
      phase = name;
      take();
    },
    stop(): PhaseMemory[] {
      take();
      clearInterval(timer);
      return summarise(samples);
    },
  };
}

/** RSS and its high-water mark of another process, in MB (undefined once it has exited). */
export function procRss(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** The app's V8 heap in use and external memory, in MB, from its /metrics (undefined if unreadable). */
export async function metricsMemory(
  metricsUrl: string,
): Promise<{ heapMb: number; externalMb: number } | undefined> {
  const text = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) })
    .then((res) => (res.ok ? res.text() : ''))
    .catch(() => '');
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const heap = value('nodejs_heap_size_used_bytes');
  const external = value('nodejs_external_memory_bytes');
  return Number.isFinite(heap) && Number.isFinite(external)
    ? { heapMb: mb(heap), externalMb: mb(external) }
    : undefined;
}

export type PidMemory = {
  peakRssMb: number;
  steadyRssMb: number;
  peakHeapMb?: number;
  peakExternalMb?: number;
};

/**
 * Another process sampled every `everyMs` from /proc until stopped: peak (VmHWM) and steady RSS;
 * with `metricsUrl` (an app's /metrics), its peak V8 heap and external memory too, read every
 * 2 s (a /metrics answer costs the app about a millisecond: not every 500 ms under load).
 */
export function samplePid(pid: number, o: { everyMs?: number; metricsUrl?: string } = {}) {
  const rss: number[] = [];
  let hwm = 0;
  let peakHeapMb: number | undefined;
  let peakExternalMb: number | undefined;
  const take = () => {
    const now = procRss(pid);
    if (!now) return;
    rss.push(now.rssMb);
    hwm = Math.max(hwm, now.hwmMb);
  };
  const read = async (url: string) => {
    const m = await metricsMemory(url);
    if (!m) return;
    peakHeapMb = Math.max(peakHeapMb ?? 0, m.heapMb);
    peakExternalMb = Math.max(peakExternalMb ?? 0, m.externalMb);
  };
  take();
  const timer = setInterval(take, o.everyMs ?? 500);
  timer.unref();
  const url = o.metricsUrl;
  const metricsTimer = url ? setInterval(() => void read(url), 2_000) : undefined;
  metricsTimer?.unref();
  if (url) void read(url);
  return {
    stop(): PidMemory {
      take();
      clearInterval(timer);
      clearInterval(metricsTimer);
      return {
        peakRssMb: Math.max(hwm, ...rss, 0),
        steadyRssMb: median(rss.slice(Math.floor(rss.length / 2))),
        peakHeapMb,
        peakExternalMb,
      };
    },
  };
}

/** "peak heap H MB, peak external E MB" when they were read, for a benchmark's line. */
export const heapAndExternal = (m: PidMemory): string =>
  m.peakHeapMb === undefined
    ? 'heap and external unknown (/metrics not read)'
    : `peak heap ${m.peakHeapMb.toFixed(0)} MB, peak external ${m.peakExternalMb!.toFixed(0)} MB`;

/** One line per phase, for a benchmark's output. */
export function formatPhases(rows: PhaseMemory[], label = ''): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (v: number) => v.toFixed(0).padStart(6);
  const head = `${pad(label || 'phase', 26)}  secs  peak RSS  steady RSS  peak heap  peak external (MB)`;
  return [
    head,
    ...rows.map(
      (r) =>
        `${pad(r.phase, 26)} ${r.seconds.toFixed(1).padStart(5)}  ${num(r.peakRssMb)}    ${num(r.steadyRssMb)}      ${num(r.peakHeapMb)}     ${num(r.peakExternalMb)}`,
    ),
  ].join('\n');
}

/** RSS over time, one figure per `bucketMs`, with the phase it was in. */
export function formatTimeline(samples: MemorySample[], bucketMs = 2000): string {
  const lines: string[] = [];
  let bucket = -1;
  for (const s of samples) {
    const b = Math.floor(s.t / bucketMs);
    if (b === bucket) continue;
    bucket = b;
    lines.push(`${(s.t / 1000).toFixed(0).padStart(5)} s  ${s.rssMb.toFixed(0).padStart(5)} MB  ${s.phase}`);
  }
  return lines.join('\n');
}
