// Runs the retention purge shortly after start and then every hour. Every app
// process may run it: the purge is idempotent, one transaction per operation.
import type { Clock } from '../clock.ts';
import { purgeClosedOperations } from '../domain/retention.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/database.ts';

export function startRetentionJob(deps: {
  database: Database;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  intervalMs?: number;
}): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = purgeClosedOperations({
      db: deps.database.db,
      clock: deps.clock,
      retentionDays: deps.retentionDays,
    })
      .then((reports) => {
        for (const r of reports) deps.logger.info({ retention: r }, 'retention: purged a closed operation');
      })
      .catch((err: unknown) => deps.logger.warn({ err }, 'retention purge failed; will retry'))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(tick, 30_000);
  const timer = setInterval(tick, deps.intervalMs ?? 3_600_000);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
