// Hostile request headers over HTTP, in process: fast-check properties that the answer to a
// request with garbage beside (or instead of) a well-formed header is the well-formed
// request's answer. A garbage If-Modified-Since ("3000") was a 304 of a page the client
// never had, and so was an If-None-Match with the page's tag inside garbage; a malformed
// Accept-Language weight ("kk;q=2") outranked every real one; a
// trusted proxy's garbage X-Forwarded-For was stored as the session's address.
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../db/schema.ts';
import { isIP } from 'node:net';
import type { Database } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { makeOperation, makeRoute } from '../support/factories.ts';
import { propertyRuns } from '../support/runs.ts';
import { createStaffUser, staffClient } from '../support/staff.ts';
import { headerValue } from '../fuzz/arbitraries.ts';
import { capturingLogger, describeErrors, rawRequest } from '../fuzz/support.ts';

let database: Database;
let server: TestServer;
const log = capturingLogger();
const RUNS = propertyRuns(60);

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { deps: { logger: log.logger } });
  const op = await makeOperation(database.db, { slug: 'hostile-headers' });
  await makeRoute(database.db, op.id);
  for (const path of ['/ru/', '/en/feed.atom']) await fetch(`${server.url}${path}`); // the fast path
});

describe('conditional request headers that are garbage', () => {
  // What Date.parse read as a date, and the fuzz suite's header values (none an HTTP-date).
  const notADate = fc.oneof(
    fc.constantFrom('3000', '9999', '1e3', 'Tue 5 3000', '2999-01-01', 'Sun, 31 Feb 2999 08:00:00 GMT'),
    headerValue.filter((v) => !v.endsWith('GMT') && !v.includes('*') && !v.includes('"')),
  );
  it('are ignored: the answer is the unconditional one (property)', async () => {
    const plain = new Map<string, string>();
    for (const path of ['/ru/', '/en/feed.atom'])
      plain.set(path, await (await fetch(`${server.url}${path}`)).text());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/ru/', '/en/feed.atom'),
        fc.record({ 'if-modified-since': notADate, 'if-none-match': notADate }, { requiredKeys: [] }),
        async (path, headers) => {
          const res = await rawRequest(server.url, { method: 'GET', path, headers });
          fc.pre(res !== undefined);
          expect(res.status, JSON.stringify(headers)).toBe(200);
          expect(res.body).toBe(plain.get(path));
        },
      ),
      { numRuns: RUNS },
    );
    expect(log.errors(), describeErrors(log.errors())).toEqual([]);
  });
});

describe('an If-None-Match that is not an entity-tag list', () => {
  it('is ignored even around the right tag; a well-formed list with it is a 304', async () => {
    for (const path of ['/ru/', '/en/feed.atom']) {
      const first = await fetch(`${server.url}${path}`);
      const etag = first.headers.get('etag')!;
      const lastModified = first.headers.get('last-modified')!;
      // fetch asks for the same encodings each time: the tag is that encoding's.
      const status = async (headers: Record<string, string>) =>
        (await fetch(`${server.url}${path}`, { headers })).status;
      for (const garbage of [`x${etag}`, `${etag}x`, `${etag} junk`, `${etag} "zz"`, `*, ${etag}`])
        expect(await status({ 'if-none-match': garbage }), `${path} ${garbage}`).toBe(200);
      expect(await status({ 'if-none-match': `"zz", ${etag}` })).toBe(304);
      expect(await status({ 'if-none-match': ` , W/${etag} ` })).toBe(304);
      // Ignored means absent: If-Modified-Since decides (RFC 9110 §13.2.2).
      expect(await status({ 'if-none-match': `x${etag}`, 'if-modified-since': lastModified })).toBe(304);
      expect(await status({ 'if-none-match': '"zz"', 'if-modified-since': lastModified })).toBe(200);
    }
    expect(log.errors(), describeErrors(log.errors())).toEqual([]);
  });
});

describe('an Accept-Language with malformed entries', () => {
  it('redirects a language-less URL where its well-formed entries alone do (property)', async () => {
    const entry = fc.tuple(
      fc.constantFrom('kk', 'ru', 'en', 'de'),
      fc.constantFrom('1', '0.9', '0.5', '0.1'),
    );
    const bad = fc.constantFrom('kk;q=2', 'ru;q=1e309', 'en;q=0x1', 'de;q=abc', ';q=1', 'ru<x>', '', ';;');
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { minLength: 1, maxLength: 4 }),
        fc.array(bad, { maxLength: 4 }),
        async (good, noise) => {
          const wellFormed = good.map(([t, q]) => `${t};q=${q}`).join(', ');
          const where = async (al: string) =>
            (
              await fetch(`${server.url}/feed.atom`, {
                redirect: 'manual',
                headers: { 'accept-language': al },
              })
            ).headers.get('location');
          expect(await where([...noise, wellFormed].join(', ')), noise.join(', ')).toBe(
            await where(wellFormed),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('X-Forwarded-For and Host that are garbage', () => {
  it('a session keeps an IP address, never the text a client wrote', async () => {
    for (const forwarded of ['<script>alert(1)</script>', 'x'.repeat(4000), 'unknown', '1.2.3.4.5', ', ,']) {
      const user = await createStaffUser(database.db, 'viewer');
      const client = staffClient(server);
      await client.get('/staff/sign-in', { headers: { 'x-forwarded-for': forwarded } });
      const res = await client.post(
        '/staff/sign-in',
        { email: user.email, password: user.password },
        { headers: { 'x-forwarded-for': forwarded } },
      );
      expect(res.status, forwarded.slice(0, 40)).toBe(303);
      const [row] = await database.db.select().from(sessions).where(eq(sessions.userId, user.id));
      expect(isIP(row!.ip ?? ''), `${forwarded.slice(0, 40)} → ${row!.ip?.slice(0, 40)}`).not.toBe(0);
    }
  });

  it('an odd Host or X-Forwarded-* header is answered as a plain request is (no 5xx)', async () => {
    const plain = await rawRequest(server.url, { method: 'GET', path: '/ru/' });
    const odd: Record<string, string>[] = [
      { host: 'evil.test:99999' },
      { host: '[::1' },
      { host: 'a b' },
      { host: '' },
      { 'x-forwarded-proto': 'https, http, <x>' },
      { 'x-forwarded-host': '%00' },
      { 'x-forwarded-for': '%', 'x-forwarded-proto': '' },
    ];
    for (const headers of odd) {
      const res = await rawRequest(server.url, { method: 'GET', path: '/ru/', headers });
      if (!res) continue; // a header the client itself refuses to send
      expect(res.status, JSON.stringify(headers)).toBeLessThan(500);
      if (res.status === 200) expect(res.body).toBe(plain!.body);
      const staff = await rawRequest(server.url, { method: 'GET', path: '/staff/sign-in', headers });
      if (staff) expect(staff.status, JSON.stringify(headers)).toBeLessThan(500);
    }
    expect(log.errors(), describeErrors(log.errors())).toEqual([]);
  });
});
