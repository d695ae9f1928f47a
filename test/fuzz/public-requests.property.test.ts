// Issue 11, point 6 (public side): random and malformed cookies, Accept-Language,
// Accept-Encoding, If-None-Match, If-Modified-Since, query strings, percent-encodings and
// paths against every public URL (from the public URL table), GET and HEAD, plus random
// bodies POSTed to the public forms. Each run: no 5xx, nothing logged at error, and the
// process still answers /healthz; a refused POST leaves every table as it was.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { propertyRuns } from '../support/runs.ts';
import { makeOperation, makeRoute } from '../support/factories.ts';
import { contentType, formBody, headerValue, pathSuffix, publicUrls, queryString } from './arbitraries.ts';
import { capturingLogger, describeErrors, dumpTables, rawRequest, report } from './support.ts';

const RUNS = propertyRuns(300, process.env.FUZZ_RUNS);
let database: Database;
let server: TestServer;
const log = capturingLogger();

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { deps: { logger: log.logger } });
  const op = await makeOperation(database.db, { slug: 'fuzz-public' });
  await makeRoute(database.db, op.id);
  for (const url of publicUrls()) await fetch(`${server.url}${url}`); // warm: fast path too
});

const healthy = async () => expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

describe('hostile public requests (property)', () => {
  it('never answer 5xx, never log an error, and leave the process answering', async () => {
    const urls = publicUrls();
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...urls),
        pathSuffix,
        queryString,
        fc.constantFrom('GET', 'HEAD'),
        fc.record(
          {
            cookie: headerValue,
            'accept-language': headerValue,
            'accept-encoding': headerValue,
            'if-none-match': headerValue,
            'if-modified-since': headerValue,
          },
          { requiredKeys: [] },
        ),
        async (url, suffix, query, method, headers) => {
          const path = `${url}${suffix}${query ? `?${query}` : ''}`;
          const res = await rawRequest(server.url, { method, path, headers });
          fc.pre(res !== undefined);
          expect(res.status, `${method} ${path} ${JSON.stringify(headers).slice(0, 300)}`).toBeLessThan(500);
          expect(log.errors(), describeErrors(log.errors())).toEqual([]);
        },
      ),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    report('public GET/HEAD', RUNS, started);
    await healthy();
  }, 300_000);

  it('random bodies on the public forms: no 5xx, and a refused one writes nothing', async () => {
    const paths = [
      '/subscribe',
      '/kk/subscribe',
      '/subscribe/confirm/x1234567890abcdefghijk',
      '/ru/subscribe/confirm/x1234567890abcdefghijk',
      ...publicUrls().filter((u) => u.includes('/unsubscribe/')),
    ];
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), formBody, contentType, async (path, body, type) => {
        const before = await dumpTables(database);
        const res = await rawRequest(server.url, {
          method: 'POST',
          path,
          headers: { 'content-type': type, 'x-forwarded-for': '2001:db8:f::1' },
          body,
        });
        fc.pre(res !== undefined);
        expect(res.status, `POST ${path} ${type} ${body.slice(0, 300)}`).toBeLessThan(500);
        expect(log.errors(), describeErrors(log.errors())).toEqual([]);
        if (res.status >= 400) expect(await dumpTables(database)).toEqual(before);
      }),
      { numRuns: Math.ceil(RUNS / 6) },
    );
    report('public POST', Math.ceil(RUNS / 6), started);
    await healthy();
  }, 300_000);
});
