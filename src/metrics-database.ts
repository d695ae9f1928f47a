// Gauges read at scrape time: the pool of this process, and figures from the
// database that every process shares. Registered once per registry.
import client from 'prom-client';
import type { Metrics } from './metrics.ts';
import type { Database } from './store/database.ts';
import { type WatchFigures, readWatchFigures } from './store/repositories/watch.ts';
import { monotonicMs } from './clock.ts';

const SCRAPE_QUERY_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export function registerDatabaseGauges(metrics: Metrics, database: Database): void {
  const registry = metrics.registry;
  if (registry.getSingleMetric('corridor_db_pool_connections')) return;
  new client.Gauge({
    name: 'corridor_db_pool_connections',
    help: 'Database pool connections of this process by state (total, idle, waiting requests)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = database.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'in_use' }, s.total - s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  // The three database gauges are collected in parallel by prom-client: they
  // share one query per scrape (memoised for a second).
  let last: { at: number; figures: Promise<WatchFigures | undefined> } | undefined;
  const figures = () => {
    if (!last || monotonicMs() - last.at > 1_000) {
      last = {
        at: monotonicMs(),
        figures: withTimeout(readWatchFigures(database), SCRAPE_QUERY_TIMEOUT_MS).catch(() => undefined),
      };
    }
    return last.figures;
  };
  new client.Gauge({
    name: 'corridor_database_up',
    help: '1 when this process reached the database at the last scrape',
    registers: [registry],
    async collect() {
      this.set((await figures()) ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'corridor_stale_routes',
    help: 'Routes of active public operations whose figures are older than the stale threshold',
    registers: [registry],
    async collect() {
      const f = await figures();
      if (f) this.set(f.staleRoutes);
    },
  });
  new client.Gauge({
    name: 'corridor_digest_deliveries_pending',
    help: 'Digest deliveries not yet sent, by status (failed = waiting for a retry or given up)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const f = await figures();
      if (!f) return;
      this.set({ status: 'failed' }, f.failedDeliveries);
      this.set({ status: 'queued' }, f.queuedDeliveries);
    },
  });
}
