// The public fast path (src/routes/public-fast-path.ts): which requests it answers
// before express, and that its answers are the same as express's public router's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createPublicCache, type PublicCache } from '../../src/public/cache.ts';
import { publicRenderer } from '../../src/public/render.ts';
import { publicFastPath } from '../../src/routes/public-fast-path.ts';
import { createRenderer } from '../../src/views.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
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
    const fast = publicFastPath({ metrics, logger: silentLogger }, cache, () => trustProxy);
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

  it('leaves every request to express until the cache has a copy ready', async () => {
    expect((await fetch(`${url}/`)).status).toBe(FELL_THROUGH);
    await cache.get('en', 'html');
    await cache.get('ru', 'html');
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Middle East 2026');
  });

  it('answers the plain public reads, in the language chosen as express chooses it', async () => {
    for (const [format, lang] of [
      ['json', 'en'],
      ['atom', 'en'],
      ['csv', 'en'],
      ['html', 'kk'],
    ] as const)
      await cache.get(lang, format);
    expect((await fetch(`${url}/api/v1/status`)).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${url}/feed.atom`)).headers.get('content-type')).toMatch(/atom/);
    expect((await fetch(`${url}/status.csv`)).headers.get('content-type')).toMatch(/csv/);
    const ru = await fetch(`${url}/`, { headers: { 'accept-language': 'ru-RU,ru;q=0.9' } });
    expect(await ru.text()).toContain('<html lang="ru">');
    const kk = await fetch(`${url}/?lang=kk`, { headers: { cookie: 'lang=kk' } });
    expect(kk.status).toBe(200);
    expect(kk.headers.get('set-cookie')).toBeNull();
    expect(await kk.text()).toContain('<html lang="kk">');
    const head = await fetch(`${url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
  });

  it('answers a revalidation with 304 and sends the security headers and a request id', async () => {
    const first = await fetch(`${url}/`, { headers: { 'accept-encoding': 'br' } });
    expect(first.headers.get('content-encoding')).toBe('br');
    expect(first.headers.get('content-security-policy')).toMatch(/^default-src 'none'; /);
    expect(first.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    expect(first.headers.get('vary')).toBe('Accept-Encoding, Accept-Language, Cookie');
    const again = await fetch(`${url}/`, {
      headers: { 'if-none-match': first.headers.get('etag')!, 'x-request-id': 'nginx-abc.1' },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-request-id')).toBe('nginx-abc.1');
  });

  it('sends HSTS only over TLS, as a trusted proxy reports it', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    trustProxy = false;
    expect((await fetch(`${url}/`, { headers: https })).headers.get('strict-transport-security')).toBeNull();
    trustProxy = true;
    expect((await fetch(`${url}/`, { headers: https })).headers.get('strict-transport-security')).toMatch(
      /max-age=31536000/,
    );
  });

  it('leaves to express anything but the plain cases', async () => {
    const fellThrough = async (path: string, init?: RequestInit) =>
      (await fetch(`${url}${path}`, init)).status;
    // A new ?lang= choice must set the cookie; other query strings, other paths, other methods.
    expect(await fellThrough('/?lang=kk')).toBe(FELL_THROUGH);
    expect(await fellThrough('/?lang=de')).toBe(FELL_THROUGH);
    expect(await fellThrough('/?utm_source=radio')).toBe(FELL_THROUGH);
    expect(await fellThrough('/api/v1/status/')).toBe(FELL_THROUGH);
    expect(await fellThrough('/index.html')).toBe(FELL_THROUGH);
    expect(await fellThrough('/staff')).toBe(FELL_THROUGH);
    expect(await fellThrough('/', { method: 'POST' })).toBe(FELL_THROUGH);
  });

  it('counts what it answers in the request metrics, by route pattern', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /corridor_http_request_duration_seconds_count\{route="\/",method="GET",status="200"\} \d+/,
    );
    expect(text).toMatch(/route="\/",method="GET",status="304"/);
    expect(text).toMatch(/route="\/api\/v1\/status",method="GET",status="200"/);
  });
});

describe('the app: fast path and express answer alike', () => {
  let server: TestServer;
  beforeAll(async () => {
    const database = await createTestDatabase();
    await seedReportedFigures({ db: database.db });
    server = await startTestServer(database);
  });

  it('sends the same headers and bytes for a read it answers and one express answers', async () => {
    const headers = { 'accept-language': 'ru', 'accept-encoding': 'gzip' };
    await fetch(`${server.url}/`, { headers }); // warms the cache
    const fast = await fetch(`${server.url}/`, { headers });
    // An unknown query parameter goes to express, which answers from the same cache.
    const slow = await fetch(`${server.url}/?ref=tv`, { headers });
    const names = (r: Response) => [...r.headers.keys()].filter((k) => k !== 'date' && k !== 'x-request-id');
    expect(names(fast)).toEqual(names(slow));
    for (const name of names(fast)) expect(fast.headers.get(name), name).toBe(slow.headers.get(name));
    expect(await fast.text()).toBe(await slow.text());
  });
});
