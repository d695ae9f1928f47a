// The sign-up journey stays in the reader's language: the form posts under its page's
// language (/kk/subscribe), the answer and the 422 page are in it whatever the browser's
// Accept-Language, the confirmation mail's link carries the subscription's language and
// opens in it, and so does the unsubscribe link. The old language-less URLs still work:
// the form redirects as / does, a mailed link's GET redirects to the subscription's
// language, its POST (the button, a mail client's one-click) is answered in place in it.
// Asserts statuses, paths, data-state and lang attributes, not wording.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribers } from '../../db/schema.ts';
import { fixedClock } from '../../src/clock.ts';
import { unsubscribeUrl } from '../../src/domain/digest/outgoing.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { unsubscribeTokenOf } from '../../src/domain/unsubscribe-links.ts';
import { LANGUAGES, type Lang } from '../../src/i18n/index.ts';
import type { Database } from '../../src/store/database.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { type TestSmtp, smtpMailer, startSmtp } from '../support/digest.ts';

let database: Database;
let server: TestServer;
let smtp: TestSmtp;
let ipSeq = 0;
/** A browser set to English: the page's language must win over it. */
const ENGLISH_BROWSER = { 'accept-language': 'en-US,en;q=0.9' };

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  smtp = await startSmtp();
  server = await startTestServer(database, {
    clock: fixedClock('2026-03-03T08:00:00Z'),
    deps: { mailer: smtpMailer(smtp) },
  });
});
afterAll(() => smtp.close());

const get = (path: string, headers: Record<string, string> = ENGLISH_BROWSER) =>
  fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

function post(path: string, fields: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { ...ENGLISH_BROWSER, 'x-forwarded-for': `2001:db8:77:${(++ipSeq).toString(16)}::1` },
    redirect: 'manual',
  });
}

const htmlLang = (html: string) => /<html lang="([\w-]+)"/.exec(html)?.[1];
const state = (html: string) => /data-state="(\w+)"/.exec(html)?.[1];

/** The path of the confirmation link last mailed to `address`. */
async function confirmLinkTo(address: string): Promise<string> {
  const mails = (await smtp.parsed()).filter((m) => (m.to as { text: string }).text === address);
  return /http:\/\/corridor\.test(\/[\w/-]+\/confirm\/[\w-]+)/.exec(mails.at(-1)!.text!)![1]!;
}

/** Everything a page answers without cookies (public responses never set one). */
function noCookie(res: Response) {
  expect(res.headers.get('set-cookie')).toBeNull();
}

describe('the sign-up keeps the language of the page it came from', () => {
  it.each(LANGUAGES)(
    'signs up from /%s/ in an English browser: the answer and the 422 page are in it',
    async (lang) => {
      const status = await (await get(`/${lang}/`)).text();
      const action = /<form method="post" action="([^"]+)" class="signup"/.exec(status)?.[1];
      expect(action).toBe(`/${lang}/subscribe`);

      const sent = await post(action!, { email: `from-${lang}@example.org`, lang, scope: 'all' });
      expect(sent.status).toBe(200);
      noCookie(sent);
      const page = await sent.text();
      expect([htmlLang(page), state(page)]).toEqual([lang, 'sent']);

      const bad = await post(action!, { email: 'not-an-address', lang });
      expect(bad.status).toBe(422);
      const form = await bad.text();
      expect(htmlLang(form)).toBe(lang);
      expect(form).toContain(`action="/${lang}/subscribe"`); // tried again, still in it
      expect(form).toContain('aria-invalid="true"');
    },
  );

  it('shows the form at /{lang}/subscribe, with language links to the others', async () => {
    for (const lang of LANGUAGES) {
      const res = await get(`/${lang}/subscribe`);
      expect(res.status).toBe(200);
      noCookie(res);
      const html = await res.text();
      expect(htmlLang(html)).toBe(lang);
      for (const other of LANGUAGES)
        expect(html).toContain(`<a href="/${other}/subscribe" hreflang="${other}"`);
    }
  });
});

describe("the confirmation mail's link carries the subscription's language", () => {
  it.each(LANGUAGES)(
    'a %s sign-up: the link is under its language and opens, and confirms, in it',
    async (lang) => {
      const email = `confirm-${lang}@example.org`;
      expect((await post(`/${lang}/subscribe`, { email, lang })).status).toBe(200);
      const link = await confirmLinkTo(email);
      expect(link).toMatch(new RegExp(`^/${lang}/subscribe/confirm/[\\w-]{40,}$`));
      // From the publishing authority in the mail's language, as the digest (was "Corridor").
      const mail = (await smtp.parsed()).filter((m) => (m.to as { text: string }).text === email).at(-1)!;
      const authority = (await listPublicOperations(database.db))[0]!.authority!;
      expect((mail.from as { value: { name: string }[] }).value[0]!.name).toBe(authority[lang]);

      const landing = await get(link);
      expect(landing.status).toBe(200);
      noCookie(landing);
      const html = await landing.text();
      expect([htmlLang(html), state(html)]).toEqual([lang, 'confirm']);
      expect(html).toContain(`action="${link}"`);
      // Its language links open the same page (the same token) in the other languages.
      const token = link.split('/').pop()!;
      for (const other of LANGUAGES) expect(html).toContain(`href="/${other}/subscribe/confirm/${token}"`);

      const confirmed = await post(link);
      expect(confirmed.status).toBe(200);
      const done = await confirmed.text();
      expect([htmlLang(done), state(done)]).toEqual([lang, 'confirmed']);
      const [row] = await database.db.select().from(subscribers).where(eq(subscribers.email, email));
      expect(row).toMatchObject({ status: 'active', language: lang });
    },
  );

  it('follows the mail language the form chose, while the answer stays in the page language', async () => {
    const email = 'page-kk-mail-ru@example.org';
    const sent = await post('/kk/subscribe', { email, lang: 'ru' });
    expect(htmlLang(await sent.text())).toBe('kk');
    expect(await confirmLinkTo(email)).toMatch(/^\/ru\/subscribe\/confirm\//);
  });
});

describe('the unsubscribe link carries the subscriber language', () => {
  it('opens, and unsubscribes (page button or one-click), in it', async () => {
    const email = 'leave-kk@example.org';
    await post('/kk/subscribe', { email, lang: 'kk' });
    await post(await confirmLinkTo(email));
    const [row] = await database.db.select().from(subscribers).where(eq(subscribers.email, email));
    const token = await unsubscribeTokenOf({ db: database.db, config: server.deps.config }, row!.id);
    const url = unsubscribeUrl('http://corridor.test', token, 'kk'); // what a digest carries
    const path = new URL(url).pathname;
    expect(path).toBe(`/kk/subscribe/unsubscribe/${token}`);

    const page = await get(path);
    const html = await page.text();
    expect([page.status, htmlLang(html), state(html)]).toEqual([200, 'kk', 'unsubscribe']);
    expect(html).toContain(`action="${path}"`);
    const oneClick = await post(path, { 'List-Unsubscribe': 'One-Click' });
    noCookie(oneClick);
    const done = await oneClick.text();
    expect([oneClick.status, htmlLang(done), state(done)]).toEqual([200, 'kk', 'unsubscribed']);
  });
});

describe('the old language-less URLs still work', () => {
  it('redirects the form as / is redirected: ?lang=, else Accept-Language; ?operation= kept', async () => {
    const negotiated = await get('/subscribe', { 'accept-language': 'ru-RU,ru;q=0.9' });
    expect([negotiated.status, negotiated.headers.get('location')]).toEqual([302, '/ru/subscribe']);
    expect(negotiated.headers.get('vary')).toContain('Accept-Language');
    const asked = await get('/subscribe?lang=kk&operation=middle-east-2026');
    expect([asked.status, asked.headers.get('location')]).toEqual([
      301,
      '/kk/subscribe?operation=middle-east-2026',
    ]);
    noCookie(asked);
  });

  it('answers an old form in the language it chose, not the browser’s', async () => {
    const sent = await post('/subscribe', { email: 'old-form@example.org', lang: 'kk' });
    const html = await sent.text();
    expect([sent.status, htmlLang(html), state(html)]).toEqual([200, 'kk', 'sent']);
    const bad = await post('/subscribe', { email: 'nope', lang: 'ru' });
    expect([bad.status, htmlLang(await bad.text())]).toEqual([422, 'ru']);
  });

  it("opens a confirmation link mailed without a language in the subscription's", async () => {
    const email = 'old-link@example.org';
    await post('/ru/subscribe', { email, lang: 'kk' });
    const link = await confirmLinkTo(email);
    const old = link.replace(/^\/kk\//, '/');
    expect(old).toMatch(/^\/subscribe\/confirm\//);

    const moved = await get(old);
    expect([moved.status, moved.headers.get('location')]).toEqual([302, link]);
    expect(moved.headers.get('cache-control')).toBe('no-store');
    noCookie(moved);
    const confirmed = await post(old); // a page loaded before: its button posts here
    const html = await confirmed.text();
    expect([confirmed.status, htmlLang(html), state(html)]).toEqual([200, 'kk', 'confirmed']);
    expect((await get(old)).status).toBe(410); // used once; answered, not redirected
  });

  it("unsubscribes from an old link, one-click included, in the subscriber's language", async () => {
    const email = 'old-unsubscribe@example.org';
    await post('/en/subscribe', { email, lang: 'ru' });
    await post(await confirmLinkTo(email));
    const [row] = await database.db.select().from(subscribers).where(eq(subscribers.email, email));
    const token = await unsubscribeTokenOf({ db: database.db, config: server.deps.config }, row!.id);
    const old = `/subscribe/unsubscribe/${token}`;

    const moved = await get(old);
    expect([moved.status, moved.headers.get('location')]).toEqual([302, `/ru${old}`]);
    const oneClick = await post(old, { 'List-Unsubscribe': 'One-Click' }); // no redirect to follow
    const html = await oneClick.text();
    expect([oneClick.status, htmlLang(html), state(html)]).toEqual([200, 'ru', 'unsubscribed']);
    expect((await post(old)).status).toBe(200); // idempotent
    expect((await get(`/subscribe/unsubscribe/${'x'.repeat(43)}`)).status).toBe(404);
  });

  it('keeps the token pages of every language out of robots', async () => {
    const robots = await (await get('/robots.txt')).text();
    for (const lang of ['', ...LANGUAGES.map((l: Lang) => `/${l}`)])
      expect(robots).toContain(`Disallow: ${lang}/subscribe/\n`);
  });
});
