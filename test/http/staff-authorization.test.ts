// The authorization matrix, generated from the staff routers: every declared
// /staff route and method × anonymous, viewer, officer, admin. A route added
// without staffRoute() fails the first test; a new declared route is covered
// without editing this file.
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/auth/roles.ts';
import { hasRole, listStaffRoutes, undeclaredRoutes } from '../../src/routes/staff/define.ts';
import { staffRouter } from '../../src/routes/staff/index.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { type StaffClient, signIn, staffClient } from '../support/staff.ts';

let server: TestServer;
let router: ReturnType<typeof staffRouter>;

beforeAll(async () => {
  server = await startTestServer(await createTestDatabase());
  router = staffRouter(server.deps);
});

// Ids that exist nowhere: an allowed request gets as far as the handler (404/422),
// and nothing in the database changes.
const concrete = (path: string) => path.replace(/:(\w+)/g, () => '987654');

type Identity = 'anonymous' | Role;
const IDENTITIES: Identity[] = ['anonymous', ...ROLES];

async function clientFor(identity: Identity): Promise<StaffClient> {
  if (identity === 'anonymous') {
    const anon = staffClient(server);
    await anon.get('/staff/sign-in'); // the pre-session token a sign-in form carries
    return anon;
  }
  return signIn(server, identity);
}

describe('staff routes', () => {
  it('are all declared with staffRoute and a least role', () => {
    expect(undeclaredRoutes(router)).toEqual([]);
    const routes = listStaffRoutes(router);
    expect(routes.length).toBeGreaterThan(5);
    for (const r of routes) expect(['public', ...ROLES]).toContain(r.access);
    // The ones this area owns are there, with the roles the issue gives them.
    expect(routes).toContainEqual({ method: 'get', path: '/staff/sign-in', access: 'public' });
    expect(routes).toContainEqual({ method: 'post', path: '/staff/users', access: 'admin' });
    expect(routes).toContainEqual({ method: 'post', path: '/staff/sign-out', access: 'viewer' });
  });

  it('answer every identity as their least role says', async () => {
    const routes = listStaffRoutes(router);
    const clients = new Map<Identity, StaffClient>();
    const failures: string[] = [];
    for (const route of routes) {
      for (const identity of IDENTITIES) {
        const client = clients.get(identity) ?? (await clientFor(identity));
        clients.set(identity, client);
        const path = concrete(route.path);
        const res =
          route.method === 'get'
            ? await client.get(path)
            : await client.request(path, {
                method: route.method.toUpperCase(),
                headers: {
                  'content-type': 'application/x-www-form-urlencoded',
                  'x-csrf-token': client.csrfToken,
                },
                body: '',
              });
        const status = res.status;
        const location = res.headers.get('location') ?? '';
        const allowed =
          route.access === 'public' ||
          (identity !== 'anonymous' && hasRole({ role: identity }, route.access));
        const label = `${route.method.toUpperCase()} ${route.path} as ${identity} (least ${route.access}) → ${status}`;
        if (status >= 500) failures.push(`${label}: server error`);
        else if (allowed) {
          if (status === 403 || (status === 401 && route.access !== 'public'))
            failures.push(`${label}: refused`);
          if (status === 303 && location.startsWith('/staff/sign-in?next=') && route.access !== 'public')
            failures.push(`${label}: sent to sign-in`);
        } else if (identity === 'anonymous') {
          const expected = route.method === 'get' ? 303 : 401;
          if (status !== expected) failures.push(`${label}: expected ${expected}`);
          if (route.method === 'get' && !location.startsWith('/staff/sign-in?next='))
            failures.push(`${label}: not sent to sign-in`);
        } else if (status !== 403) failures.push(`${label}: expected 403`);
        // A state-changing request may have ended the session (sign-out): start a new one.
        if (route.method !== 'get' && identity !== 'anonymous') {
          const check = await client.get('/staff/account');
          if (check.status !== 200) clients.delete(identity);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('send anonymous visitors of an unknown staff path to sign-in, signed-in staff get 404', async () => {
    const anon = await clientFor('anonymous');
    const res = await anon.get('/staff/no-such-page');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/sign-in?next=%2Fstaff%2Fno-such-page');
    const viewer = await signIn(server, 'viewer');
    expect((await viewer.get('/staff/no-such-page')).status).toBe(404);
  });
});
