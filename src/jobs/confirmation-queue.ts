// Every minute: send the sign-up confirmations that waited for the hourly ceiling
// (src/domain/confirmation-queue.ts). Every process may run it.
import type { Clock } from '../clock.ts';
import { type QueueDeps, sendQueuedConfirmations } from '../domain/confirmation-queue.ts';
import type { Logger } from '../log.ts';

export function startConfirmationQueue(
  deps: Omit<QueueDeps, 'now' | 'logger'> & { clock: Clock; logger: Logger },
  options: { intervalMs?: number } = {},
): { tick(): Promise<void>; stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    running ??= sendQueuedConfirmations({ ...deps, now: deps.clock.now() })
      .then(() => undefined)
      .catch((err: unknown) => deps.logger.warn({ err }, 'confirmation queue failed; will retry'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 60_000);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
