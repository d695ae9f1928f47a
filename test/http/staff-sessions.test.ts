// Sessions in the database: cookie flags, new id at sign-in, idle and absolute
// expiry (injected clock), sign-out, revocation, sharing between app instances,
// CSRF on every state-changing request, no-store and security headers.
import { createHash } from 'node:crypto';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../db/schema.ts';
import { fixedClock } from '../../src/clock.ts';
import { csvUpload } from '../../src/routes/body-limits.ts';
import { staffRoute } from '../../src/routes/staff/define.ts';
import { staffSession } from '../../src/routes/staff/session.ts';
import { errorHandler } from '../../src/routes/middleware.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestHttpServer, startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { createStaffUser, csrfFrom, signIn, staffClient } from '../support/staff.ts';

const T0 = '2026-03-05T08:00:00Z';
const MIN = 60_000;
let database: Database;
let server: TestServer;
const clock = fixedClock(T0);

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, {
    clock,
    config: { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '2' },
  });
});

const sessionCookie = (res: Response) =>
  res.headers.getSetCookie().find((c) => c.startsWith('corridor_session='));

describe('signing in', () => {
  it('sets an httpOnly, SameSite=Lax cookie on /staff, stores only its hash, and redirects', async () => {
    const user = await createStaffUser(database.db, 'officer');
    const client = staffClient(server);
    await client.get('/staff/sign-in');
    const res = await client.post('/staff/sign-in', {
      email: user.email.toUpperCase(),
      password: user.password,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff');
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/staff/);
    expect(cookie).not.toMatch(/Secure/i);
    const token = client.jar.cookies.get('corridor_session')!;
    const rows = await database.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.idHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(rows[0]!.idHash).not.toContain(token);
  });

  it('marks the cookie Secure and sends HSTS behind a TLS proxy (trust proxy)', async () => {
    const user = await createStaffUser(database.db, 'viewer');
    const client = staffClient(server);
    const https = { headers: { 'x-forwarded-proto': 'https' } };
    const page = await client.get('/staff/sign-in', https);
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const res = await client.post('/staff/sign-in', { email: user.email, password: user.password }, https);
    expect(sessionCookie(res)).toMatch(/Secure/i);
    const plain = await fetch(`${server.url}/staff/sign-in`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  it('issues a new session id at every sign-in and ends the one the browser had', async () => {
    const client = await signIn(server, 'officer');
    const first = client.jar.cookies.get('corridor_session')!;
    const res = await client.post('/staff/sign-in', {
      email: client.user.email,
      password: client.user.password,
    });
    expect(res.status).toBe(303);
    const second = client.jar.cookies.get('corridor_session')!;
    expect(second).not.toBe(first);
    const old = staffClient(server);
    old.jar.cookies.set('corridor_session', first);
    expect((await old.get('/staff/account')).status).toBe(303);
  });

  it('only redirects inside /staff after sign-in', async () => {
    for (const [next, expected] of [
      ['/staff/users', '/staff/users'],
      ['https://evil.example/', '/staff'],
      ['//evil.example/staff', '/staff'],
      ['/staffer', '/staff'],
    ] as const) {
      const user = await createStaffUser(database.db, 'viewer');
      const client = staffClient(server);
      await client.get('/staff/sign-in');
      const res = await client.post('/staff/sign-in', { email: user.email, password: user.password, next });
      expect(res.headers.get('location')).toBe(expected);
    }
  });
});

describe('session expiry', () => {
  it('ends after the idle time without requests, and activity keeps it alive', async () => {
    clock.set(T0);
    const client = await signIn(server, 'viewer');
    clock.advance(29 * MIN);
    expect((await client.get('/staff/account')).status).toBe(200);
    clock.advance(29 * MIN); // 58 min after sign-in, 29 since the last request
    expect((await client.get('/staff/account')).status).toBe(200);
    clock.advance(31 * MIN);
    const res = await client.get('/staff/account');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/staff\/sign-in\?next=/);
    expect(client.jar.cookies.has('corridor_session')).toBe(false);
  });

  it('ends at the absolute limit however active it is', async () => {
    clock.set(T0);
    const client = await signIn(server, 'viewer');
    for (let i = 0; i < 4; i++) {
      clock.advance(25 * MIN);
      expect((await client.get('/staff/account')).status).toBe(200);
    }
    clock.advance(19 * MIN); // 1 h 59 min
    expect((await client.get('/staff/account')).status).toBe(200);
    clock.advance(2 * MIN); // 2 h 1 min
    expect((await client.get('/staff/account')).status).toBe(303);
    // A form sent after the end: the sign-in form, saying nothing was saved, back to the form's page.
    const post = await client.post(
      '/staff/account/sessions/revoke',
      {},
      { headers: { referer: `${server.url}/staff/account` } },
    );
    expect(post.status).toBe(401);
    const html = await post.text();
    expect(html).toContain('data-error="unauthenticated"'); // the sign-in form, with its alert
    expect(html).toContain('name="next" value="/staff/account"');
    expect(csrfFrom(html)).toBeDefined();
  });
});

describe('sign-out and revocation', () => {
  it('sign-out revokes the session in the database; the old cookie no longer works', async () => {
    clock.set(T0);
    const client = await signIn(server, 'officer');
    const token = client.jar.cookies.get('corridor_session')!;
    const res = await client.post('/staff/sign-out');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/sign-in?signed_out=1');
    const [row] = await database.db
      .select()
      .from(sessions)
      .where(eq(sessions.idHash, createHash('sha256').update(token).digest('hex')));
    expect(row!.revokedAt).not.toBeNull();
    const replay = staffClient(server);
    replay.jar.cookies.set('corridor_session', token);
    expect((await replay.get('/staff/account')).status).toBe(303);
  });

  it('an admin revokes every session of a user; other users keep theirs', async () => {
    clock.set(T0);
    const admin = await signIn(server, 'admin');
    const officer = await signIn(server, 'officer');
    const officerPhone = await signIn(server, 'officer', { user: officer.user });
    const bystander = await signIn(server, 'officer');
    await admin.get(`/staff/users/${officer.user.id}`);
    const res = await admin.post(`/staff/users/${officer.user.id}/sessions/revoke`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/staff/users/${officer.user.id}?revoked=2`);
    expect((await officer.get('/staff/account')).status).toBe(303);
    expect((await officerPhone.post('/staff/account/sessions/revoke')).status).toBe(401);
    expect((await bystander.get('/staff/account')).status).toBe(200);
    expect((await admin.get('/staff/account')).status).toBe(200);
  });

  it('"sign out my other sessions" keeps the current one', async () => {
    clock.set(T0);
    const laptop = await signIn(server, 'viewer');
    const phone = await signIn(server, 'viewer', { user: laptop.user });
    const res = await laptop.post('/staff/account/sessions/revoke');
    expect(res.headers.get('location')).toBe('/staff/account?revoked=1');
    expect((await laptop.get('/staff/account')).status).toBe(200);
    expect((await phone.get('/staff/account')).status).toBe(303);
  });

  it('a disabled account loses its sessions at once', async () => {
    clock.set(T0);
    const user = await signIn(server, 'officer');
    await database.db.update(users).set({ disabledAt: clock.now() }).where(eq(users.id, user.user.id));
    expect((await user.get('/staff/account')).status).toBe(303);
  });

  it('sessions are shared by every app instance on the database (no process memory)', async () => {
    clock.set(T0);
    const other = await startTestServer(database, { clock, config: { SESSION_IDLE_MINUTES: '30' } });
    const client = await signIn(server, 'admin');
    const elsewhere = staffClient(other);
    elsewhere.jar.cookies.set('corridor_session', client.jar.cookies.get('corridor_session')!);
    expect((await elsewhere.get('/staff/account')).status).toBe(200);
    // A sign-out on one instance is seen by the other.
    const res = await elsewhere.post('/staff/sign-out');
    expect(res.status).toBe(303);
    expect((await client.get('/staff/account')).status).toBe(303);
  });
});

describe('CSRF', () => {
  it('refuses a signed-in form post without, or with a wrong, token and writes nothing', async () => {
    clock.set(T0);
    const admin = await signIn(server, 'admin');
    const other = await signIn(server, 'viewer');
    const before = await database.db.select().from(users);
    const form = {
      email: 'csrf-victim@staff.test',
      name: 'X',
      role: 'admin',
      password: 'a long password 123',
    };
    for (const _csrf of ['', 'forged-token-forged-token-forged']) {
      const res = await admin.request('/staff/users', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ ...form, ...(_csrf ? { _csrf } : {}) }),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    }
    // Another session's token is not this session's.
    const res = await admin.post('/staff/users', { ...form, _csrf: other.csrfToken });
    expect(res.status).toBe(403);
    expect(await database.db.select().from(users)).toHaveLength(before.length);
    // The right token in the form, or in the X-CSRF-Token header, passes.
    const ok = await admin.request('/staff/users', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': admin.csrfToken },
      body: new URLSearchParams(form),
    });
    expect(ok.status).toBe(303);
  });

  it('refuses a sign-in post without the sign-in form token (login CSRF)', async () => {
    const user = await createStaffUser(database.db, 'viewer');
    const bare = await fetch(`${server.url}/staff/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: user.email, password: user.password }),
      redirect: 'manual',
    });
    expect(bare.status).toBe(403);
    expect(bare.headers.getSetCookie().some((c) => c.startsWith('corridor_session='))).toBe(false);
    const client = staffClient(server);
    await client.get('/staff/sign-in');
    const forged = await client.post('/staff/sign-in', {
      email: user.email,
      password: user.password,
      _csrf: 'x'.repeat(43),
    });
    expect(forged.status).toBe(403);
  });

  it('checks a multipart form once the route has parsed it', async () => {
    // A staff area with an upload route, built the way the workspace builds one.
    const app = express();
    const router = express.Router();
    staffRoute(router, 'post', '/upload', 'officer', csvUpload(server.deps.config), (req, res) => {
      res.json({ size: req.file?.size ?? 0 });
    });
    app.use('/staff', staffSession(server.deps), router);
    app.use(errorHandler(server.deps));
    const httpServer = createTestHttpServer(app);
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    try {
      const officer = await signIn(server, 'officer');
      const upload = (token?: string) => {
        const form = new FormData();
        if (token !== undefined) form.set('_csrf', token);
        form.set('file', new Blob(['a,b\n1,2\n'], { type: 'text/csv' }), 'x.csv');
        return fetch(`${url}/staff/upload`, {
          method: 'POST',
          headers: { cookie: officer.jar.header(), accept: 'application/json' },
          body: form,
        });
      };
      expect((await upload()).status).toBe(403);
      expect((await upload('wrong')).status).toBe(403);
      const ok = await upload(officer.csrfToken);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ size: 8 });
    } finally {
      httpServer.closeAllConnections();
      await new Promise<void>((r) => httpServer.close(() => r()));
    }
  });
});

describe('headers', () => {
  it('keeps staff pages out of caches and sends the security headers everywhere', async () => {
    const viewer = await signIn(server, 'viewer');
    const page = await viewer.get('/staff/account');
    expect(page.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/staff/sign-in', '/', '/healthz', '/no-such-page']) {
      const res = await fetch(`${server.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      // Scripts: only our own files (staff), or none at all (the public page).
      const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1];
      expect(scripts).toMatch(path === '/' ? /^'none'$/ : /^'self'$/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    expect((await fetch(`${server.url}/staff/sign-in`)).headers.get('cache-control')).toBe('no-store');
  });
});
