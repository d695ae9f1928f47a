// A LISTEN connection for node-postgres that comes back by itself after the
// server restarts, and tells the caller so it can refresh what it missed.
import pg from 'pg';
import type { Logger } from 'pino';

export interface Listener {
  close(): Promise<void>;
  connected(): boolean;
}

type Options = {
  url: string;
  channel: string;
  onMessage: (payload: string) => void;
  onReconnect?: () => void;
  logger?: Logger;
  maxBackoffMs?: number;
};

export async function createPgListener(options: Options): Promise<Listener> {
  let client: pg.Client | undefined;
  let closed = false;
  let isConnected = false;
  let timer: NodeJS.Timeout | undefined;
  let backoff = 100;
  const maxBackoff = options.maxBackoffMs ?? 2_000;

  const connect = async (isReconnect: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: options.url, application_name: 'corridor-listener' });
    c.on('notification', (msg) => {
      if (msg.channel === options.channel) options.onMessage(msg.payload ?? '');
    });
    c.on('error', (err) => {
      options.logger?.warn({ err: err.message }, 'change listener connection lost');
      lost(c);
    });
    c.on('end', () => lost(c));
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
    client = c;
    isConnected = true;
    backoff = 100;
    if (isReconnect) {
      options.logger?.info({ channel: options.channel }, 'change listener reconnected');
      options.onReconnect?.();
    }
  };

  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = undefined;
    isConnected = false;
    c.removeAllListeners('end');
    c.end().catch(() => {});
    schedule();
  };

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(async () => {
      timer = undefined;
      try {
        await connect(true);
      } catch {
        backoff = Math.min(backoff * 2, maxBackoff);
        schedule();
      }
    }, backoff);
    timer.unref();
  };

  await connect(false);
  return {
    connected: () => isConnected,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      isConnected = false;
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => {});
      }
    },
  };
}
