// Sign-in: attempts limited per account and per address with counters in the
// database (shared by app instances); refusals never tell whether the account exists.
import { accountLimitKey } from '../../src/domain/auth/sign-in.ts';
import { like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rateLimits } from '../../db/schema.ts';
import { fixedClock } from '../../src/clock.ts';
import { t } from '../../src/i18n/index.ts';
import type { Database } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { createStaffUser, staffClient } from '../support/staff.ts';

let database: Database;
let server: TestServer;
let twin: TestServer;
const clock = fixedClock('2026-03-05T08:00:00Z');
const config = { SIGNIN_MAX_PER_ACCOUNT: '3', SIGNIN_MAX_PER_ADDRESS: '6', SIGNIN_WINDOW_MINUTES: '15' };

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { clock, config });
  twin = await startTestServer(database, { clock, config }); // a second app process
});

async function attempt(target: TestServer, email: string, password: string, ip: string) {
  const client = staffClient(target, { ip });
  await client.get('/staff/sign-in');
  const res = await client.post('/staff/sign-in', { email, password });
  return { status: res.status, html: await res.text(), res };
}

const errorOf = (html: string) => /<p class="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
const errorCodeOf = (html: string) => /<p class="alert"[^>]*data-error="([^"]*)"/.exec(html)?.[1];

describe('a refused sign-in', () => {
  it('looks the same for a wrong password, an unknown account and a disabled account', async () => {
    clock.set('2026-03-05T08:00:00Z');
    const user = await createStaffUser(database.db, 'officer');
    const disabled = await createStaffUser(database.db, 'officer', { disabled: true });
    const wrong = await attempt(server, user.email, 'not the password at all', '10.1.0.1');
    const unknown = await attempt(server, 'nobody-here@staff.test', 'not the password at all', '10.1.0.2');
    const off = await attempt(server, disabled.email, disabled.password, '10.1.0.3');
    for (const r of [wrong, unknown, off]) {
      expect(r.status).toBe(401);
      expect(errorCodeOf(r.html)).toBe('unauthenticated');
      // The same words for the three: the generic refusal, whatever its wording.
      expect(errorOf(r.html)).toBe(t('en', 'staff.signin.failed'));
      expect(r.res.headers.getSetCookie().some((c) => c.startsWith('corridor_session='))).toBe(false);
    }
    // The typed email is kept; the password is not echoed back.
    expect(wrong.html).toContain(`value="${user.email}"`);
    expect(wrong.html).not.toContain('not the password at all');
  });

  it('keeps where to go next when the language is switched', async () => {
    const client = staffClient(server, { ip: '10.1.0.8' });
    const html = await (await client.get('/staff/sign-in?next=%2Fstaff%2Fusers&lang=kk')).text();
    // (Handlebars escapes = and &.)
    expect(html).toContain('href="/staff/sign-in?next&#x3D;%2Fstaff%2Fusers&amp;lang&#x3D;ru"');
    expect(html).toContain('<html lang="kk">');
  });

  it('is shown in the page language', async () => {
    const client = staffClient(server, { ip: '10.1.0.9' });
    await client.get('/staff/sign-in?lang=ru');
    const res = await client.post('/staff/sign-in', { email: 'x@staff.test', password: 'whatever you like' });
    expect(errorOf(await res.text())).toBe('Неверная электронная почта или пароль.');
  });
});

describe('sign-in limits', () => {
  it('lock an account after too many attempts, from any address and any instance, until the window ends', async () => {
    clock.set('2026-03-05T09:00:00Z');
    const user = await createStaffUser(database.db, 'admin');
    for (let i = 0; i < 3; i++) {
      expect((await attempt(server, user.email, 'wrong password guess', `10.2.0.${i}`)).status).toBe(401);
    }
    // The right password no longer helps, on either instance, from a fresh address.
    const locked = await attempt(twin, user.email, user.password, '10.2.1.1');
    expect(locked.status).toBe(429);
    expect(Number(locked.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.html).toContain('data-error="rate_limited"');
    clock.advance(16 * 60_000);
    expect((await attempt(server, user.email, user.password, '10.2.1.2')).status).toBe(303);
  });

  it('lock an unknown account the same way (no hint that it does not exist)', async () => {
    clock.set('2026-03-05T10:00:00Z');
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await attempt(server, 'ghost@staff.test', 'some password guess', `10.3.0.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('limit one address trying many accounts', async () => {
    clock.set('2026-03-05T11:00:00Z');
    const statuses = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await attempt(server, `spray-${i}@staff.test`, 'password guess 1', '10.4.0.1')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    // Even a real account with its real password, from that address.
    const user = await createStaffUser(database.db, 'viewer');
    expect((await attempt(twin, user.email, user.password, '10.4.0.1')).status).toBe(429);
    // Another address is not affected.
    expect((await attempt(server, user.email, user.password, '10.4.0.2')).status).toBe(303);
  });

  it('keep their counters in the database, and a success resets the account counter', async () => {
    clock.set('2026-03-05T12:00:00Z');
    const user = await createStaffUser(database.db, 'viewer');
    await attempt(server, user.email, 'wrong password guess', '10.5.0.1');
    await attempt(server, user.email, 'wrong password guess', '10.5.0.2');
    // The key is a keyed hash: the table never holds the address or the email.
    const key = await accountLimitKey(server.deps, user.email);
    expect(key).not.toContain(user.email);
    const [row] = await database.db.select().from(rateLimits).where(like(rateLimits.key, key));
    expect(row!.hits).toBe(2);
    expect((await attempt(server, user.email, user.password, '10.5.0.3')).status).toBe(303);
    expect(await database.db.select().from(rateLimits).where(like(rateLimits.key, key))).toEqual([]);
    // After the reset, three more wrong attempts are allowed before the lock.
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await attempt(server, user.email, 'wrong password guess', `10.5.1.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('the per-address limit', () => {
  it('counts failures only: 31 correct sign-ins from one office address all succeed', async () => {
    const office = await startTestServer(database, { clock }); // SIGNIN_MAX_PER_ADDRESS = 30
    clock.set('2026-03-05T14:00:00Z');
    const user = await createStaffUser(database.db, 'officer');
    const statuses = new Set<number>();
    for (let i = 0; i < 31; i++)
      statuses.add((await attempt(office, user.email, user.password, '10.6.0.1')).status);
    expect([...statuses]).toEqual([303]);
    // No key holds the address or the email in clear.
    const keys = (await database.db.select().from(rateLimits)).map((r) => r.key);
    expect(keys.filter((k) => k.includes('10.6.0.1') || k.includes(user.email))).toEqual([]);
  });
});

describe('the sign-in form, through the one form pipeline', () => {
  const counted = async () => (await database.db.select().from(rateLimits)).length;
  /** The form as a browser would send it, with `email` (and anything else) as given. */
  const post = async (ip: string, body: string, accept = 'text/html') => {
    const client = staffClient(server, { ip });
    await client.get('/staff/sign-in');
    const csrf = `_csrf=${encodeURIComponent(client.csrfToken)}&`;
    return client.request('/staff/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
      body: csrf + body,
    });
  };

  it('refuses an email sent twice as any form does (422), counting no attempt and looking nothing up', async () => {
    clock.set('2026-03-06T08:00:00Z');
    const user = await createStaffUser(database.db, 'officer');
    const before = await counted();
    const body = `email=${encodeURIComponent(user.email)}&email=x%40example.org&password=${encodeURIComponent(user.password)}`;
    const res = await post('10.7.0.1', body);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorCodeOf(html)).toBe('validation_failed');
    expect(errorOf(html)).toBe(t('en', 'field.repeated'));
    expect(res.headers.getSetCookie().some((c) => c.startsWith('corridor_session='))).toBe(false);
    expect(await counted()).toBe(before);
  });

  it('answers a JSON client as every form does: 422 and 401 with their codes, 200 with where to go', async () => {
    clock.set('2026-03-06T09:00:00Z');
    const user = await createStaffUser(database.db, 'officer');
    const json = 'application/json';
    const nul = await post('10.7.1.1', `email=a%00%40x.org&password=x`, json);
    expect(nul.status).toBe(422);
    const refused = (await nul.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(refused.error).toMatchObject({
      code: 'validation_failed',
      fields: { email: 'field.control_character' },
    });
    const wrong = await post('10.7.1.2', `email=${encodeURIComponent(user.email)}&password=wrong`, json);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    const ok = await post(
      '10.7.1.3',
      `email=${encodeURIComponent(user.email)}&password=${encodeURIComponent(user.password)}&next=%2Fstaff%2Fusers`,
      json,
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ location: '/staff/users' });
    expect(ok.headers.getSetCookie().some((c) => c.startsWith('corridor_session='))).toBe(true);
  });

  it('takes an over-long email as none: 401 and counted, as before', async () => {
    clock.set('2026-03-06T10:00:00Z');
    const before = await counted();
    const res = await post('10.7.2.1', `email=${'a'.repeat(400)}%40x.org&password=x`);
    expect(res.status).toBe(401);
    expect(errorCodeOf(await res.text())).toBe('unauthenticated');
    expect(await counted()).toBeGreaterThan(before);
  });
});
