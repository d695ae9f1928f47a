// The HTTP server around the app, with the timeouts that turn a slow or stalled
// client into a 408 instead of a connection held open forever.
import http from 'node:http';
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
