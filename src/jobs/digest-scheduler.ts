// Every minute: is a digest due somewhere, and is there anything to (re)send?
// The decision of who sends is the database's (see domain/digest/run.ts), so
// every process may run this scheduler.
import os from 'node:os';
import { type DigestDays, runDueDigests } from '../domain/digest/run.ts';
import type { DrainDeps } from '../domain/digest/deliver.ts';
import type { Logger } from '../log.ts';

export type DigestScheduler = { tick(): Promise<void>; stop(): Promise<void> };

export function startDigestScheduler(
  deps: DrainDeps & DigestDays & { logger: Logger },
  options: { intervalMs?: number; concurrency?: number } = {},
): DigestScheduler {
  const claimedBy = `${os.hostname()}:${process.pid}`;
  const abort = new AbortController();
  let running: Promise<void> | null = null;
  let stopped = false;

  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    running ??= runDueDigests(deps, { claimedBy, signal: abort.signal, concurrency: options.concurrency })
      .then(() => undefined)
      .catch((err: unknown) => deps.logger.error({ err }, 'digest tick failed; the next tick tries again'))
      .finally(() => {
        running = null;
      });
    return running;
  };

  const timer = setInterval(() => void tick(), options.intervalMs ?? 60_000);
  timer.unref();
  // At start: catch up a digest that came due while the process was down.
  const first = setTimeout(() => void tick(), 1_000);
  first.unref();

  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      abort.abort();
      await running;
    },
  };
}
