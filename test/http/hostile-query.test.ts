// Malformed query strings over HTTP (src/routes/query-text.ts). express's query parser took
// `?page=%ff` as U+FFFD, `?at=%E0%A4%A` half-decoded and `?q=%00` as a NUL, and passed
// them to the routes: now every route that reads its query answers 400 (bad_request), as
// HTML or JSON, writes nothing, and logs no decoded value. The public outputs ignore their
// query (as nginx does), and the JSON as of a day keeps its documented invalid_as_of.
import fc from 'fast-check';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { makeOperation, makeRoute } from '../support/factories.ts';
import { propertyRuns } from '../support/runs.ts';
import { type StaffClient, signIn } from '../support/staff.ts';
import { dumpTables } from '../fuzz/support.ts';

let database: Database;
let server: TestServer;
let admin: StaffClient;
/** Every log line, at every level, as written. */
const lines: string[] = [];
let routes: { path: string; param: string; ok: string }[];

beforeAll(async () => {
  database = await createTestDatabase();
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  server = await startTestServer(database, { deps: { logger } });
  admin = await signIn(server, 'admin');
  const op = await makeOperation(database.db, { slug: 'hostile-query' });
  const { route } = await makeRoute(database.db, op.id, {}, 1);
  // A route that reads each parameter, and a value it takes.
  routes = [
    { path: '/staff/', param: 'page', ok: '1' },
    { path: '/staff/', param: 'route', ok: String(route.id) },
    { path: `/staff/operations/${op.id}/as-of`, param: 'at', ok: '2026-03-03' },
    { path: '/staff/sign-in', param: 'next', ok: '/staff/' },
    { path: '/staff/account', param: 'lang', ok: 'ru' },
    { path: '/staff/users', param: 'done', ok: '1' },
    { path: '/staff/digest/recipients', param: 'operation', ok: 'hostile-query' },
    { path: '/subscribe', param: 'operation', ok: 'hostile-query' },
    { path: '/ru/subscribe', param: 'lang', ok: 'kk' },
    { path: '/nowhere', param: 'lang', ok: 'ru' },
  ];
});

const HOSTILE = [
  '%ff',
  '%c0%af', // an overlong "/"
  '%ED%A0%80', // a UTF-16 surrogate, encoded
  '%E0%A4%A',
  '%',
  'a%zz',
  '%00',
  'a%01b',
  '%7F',
  '%0a', // no query value is multi-line: LF, CR and tab are refused too
  '%09',
];

const get = (path: string, accept = 'text/html') => admin.get(path, { headers: { accept } });

describe('a malformed query string', () => {
  it('is 400 bad_request on every route that reads one (name or value), and a clean value is not', async () => {
    const before = await dumpTables(database);
    const from = lines.length;
    for (const { path, param, ok } of routes) {
      const good = await get(`${path}?${param}=${encodeURIComponent(ok)}`);
      // 200, or the route's own answer to a clean value (a redirect when signed in, a 404).
      expect([200, 301, 302, 303, 404], `${path}?${param}=${ok}`).toContain(good.status);
      for (const bad of HOSTILE)
        for (const query of [`${param}=${bad}`, `${param}=${ok}&x${bad}=1`]) {
          const res = await get(`${path}?${query}`, 'application/json');
          expect(res.status, `${path}?${query}`).toBe(400);
          const body = (await res.json()) as { error: { code: string } };
          expect(body.error.code, `${path}?${query}`).toBe('bad_request');
        }
      const html = await get(`${path}?${param}=%00`);
      expect(html.status).toBe(400);
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(await html.text()).not.toContain('\u0000');
    }
    expect(await dumpTables(database)).toEqual(before);
    // No decoded value reached a log line: the access log keeps the URL as it came.
    const logged = lines.slice(from).join('');
    expect(logged).not.toMatch(/\\u0000|\\u0001|\uFFFD/);
    expect(lines.slice(from).filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
  });

  it('is 400 whatever the rest of the query (property: hostile piece anywhere among clean pairs)', async () => {
    const clean = fc.array(
      fc.tuple(fc.constantFrom('page', 'route', 'status', 'lang', 'x'), fc.string({ maxLength: 8 })),
      { maxLength: 3 },
    );
    await fc.assert(
      fc.asyncProperty(clean, fc.constantFrom(...HOSTILE), fc.nat(), async (pairs, bad, at) => {
        const parts = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
        parts.splice(at % (parts.length + 1), 0, `q=${bad}`);
        const res = await get(`/staff/?${parts.join('&')}`, 'application/json');
        expect(res.status, parts.join('&')).toBe(400);
        await res.arrayBuffer();
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('on a public output is ignored, on the fast path and through express alike', async () => {
    for (const path of ['/ru/', '/en/feed.atom', '/api/v1/status', '/robots.txt']) {
      const plain = await fetch(`${server.url}${path}`);
      const odd = await fetch(`${server.url}${path}?utm=%ff&x=%00&y=%`);
      expect(odd.status, path).toBe(plain.status);
      expect(await odd.text()).toBe(await plain.text());
    }
    // A language-less URL with a malformed ?lang= is negotiated, as with an unknown one.
    const redirect = await fetch(`${server.url}/feed.atom?lang=%ff`, {
      redirect: 'manual',
      headers: { 'accept-language': 'kk' },
    });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/kk/feed.atom');
  });

  it('in the JSON as of a day is its documented invalid_as_of (400)', async () => {
    for (const bad of HOSTILE) {
      const res = await fetch(`${server.url}/api/v1/status?asOf=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code, bad).toBe('invalid_as_of');
    }
  });
});
