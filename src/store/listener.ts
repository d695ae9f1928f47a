// A LISTEN connection for node-postgres that comes back by itself after the
// server restarts, and tells the caller so it can refresh what it missed.
//
// Liveness: a connection can be half-dead — its backend frozen, or a NAT that
// silently dropped an idle connection — with no error ever raised. So the
// listener sends itself a notification through the same connection every
// `heartbeatMs` and expects it back; when one does not come back within
// `heartbeatTimeoutMs` the connection is treated as lost: dropped, reconnected,
// and the caller told (onReconnect), which re-reads. TCP keepalive is on as well.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { monotonicMs } from '../clock.ts';

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
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
};

export const KEEPALIVE = { keepAlive: true, keepAliveInitialDelayMillis: 10_000 } as const;

export async function createPgListener(options: Options): Promise<Listener> {
  let client: pg.Client | undefined;
  let closed = false;
  let isConnected = false;
  let timer: NodeJS.Timeout | undefined;
  let backoff = 100;
  const maxBackoff = options.maxBackoffMs ?? 2_000;
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 2 * heartbeatMs;
  // Our own channel: every process hears only its own heartbeat.
  const beatChannel = `corridor_heartbeat_${randomBytes(6).toString('hex')}`;
  let sentAt = 0;
  let answered = true;

  const connect = async (isReconnect: boolean): Promise<void> => {
    const c = new pg.Client({
      connectionString: options.url,
      application_name: 'corridor-listener',
      ...KEEPALIVE,
    });
    c.on('notification', (msg) => {
      if (msg.channel === options.channel) options.onMessage(msg.payload ?? '');
      else if (msg.channel === beatChannel) answered = true;
    });
    c.on('error', (err) => {
      options.logger?.warn({ err }, 'change listener connection lost');
      lost(c);
    });
    c.on('end', () => lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
      await c.query(`LISTEN ${pg.escapeIdentifier(beatChannel)}`);
    } catch (err) {
      drop(c);
      throw err;
    }
    client = c;
    isConnected = true;
    answered = true;
    backoff = 100;
    if (isReconnect) {
      options.logger?.info({ channel: options.channel }, 'change listener reconnected');
      options.onReconnect?.();
    }
  };

  /** Drop a connection without waiting for its server, which may never answer. */
  const drop = (c: pg.Client) => {
    c.removeAllListeners('end');
    c.on('error', () => {});
    (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    // The connection is being thrown away after its failure was logged; its end may fail too.
    c.end().catch(() => {});
  };

  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = undefined;
    isConnected = false;
    drop(c);
    schedule();
  };

  /** Never rejects: a failed attempt schedules the next one. */
  const reconnect = async () => {
    timer = undefined;
    try {
      await connect(true);
    } catch {
      backoff = Math.min(backoff * 2, maxBackoff);
      schedule();
    }
  };

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => void reconnect(), backoff);
    timer.unref();
  };

  const beat = setInterval(
    () => {
      const c = client;
      if (!c || closed) return;
      if (!answered && monotonicMs() - sentAt > heartbeatTimeoutMs) {
        options.logger?.warn(
          { channel: options.channel, silentForMs: monotonicMs() - sentAt },
          'change listener missed its heartbeat (a frozen or silently dropped connection); reconnecting',
        );
        lost(c);
        return;
      }
      if (!answered) return; // still waiting for the last one
      answered = false;
      sentAt = monotonicMs();
      c.query('SELECT pg_notify($1, $2)', [beatChannel, String(sentAt)]).catch(() => lost(c));
    },
    Math.min(heartbeatMs, heartbeatTimeoutMs / 2),
  );
  beat.unref();

  try {
    await connect(false);
  } catch (err) {
    clearInterval(beat);
    throw err;
  }
  return {
    connected: () => isConnected,
    async close() {
      closed = true;
      clearInterval(beat);
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      isConnected = false;
      if (c) {
        c.removeAllListeners('end');
        // Stopping: a connection that cannot end cleanly is dropped (bounded to 1 s).
        await Promise.race([c.end().catch(() => {}), new Promise((r) => setTimeout(r, 1_000).unref())]);
        drop(c);
      }
    },
  };
}
