// Body size limits and server timeouts, over real sockets: a clear 413 or 408,
// never a hang.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import type { AppDeps } from '../../src/deps.ts';
import { createHttpServer } from '../../src/http-server.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createOutboxMailer } from '../../src/mail/mailer.ts';
import { csvUpload } from '../../src/routes/body-limits.ts';
import { errorHandler } from '../../src/routes/middleware.ts';
import { createRenderer } from '../../src/views.ts';
import { createTestDatabase } from '../support/db.ts';
import { testConfig } from '../support/app.ts';

const database = await createTestDatabase();
const config = testConfig({
  FORM_BODY_LIMIT: '4096',
  UPLOAD_LIMIT: '8192',
  HEADERS_TIMEOUT_MS: '400',
  REQUEST_TIMEOUT_MS: '800',
});
const deps: AppDeps = {
  config,
  database,
  clock: systemClock,
  logger: silentLogger,
  renderer: createRenderer(),
  metrics: createMetrics(),
  mailer: createOutboxMailer('/tmp/corridor-test-outbox'),
};

async function listen(handler: RequestListener): Promise<number> {
  const server = createHttpServer(handler, config);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

const appPort = await listen(createApp(deps));

/**
 * Write raw bytes, return everything the server sends until it closes the connection, or
 * until the test gives up after `waitMs` (then `closedBy` says so: the server hung).
 */
function raw(
  port: number,
  chunks: (string | Buffer)[],
  waitMs = 5_000,
): Promise<{ text: string; ms: number; closedBy: 'server' | 'test' }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = (closedBy: 'server' | 'test') =>
      resolve({ text, ms: performance.now() - started, closedBy });
    const timer = setTimeout(() => {
      socket.destroy();
      done('test');
    }, waitMs);
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      done('server');
    });
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
    socket.on('timeout', () => reject(new Error('socket timeout')));
  });
}

const status = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);

describe('body size limits', () => {
  it('refuses a form body announced larger than the limit with 413, without reading it', async () => {
    const res = await raw(appPort, [
      'POST /anything HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\n',
      'a=1&',
    ]);
    expect(status(res.text)).toBe(413);
    expect(res.text).toContain('"code":"payload_too_large"');
    expect(res.closedBy).toBe('server'); // answered without waiting for the body that never comes
  });

  it('refuses a chunked form body that grows past the limit with 413', async () => {
    const chunk = `a=${'x'.repeat(2_000)}&`;
    const body = Array.from({ length: 5 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const res = await raw(appPort, [
      'POST /anything HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\nConnection: close\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n',
      body,
      '0\r\n\r\n',
    ]);
    expect(status(res.text)).toBe(413);
    expect(res.text).toContain('"code":"payload_too_large"');
  });

  it('a form within the limit gets past the parser (404 for an unknown path, not 413)', async () => {
    const res = await fetch(`http://127.0.0.1:${appPort}/anything`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: 'a=1',
    });
    expect(res.status).toBe(404);
  });

  it('refuses a CSV upload over UPLOAD_LIMIT with 413, and accepts one under it', async () => {
    const upload = express();
    upload.post('/upload', csvUpload(config), (req, res) => {
      res.json({ bytes: req.file?.size });
    });
    upload.use(errorHandler(deps));
    const port = await listen(upload);
    const send = (size: number) => {
      const form = new FormData();
      form.append('file', new Blob(['x'.repeat(size)], { type: 'text/csv' }), 'figures.csv');
      return fetch(`http://127.0.0.1:${port}/upload`, {
        method: 'POST',
        body: form,
        headers: { Accept: 'application/json' },
      });
    };
    const big = await send(9_000);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const small = await send(1_000);
    expect(small.status).toBe(200);
    expect(await small.json()).toEqual({ bytes: 1_000 });
  });
});

describe('server timeouts', () => {
  it('answers 408 to a client that never finishes its headers', async () => {
    const res = await raw(appPort, ['GET / HTTP/1.1\r\nHost: t\r\n']);
    expect(status(res.text)).toBe(408);
    // Not before HEADERS_TIMEOUT_MS (400; timers may fire a little early), and by the server.
    expect(res.ms).toBeGreaterThanOrEqual(350);
    expect(res.closedBy).toBe('server');
  });

  it('answers 408 to a client that stalls in the middle of its body', async () => {
    const res = await raw(appPort, [
      'POST /anything HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 100\r\n\r\n',
      'a=1&b=2',
    ]);
    expect(status(res.text)).toBe(408);
    // Not before REQUEST_TIMEOUT_MS (800), and by the server.
    expect(res.ms).toBeGreaterThanOrEqual(750);
    expect(res.closedBy).toBe('server');
  });
});
