// The public fast path (src/routes/public-fast-path.ts): which requests it answers
// before express, and that its answers are the same as express's public router's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createPublicCache, type PublicCache } from '../../src/public/cache.ts';
import { publicRenderer } from '../../src/public/render.ts';
import { robotsRendition } from '../../src/public/robots.ts';
import { publicFastPath } from '../../src/routes/public-fast-path.ts';
import { createRenderer } from '../../src/views.ts';
import { createTestHttpServer, startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';

const FELL_THROUGH = 599;

describe('the public fast path on its own', () => {
  let url: string;
  let cache: PublicCache;
  let trustProxy = false;
  const metrics = createMetrics();
  beforeAll(async () => {
    const database = await createTestDatabase();
    await seedReportedFigures({ db: database.db });
    cache = createPublicCache({
      database,
      clock: systemClock,
      logger: silentLogger,
      metrics,
      render: publicRenderer({ renderer: createRenderer(), baseUrl: 'http://corridor.test' }),
    });
    const fast = publicFastPath(
      { metrics, logger: silentLogger },
      cache,
      () => trustProxy,
      robotsRendition(),
    );
    // What express would get: marked, so a test sees the request was not answered here.
    const server = http.createServer((req, res) => {
      if (!fast(req, res)) {
        res.statusCode = FELL_THROUGH;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    afterAll(async () => {
      server.closeAllConnections();
      server.close();
      await cache.close();
    });
  });

  it('leaves every read to express until the cache has a copy ready', async () => {
    expect((await fetch(`${url}/en/`)).status).toBe(FELL_THROUGH);
    await cache.get('ru', 'html');
    const res = await fetch(`${url}/ru/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Ближний Восток 2026');
  });

  it('answers every public output in every language, on GET and HEAD, without reading a cookie', async () => {
    for (const [format, lang] of [
      ['json', 'en'],
      ['hxl', 'en'],
      ['atom', 'ru'],
      ['csv', 'kk'],
      ['html', 'kk'],
    ] as const)
      await cache.get(lang, format);
    expect((await fetch(`${url}/api/v1/status`)).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${url}/status.hxl.csv`)).headers.get('content-type')).toMatch(/csv/);
    expect((await fetch(`${url}/ru/feed.atom`)).headers.get('content-type')).toMatch(/atom/);
    expect((await fetch(`${url}/kk/status.csv`)).headers.get('content-type')).toMatch(/csv/);
    const kk = await fetch(`${url}/kk/?utm_source=radio`, { headers: { cookie: 'lang=ru' } });
    expect(kk.status).toBe(200);
    expect(kk.headers.get('set-cookie')).toBeNull();
    expect(kk.headers.get('vary')).toBe('Accept-Encoding');
    expect(await kk.text()).toContain('<html lang="kk">');
    const head = await fetch(`${url}/kk/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
    expect((await fetch(`${url}/robots.txt`)).status).toBe(200);
  });

  it('redirects the language-less and old URLs itself, cache or no cache', async () => {
    const go = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${url}${path}`, { redirect: 'manual', headers });
    const root = await go('/', { 'accept-language': 'en;q=0.1, ru;q=0.9', cookie: 'lang=kk' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/ru/');
    expect(root.headers.get('vary')).toBe('Accept-Language');
    expect(root.headers.get('set-cookie')).toBeNull();
    const old = await go('/feed.atom?lang=kk');
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe('/kk/feed.atom');
    expect(old.headers.get('vary')).toBeNull();
    const slash = await go('/ru', { 'accept-language': 'en' });
    expect([slash.status, slash.headers.get('location')]).toEqual([301, '/ru/']);
    const head = await fetch(`${url}/`, { method: 'HEAD', redirect: 'manual' });
    expect([head.status, head.headers.get('content-length')]).toEqual([302, '0']);
  });

  it('answers a revalidation with 304 and sends the security headers and a request id', async () => {
    const first = await fetch(`${url}/kk/`, { headers: { 'accept-encoding': 'br' } });
    expect(first.headers.get('content-encoding')).toBe('br');
    expect(first.headers.get('content-security-policy')).toMatch(/^default-src 'none'; /);
    expect(first.headers.get('x-request-id')).toMatch(/^[\w-]{12}\.[0-9a-z]+$/);
    expect(first.headers.get('vary')).toBe('Accept-Encoding');
    const again = await fetch(`${url}/kk/`, {
      headers: {
        'accept-encoding': 'br',
        'if-none-match': first.headers.get('etag')!,
        'x-request-id': 'nginx-abc.1',
      },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-request-id')).toBe('nginx-abc.1');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
  });

  it('sends HSTS only over TLS, as a trusted proxy reports it', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    trustProxy = false;
    expect(
      (await fetch(`${url}/kk/`, { headers: https })).headers.get('strict-transport-security'),
    ).toBeNull();
    trustProxy = true;
    expect((await fetch(`${url}/kk/`, { headers: https })).headers.get('strict-transport-security')).toMatch(
      /max-age=31536000/,
    );
  });

  it('leaves to express anything but the plain cases', async () => {
    const fellThrough = async (path: string, init?: RequestInit) =>
      (await fetch(`${url}${path}`, init)).status;
    // A copy not ready yet (en was never asked for), other paths, other methods.
    expect(await fellThrough('/en/')).toBe(FELL_THROUGH);
    expect(await fellThrough('/de/')).toBe(FELL_THROUGH);
    expect(await fellThrough('/api/v1/status/')).toBe(FELL_THROUGH);
    expect(await fellThrough('/index.html')).toBe(FELL_THROUGH);
    expect(await fellThrough('/staff')).toBe(FELL_THROUGH);
    expect(await fellThrough('/kk/', { method: 'POST' })).toBe(FELL_THROUGH);
  });

  it('counts what it answers in the request metrics, by route pattern', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /corridor_http_request_duration_seconds_count\{route="\/\{lang\}\/",method="GET",status="200"\} \d+/,
    );
    expect(text).toMatch(/route="\/\{lang\}\/",method="GET",status="304"/);
    expect(text).toMatch(/route="\/",method="GET",status="302"/);
    expect(text).toMatch(/route="\/api\/v1\/status",method="GET",status="200"/);
  });
});

describe('the app: fast path and express answer alike', () => {
  let fast: TestServer;
  let slow: string;
  beforeAll(async () => {
    const database = await createTestDatabase();
    await seedReportedFigures({ db: database.db });
    fast = await startTestServer(database);
    // The same app with every request left to express, on the same kind of server (keep-alive headers alike).
    const server = createTestHttpServer(
      createApp({ ...fast.deps, publicCache: undefined }, { fastPath: false }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    slow = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    afterAll(() => {
      server.closeAllConnections();
      server.close();
    });
  });

  it('sends the same status, headers and bytes for every kind of public request', async () => {
    const names = (r: Response) => [...r.headers.keys()].filter((k) => k !== 'date' && k !== 'x-request-id');
    const cases: [string, RequestInit][] = [
      ['/ru/', { headers: { 'accept-encoding': 'gzip' } }],
      ['/kk/feed.atom', { headers: { 'accept-encoding': 'br' } }],
      ['/en/status.csv', {}],
      ['/api/v1/status', { method: 'HEAD' }],
      ['/status.hxl.csv', {}],
      ['/robots.txt', {}],
      ['/', { headers: { 'accept-language': 'kk, ru;q=0.5' } }],
      ['/?lang=ru', {}],
      ['/en', {}],
    ];
    for (const [path, init] of cases) {
      const get = (base: string) => fetch(`${base}${path}`, { redirect: 'manual', ...init });
      await get(fast.url); // warms the fast app's cache
      const a = await get(fast.url);
      const b = await get(slow);
      expect(a.status, path).toBe(b.status);
      expect(names(a), path).toEqual(names(b));
      for (const name of names(a)) expect(a.headers.get(name), `${path} ${name}`).toBe(b.headers.get(name));
      expect(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer())), path).toBe(true);
    }
  });
});
