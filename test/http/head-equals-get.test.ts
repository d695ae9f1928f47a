// HEAD answers as GET would, on every kind of route: the same status and headers,
// Content-Length the length of the GET body (RFC 9110 §9.3.2) — public outputs and
// redirects (the fast path), robots.txt, the sign-up, errors, health, the staff pages.
import { beforeAll, describe, expect, it } from 'vitest';
import { legs, movements, operations, places, routes } from '../../db/schema.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { signIn, type StaffClient } from '../support/staff.ts';

let server: TestServer;
let admin: StaffClient & { user: { id: number } };
const ids = { operation: 0, movement: 0, route: 0, place: 0, leg: 0 };

beforeAll(async () => {
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database);
  admin = await signIn(server, 'admin');
  const db = database.db;
  ids.operation = (await db.select({ id: operations.id }).from(operations).limit(1))[0]!.id;
  ids.movement = (await db.select({ id: movements.id }).from(movements).limit(1))[0]!.id;
  ids.route = (await db.select({ id: routes.id }).from(routes).limit(1))[0]!.id;
  ids.place = (await db.select({ id: places.id }).from(places).limit(1))[0]!.id;
  ids.leg = (await db.select({ id: legs.id }).from(legs).limit(1))[0]!.id;
});

/** Headers that differ between any two requests, or describe the connection. */
const PER_REQUEST = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);
/** Headers whose value embeds a fresh token on pages with a form (CSRF) or a session. */
const TOKEN_BEARING = new Set(['set-cookie', 'etag']);

async function compare(path: string, get: (init: RequestInit) => Promise<Response>) {
  const g = await get({ method: 'GET', headers: { 'accept-encoding': 'gzip' } });
  const body = Buffer.from(await g.arrayBuffer());
  const h = await get({ method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
  expect(h.status, path).toBe(g.status);
  const names = (r: Response) => [...r.headers.keys()].filter((k) => !PER_REQUEST.has(k));
  expect(names(h), path).toEqual(names(g));
  for (const name of names(g))
    if (!TOKEN_BEARING.has(name)) expect(h.headers.get(name), `${path} ${name}`).toBe(g.headers.get(name));
  // fetch decodes; the length on the wire is that of the encoded body.
  if (g.headers.get('content-encoding') === null && g.headers.has('content-length'))
    expect(Number(h.headers.get('content-length')), path).toBe(body.length);
  expect((await h.arrayBuffer()).byteLength, path).toBe(0);
}

describe('HEAD = GET', () => {
  it('on the public outputs, their redirects and robots.txt', async () => {
    for (const path of [
      '/kk/',
      '/ru/feed.atom',
      '/en/status.csv',
      '/api/v1/status',
      '/status.hxl.csv',
      '/robots.txt',
      '/',
      '/?lang=ru',
      '/en',
    ]) {
      // Twice: the first may be answered by express (copy not ready), the second by the fast path.
      for (let i = 0; i < 2; i++)
        await compare(path, (init) => fetch(`${server.url}${path}`, { redirect: 'manual', ...init }));
    }
  });

  it('on the sign-up pages, errors and health', async () => {
    for (const path of [
      '/subscribe',
      '/subscribe?lang=kk',
      '/subscribe/confirm/nope',
      '/kk/subscribe',
      '/ru/subscribe/confirm/nope',
      '/no-such-page',
      '/healthz',
      '/readyz',
    ])
      await compare(path, (init) => fetch(`${server.url}${path}`, { redirect: 'manual', ...init }));
  });

  it('on the staff pages, signed out and signed in', async () => {
    for (const path of ['/staff/sign-in', '/staff', '/staff/movements/1'])
      await compare(path, (init) => fetch(`${server.url}${path}`, { redirect: 'manual', ...init }));
    for (const path of [
      '/staff',
      '/staff/account',
      '/staff/operations',
      `/staff/operations/${ids.operation}`,
      `/staff/operations/${ids.operation}/export.csv`,
      `/staff/operations/${ids.operation}/import`,
      `/staff/movements/${ids.movement}`,
      `/staff/movements/${ids.movement}/counts`,
      `/staff/movements/${ids.movement}/history`,
      `/staff/routes/${ids.route}`,
      `/staff/routes/${ids.route}/movements/new`,
      `/staff/places`,
      `/staff/places/${ids.place}`,
      `/staff/legs/${ids.leg}`,
      '/staff/activity',
      '/staff/users',
      '/staff/users/new',
      `/staff/users/${admin.user.id}`,
      '/staff/digest',
      '/staff/digest/recipients',
    ])
      await compare(path, (init) => admin.request(path, init));
  });
});
