// The HTTP server around the app, with the timeouts that turn a slow or stalled
// client into a 408 instead of a connection held open forever; and listening on the
// configured port, refused in one sentence when it is taken (not a stack dump after
// the data folder was made and seeded).
import http from 'node:http';
import net from 'node:net';
import type { RequestListener } from 'node:http';
import type { Config } from './config.ts';

type Timeouts = Pick<Config, 'HEADERS_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS'>;

export function createHttpServer(app: RequestListener, config: Timeouts): http.Server {
  const requestTimeout = config.REQUEST_TIMEOUT_MS;
  const headersTimeout = Math.min(config.HEADERS_TIMEOUT_MS, requestTimeout);
  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout,
      // Node checks the two timeouts on this interval (30 s by default): keep it
      // well below them so a stalled request gets its 408 on time.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
    app,
  );
  // Longer than nginx's upstream keepalive_timeout (60 s): if Node closed an idle
  // upstream connection first, nginx could send a POST into it and answer 502.
  server.keepAliveTimeout = 65_000;
  return server;
}

/** A server process's exit code when the port cannot be had (sysexits' EX_UNAVAILABLE). */
export const PORT_UNAVAILABLE_EXIT = 69;

/** The port cannot be had: another process holds it, or it needs privileges this one lacks. */
export class PortUnavailableError extends Error {
  readonly code: 'port_in_use' | 'port_not_permitted';
  constructor(port: number, host: string, cause: NodeJS.ErrnoException) {
    const inUse = cause.code === 'EADDRINUSE';
    super(
      inUse
        ? `Port ${port} on ${host} is in use by another process: stop it, or set PORT to a free port.`
        : `Port ${port} on ${host} cannot be opened (${cause.code ?? cause.message}): set PORT or HOST.`,
    );
    this.name = 'PortUnavailableError';
    this.code = inUse ? 'port_in_use' : 'port_not_permitted';
  }
}

/** server.listen as a promise: a port that cannot be had is a PortUnavailableError. */
export function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(new PortUnavailableError(port, host, err));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/**
 * Whether the port can be had, checked before anything is created: a listen and a close.
 * (Another process may still take it in between: listen() reports that too.) Port 0 is
 * any free port: nothing to check.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await listen(probe, port, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
