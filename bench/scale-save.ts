// Save → visible for `npm run bench:scale`: the public cache as the server runs it
// (projecting and rendering in its worker; on PostgreSQL the worker reads from its
// own pool), every output asked for once (so a build re-renders them all, as under
// a real crowd), then one movement's figures saved through the use case and the
// page polled until it shows them. The change signal alone starts the build, as in
// the server (an extra invalidate() made the old benchmark build twice). A save
// that does not show within the time limit, or that the audit refused, says so.
import { type PerformanceEntry, PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../src/clock.ts';
import { updateMovementCounts } from '../src/domain/update-counts.ts';
import { createLogger, silentLogger } from '../src/log.ts';
import { createMetrics } from '../src/metrics.ts';
import { type PublicCache, createPublicCache } from '../src/public/cache.ts';
import { workerProjector } from '../src/public/projector.ts';
import { publicRenderer } from '../src/public/render.ts';
import { createRenderer } from '../src/views.ts';
import { counts } from '../test/support/factories.ts';
import type { ScaleData } from './scale-data.ts';
import { cpuMs, stepSums, variants } from './scale-measure.ts';
import { createWatchdog } from './scale-watchdog.ts';

const LIMIT_MS = Number(process.env.BENCH_SCALE_VISIBLE_LIMIT_MS ?? 300_000);
/**
 * Saves measured one after another on the same running cache (BENCH_SCALE_SAVES): the
 * first is the server's first after a start (its worker's code still cold), the later
 * ones what a server in use gives. Each saves a new figure, 10 more than the one before
 * (7,771, 7,781, …): a change of 1 … k−1 would be withheld on the page (the change itself
 * is protected: docs/privacy.md, "Across time"), and the poll would never see it.
 */
export const SAVES = Math.max(1, Number(process.env.BENCH_SCALE_SAVES ?? 5));
const SAVED = 7771;
/** BENCH_SCALE_LOG=warn (or debug…): the cache's own log on stderr. */
const logger = process.env.BENCH_SCALE_LOG ? createLogger(process.env.BENCH_SCALE_LOG) : silentLogger;

/** Where the run is, said if the event loop empties while a promise still waits (exit code 13). */
let stage = 'starting';
process.on('exit', (code) => {
  if (code === 13) console.error(`bench:scale: the event loop emptied while waiting (${stage})`);
});

export const STEPS = ['read', 'project', 'audit', 'handover', 'record', 'render', 'compress'] as const;

export type SaveFigures = {
  saveMs: number;
  visibleMs?: number;
  allReadyMs?: number;
  why?: string;
  cpuMs: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** The main thread's garbage collections meanwhile: the longest pause and their sum. */
  gcMaxMs: number;
  gcSumMs: number;
  /** Build steps (build.ts): audit and handover are parts of project; record the ledger's. */
  steps: Record<(typeof STEPS)[number], number>;
  hot: number;
  workerReads: boolean;
};

/** Polls the English page until it shows the saved figure; else why not. */
async function untilVisible(cache: PublicCache, started: number, value: number): Promise<string | undefined> {
  const shown = value.toLocaleString('en-US');
  for (;;) {
    const page = (await cache.get('en', 'html')).identity.toString();
    if (page.includes(shown)) return undefined;
    const refused = cache.refusal();
    if (refused) return `the disclosure audit refused the saved state: ${JSON.stringify(refused.operations)}`;
    if (performance.now() - started > LIMIT_MS) return `not shown after ${LIMIT_MS} ms`;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One movement's registered and departed figures saved through the use case. */
export async function saveFigures(data: ScaleData, target: ScaleData['movements'][number], value: number) {
  await updateMovementCounts(
    { db: data.database.db },
    {
      movementId: target.id,
      expectedVersion: target.version,
      counts: counts({ registered: { total: value }, departed: { total: value } }),
      reason: 'bench',
      sourceId: null,
      actor: { id: null, label: 'bench' },
    },
  );
}

/** SAVES saves, one after another, each measured from the save to every output ready. */
export async function saveToVisible(data: ScaleData, n: number): Promise<SaveFigures[]> {
  const watchdog = createWatchdog(() => stage);
  const metrics = createMetrics();
  const render = { baseUrl: 'http://corridor.test' };
  const read = data.url ? { url: data.url, poolSize: 2 } : undefined;
  const cache = createPublicCache({
    database: data.database,
    clock: systemClock,
    logger,
    metrics,
    render: publicRenderer({ renderer: createRenderer(), ...render }),
    projector: watchdog.watch(workerProjector({ logger, render, read })),
    maxWaitMs: 60_000,
  });
  try {
    await cache.start();
    for (const [lang, format] of variants()) {
      stage = `${n}: first ask for ${lang}:${format}`;
      watchdog.step(stage);
      await cache.get(lang, format);
    }
    const target = data.movements[Math.floor(data.movements.length / 2)]!;
    const figures: SaveFigures[] = [];
    for (let i = 0; i < SAVES; i++) {
      stage = `${n}: save ${i + 1} of ${SAVES}`;
      watchdog.step(stage);
      figures.push(
        await oneSave(cache, metrics, data, { ...target, version: target.version + i }, SAVED + 10 * i),
      );
      if (figures.at(-1)!.why) break;
    }
    return figures;
  } catch (err) {
    // Said before closing: a close that never settles would otherwise hide it (exit code 13).
    console.error(`bench:scale: ${stage}: ${(err as Error).stack ?? String(err)}`);
    throw err;
  } finally {
    watchdog.step(`${n}: closing the cache`);
    await cache.close();
    watchdog.stop();
  }
}

async function oneSave(
  cache: PublicCache,
  metrics: ReturnType<typeof createMetrics>,
  data: ScaleData,
  target: ScaleData['movements'][number],
  value: number,
): Promise<SaveFigures> {
  {
    const before = await stepSums(metrics);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const gcs: PerformanceEntry[] = [];
    const gc = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
    gc.observe({ entryTypes: ['gc'] });
    const cpu = process.cpuUsage();
    const t = performance.now();
    await saveFigures(data, target, value);
    const saveMs = performance.now() - t;
    const why = await untilVisible(cache, t, value);
    const visibleMs = why ? undefined : performance.now() - t;
    if (!why) await Promise.all(variants().map(([lang, format]) => cache.get(lang, format)));
    const allReadyMs = why ? undefined : performance.now() - t;
    const used = cpuMs(cpu);
    lag.disable();
    gc.disconnect();
    if (why) console.error(`${data.movements.length}: ${why}`);
    const after = await stepSums(metrics);
    const step = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
    return {
      saveMs,
      visibleMs,
      allReadyMs,
      why,
      cpuMs: used,
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6,
      gcMaxMs: Math.max(0, ...gcs.map((e) => e.duration)),
      gcSumMs: gcs.reduce((a, e) => a + e.duration, 0),
      steps: Object.fromEntries(STEPS.map((k) => [k, step(k)])) as SaveFigures['steps'],
      hot: variants().length,
      workerReads: data.url !== undefined,
    };
  }
}
