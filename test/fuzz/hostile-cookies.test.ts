// Issue 11, point 1: a hostile Cookie header (or lang value) never ends the process
// and never answers 5xx — on the fast path (before express) and through express.
import { beforeAll, describe, expect, it } from 'vitest';
import { readCookies } from '../../src/routes/cookies.ts';
import { chooseLanguage } from '../../src/routes/middleware.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';

const HOSTILE = [
  'lang=%',
  'lang=%E0%A4%A',
  'lang=%zz; corridor_session=%',
  'corridor_session=%E0%A4%A; corridor_presession=%',
  '__proto__=x; constructor=y; lang=ru',
  'lang=xx',
  'lang=en; lang=%',
  '=; ;;; =%; lang',
  `lang=${'%'.repeat(20_000)}`,
];

describe('the cookie reader', () => {
  it('never throws and ignores what it cannot decode', () => {
    for (const header of HOSTILE) expect(() => readCookies(header)).not.toThrow();
    expect(readCookies('lang=%').lang).toBe('%');
    expect(readCookies('lang=r%75').lang).toBe('ru');
    expect(readCookies(['a=1', 'b=2'])).toEqual({ a: '1', b: '2' });
    expect(Object.getPrototypeOf(readCookies('__proto__=x'))).toBe(null);
  });

  it('an unknown lang (cookie, query or header) is ignored', () => {
    expect(chooseLanguage(undefined, 'lang=%', undefined)).toEqual({ lang: 'en', remember: false });
    expect(chooseLanguage(['ru', 'kk'], 'lang=xx', 'zz')).toEqual({ lang: 'en', remember: false });
    expect(chooseLanguage({ a: 1 }, 'lang=%E0%A4%A', 'ru')).toEqual({ lang: 'ru', remember: false });
  });
});

describe('hostile cookies over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(await createTestDatabase());
    // Warm the cache so the first requests below take the fast path.
    for (const lang of ['en', 'ru', 'kk']) await fetch(`${server.url}/?lang=${lang}`);
    await fetch(`${server.url}/feed.atom`);
  });

  it.each([
    '/',
    '/feed.atom',
    '/api/v1/status',
    '/status.csv',
    '/subscribe',
    '/kk/subscribe',
    '/staff/sign-in',
    '/nowhere',
  ])('GET %s answers below 500 with every hostile cookie, and the server still answers', async (path) => {
    for (const cookie of HOSTILE) {
      const res = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
      expect(res.status, `${path} with Cookie: ${cookie.slice(0, 40)}`).toBeLessThan(500);
      await res.arrayBuffer();
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
