// The app in-process on an ephemeral port, built with the test's dependencies.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { createApp } from '../../src/app.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AppDeps } from '../../src/deps.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { Database } from '../../src/store/database.ts';
import { type Renderer, createRenderer } from '../../src/views.ts';
import { createOutboxMailer } from '../../src/mail/mailer.ts';

export type TestServer = { url: string; deps: AppDeps; close(): Promise<void> };

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: 'http://corridor.test',
    ...overrides,
  });
}

/**
 * An HTTP server for a test's client in the same process. It never closes an idle
 * keep-alive connection itself (keepAliveTimeout 0; the client, undici, closes its idle
 * ones after 4 s): with Node's default 5 s, a test that sent its next request just as the
 * server's timer fired (both timers late after the event loop stalled, under load) had
 * the socket reset under it, `fetch failed: read ECONNRESET`.
 */
export function createTestHttpServer(handler: http.RequestListener): http.Server {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 0;
  return server;
}

/**
 * One renderer per test process: Handlebars compiles each template at its first render, and
 * the fast files share their workers (vitest.config.ts), so a renderer per server compiled
 * the same templates file after file (2.7 s of a fast loop's CPU, 5 December 2026). It holds
 * nothing but the compiled templates.
 */
let sharedRenderer: Renderer | undefined;

export async function startTestServer(
  database: Database,
  options: { clock?: Clock; config?: Record<string, string>; deps?: Partial<AppDeps> } = {},
): Promise<TestServer> {
  const deps: AppDeps = {
    config: testConfig(options.config),
    database,
    clock: options.clock ?? systemClock,
    logger: silentLogger,
    renderer: (sharedRenderer ??= createRenderer()),
    metrics: createMetrics(),
    mailer: createOutboxMailer(`${process.env.TMPDIR ?? '/tmp'}/corridor-test-outbox-${process.pid}`),
    ...options.deps,
  };
  const server = createTestHttpServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  afterAll(close);
  return { url: `http://127.0.0.1:${port}`, deps, close };
}
