// The public cache's change subscription: every write transaction sends
// notifyChange, and every process LISTENs (PGlite: its embedded listen), so all
// processes drop their copy when a change commits. After a lost listener comes
// back, `onChange` runs too (signals may have been missed). A listener that could
// not be opened is retried in the background, at most every retryMs. Used by cache.ts.
import type { Logger } from '../log.ts';
import type { Database } from '../store/database.ts';
import type { Listener } from '../store/listener.ts';
import { CHANGE_CHANNEL } from '../store/notify.ts';

export type ChangeSubscription = {
  /** Subscribes once; later calls return the same promise. */
  start(): Promise<void>;
  listening(): boolean;
  /** Not listening (the database was down at start): try again, in the background. */
  retryIfDown(): void;
  close(): Promise<void>;
};

export function createChangeSubscription(o: {
  database: Database;
  logger: Logger;
  now: () => number;
  retryMs: number;
  onChange: () => void;
}): ChangeSubscription {
  const { database, logger, now } = o;
  let listener: Listener | undefined;
  let subscribing = false;
  let starting: Promise<void> | undefined;
  let lastSubscribeAt = 0;
  let closed = false;

  const closeListener = () =>
    listener?.close().catch((err: unknown) => {
      logger.warn({ err, kind: 'listen_close_failed' }, 'public cache: closing the listener failed');
    });

  async function subscribe(): Promise<void> {
    if (subscribing || listener) return;
    subscribing = true;
    try {
      listener = await database.listen(CHANGE_CHANNEL, o.onChange, () => {
        logger.info('public cache: change listener back; re-reading the figures');
        o.onChange();
      });
    } catch (err) {
      logger.warn({ err, kind: 'listen_failed' }, 'public cache: cannot listen for changes yet');
      listener = undefined;
    } finally {
      subscribing = false;
    }
    if (closed) await closeListener();
  }

  return {
    start() {
      if (!starting) {
        lastSubscribeAt = now();
        starting = subscribe();
      }
      return starting;
    },
    listening: () => listener?.connected() ?? false,
    retryIfDown() {
      if (listener || closed || now() - lastSubscribeAt <= o.retryMs) return;
      lastSubscribeAt = now();
      void subscribe();
    },
    async close() {
      closed = true;
      await closeListener();
    },
  };
}
