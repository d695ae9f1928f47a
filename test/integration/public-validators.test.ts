// Cache validators that tell the truth (RFC 9110 §8.8, §13): Last-Modified is when the
// content served last changed — time passing a mark (a route turning stale) included —
// and the same in a process that starts later; each encoding has its own strong ETag;
// preconditions are evaluated in the RFC's order.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';
import type { Database } from '../../src/store/database.ts';

const HOUR = 3_600_000;
const T0 = Date.now();
const clock = fixedClock(new Date(T0 + HOUR));
let database: Database;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  const op = await makeOperation(database.db, { staleAfterHours: 12 });
  const { route } = await makeRoute(database.db, op.id);
  await makeMovement(
    database.db,
    route.id,
    { status: 'departed', departedAt: new Date(T0 - HOUR) },
    counts({ departed: { total: 250 } }),
  );
  server = await startTestServer(database, { clock });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });

describe('Last-Modified', () => {
  // Under load a reader may get the copy being replaced (cache.ts, maxWaitMs) — never one whose
  // time marks have passed: here the rebuild takes longer than that wait, and the stale mark must show.
  it('moves when a route turns stale, though nothing was recorded, and agrees across processes', async () => {
    clock.set(new Date(T0 + HOUR));
    const before = await get('/en/');
    const lm1 = before.headers.get('last-modified')!;
    // The evacuation's time of what is shown (the departure an hour before T0, or the figures'
    // as-of a moment after it), never a later write.
    expect(Date.parse(lm1)).toBeGreaterThanOrEqual(T0 - HOUR - 1000);
    expect(Date.parse(lm1)).toBeLessThanOrEqual(Date.now());
    clock.set(new Date(T0 + 13 * HOUR)); // past the 12 h threshold: the stale mark appears
    const after = await get('/en/');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const lm2 = Date.parse(after.headers.get('last-modified')!);
    // The moment the route turned stale: 12 h after its figures' as-of, before the clock's now.
    expect(lm2).toBeGreaterThan(Date.parse(lm1));
    expect(lm2).toBeGreaterThanOrEqual(T0 - HOUR + 12 * HOUR - 1000);
    expect(lm2).toBeLessThanOrEqual(T0 + 13 * HOUR);
    // A client holding the copy from before is not told 304.
    expect((await get('/en/', { 'if-modified-since': lm1 })).status).toBe(200);
    expect((await get('/en/', { 'if-modified-since': after.headers.get('last-modified')! })).status).toBe(
      304,
    );
    // The feed and the CSV show the mark too; the JSON as well.
    for (const path of ['/en/feed.atom', '/en/status.csv', '/api/v1/status'])
      expect(Date.parse((await get(path)).headers.get('last-modified')!), path).toBe(lm2);
    // A process started now dates the same content the same way.
    const other = await startTestServer(database, { clock });
    const again = await fetch(`${other.url}/en/`);
    expect(again.headers.get('last-modified')).toBe(after.headers.get('last-modified'));
    expect(again.headers.get('etag')).toBe(after.headers.get('etag'));
  });
});

describe('ETag and preconditions', () => {
  it('gives each encoding its own strong tag, and compares them as RFC 9110 says', async () => {
    const tag = async (encoding: string) =>
      (await get('/kk/', { 'accept-encoding': encoding })).headers.get('etag')!;
    const [br, gzip, identity] = [await tag('br'), await tag('gzip'), await tag('identity')];
    expect(new Set([br, gzip, identity]).size).toBe(3);
    for (const t of [br, gzip, identity]) expect(t).toMatch(/^"[\w-]{32}"$/);
    const status = async (headers: Record<string, string>) =>
      (await get('/kk/', { 'accept-encoding': 'br', ...headers })).status;
    // If-None-Match: weak comparison, against the tag of the encoding being sent.
    expect(await status({ 'if-none-match': br })).toBe(304);
    expect(await status({ 'if-none-match': `W/${br}` })).toBe(304);
    expect(await status({ 'if-none-match': `"x", ${br}` })).toBe(304);
    expect(await status({ 'if-none-match': gzip })).toBe(200);
    expect(await status({ 'if-none-match': identity })).toBe(200);
    expect(await status({ 'if-none-match': '*' })).toBe(304);
    // If-None-Match wins over If-Modified-Since.
    expect(await status({ 'if-none-match': gzip, 'if-modified-since': new Date().toUTCString() })).toBe(200);
    // If-Match: strong comparison; a weak tag never matches.
    expect(await status({ 'if-match': br })).toBe(200);
    expect(await status({ 'if-match': `W/${br}` })).toBe(412);
    expect(await status({ 'if-match': gzip })).toBe(412);
    // If-Unmodified-Since, when there is no If-Match.
    expect(await status({ 'if-unmodified-since': new Date(0).toUTCString() })).toBe(412);
    expect(await status({ 'if-unmodified-since': new Date(T0 + 30 * HOUR).toUTCString() })).toBe(200);
    // An invalid date is ignored.
    expect(await status({ 'if-modified-since': 'yesterday' })).toBe(200);
    // A 304 carries the tag that matched, and what a cache needs to update its copy.
    const r = await get('/kk/', { 'accept-encoding': 'br', 'if-none-match': br });
    expect(r.headers.get('etag')).toBe(br);
    expect(r.headers.get('vary')).toBe('Accept-Encoding');
    expect(r.headers.get('cache-control')).toMatch(/^public/);
  });
});
