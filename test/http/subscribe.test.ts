// The public sign-up over HTTP, with the confirmation mail caught by a real SMTP
// server: double opt-in, the same answer whatever the address's state, limits,
// expiry, and one-click unsubscribe.
import { unsubscribeTokenOf } from '../../src/domain/unsubscribe-links.ts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriberRoutes, subscribers } from '../../db/schema.ts';
import { fixedClock } from '../../src/clock.ts';
import { hashToken } from '../../src/domain/subscriptions.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import type { Database } from '../../src/store/database.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { type TestSmtp, smtpMailer, startSmtp } from '../support/digest.ts';

let database: Database;
let server: TestServer;
let smtp: TestSmtp;
const clock = fixedClock('2026-03-03T08:00:00Z');
let ipSeq = 0; // each sign-up from its own /64 unless a test says otherwise

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  smtp = await startSmtp();
  server = await startTestServer(database, {
    clock,
    config: { SIGNUP_MAX_PER_ADDRESS: '3', SIGNUP_MAX_PER_IP: '5' },
    deps: { mailer: smtpMailer(smtp) },
  });
});
afterAll(() => smtp.close());

function signUp(fields: Record<string, string | string[]>, ip = `2001:db8:${(++ipSeq).toString(16)}::1`) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return fetch(`${server.url}/en/subscribe`, {
    method: 'POST',
    body,
    headers: { 'x-forwarded-for': ip, 'accept-language': 'en' },
    redirect: 'manual',
  });
}

async function lastLinkTo(address: string): Promise<string> {
  const mails = (await smtp.parsed()).filter((m) => (m.to as { text: string }).text === address);
  const text = mails.at(-1)!.text!;
  return /http:\/\/corridor\.test(\/(?:kk|ru|en)\/subscribe\/confirm\/[\w-]+)/.exec(text)![1]!;
}

const row = async (email: string) =>
  (await database.db.select().from(subscribers).where(eq(subscribers.email, email)))[0];

describe('sign-up with double opt-in', () => {
  it('offers the sign-up form on the status page itself, in the page language', async () => {
    const html = await (await fetch(`${server.url}/?lang=kk`)).text();
    expect(html).toMatch(/<form method="post" action="\/kk\/subscribe"/);
    expect(html).toContain('name="email"');
    expect(html).not.toContain('@example.org');
  });

  it('heads the sign-up and its messages as the status page: publisher, languages named in themselves, back to the page', async () => {
    const publisher = (html: string) =>
      /<p class="brand"><a href="\/(\w+)\/">(?:<span lang="(\w+)">)?([^<]+)/.exec(html);
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const status = await (await fetch(`${server.url}/${lang}/`)).text();
      expect(publisher(status)).not.toBeNull();
      for (const html of [
        await (await fetch(`${server.url}/${lang}/subscribe`)).text(),
        await (await fetch(`${server.url}/${lang}/subscribe/confirm/no-such-token`)).text(),
      ]) {
        expect(publisher(html)?.slice(1)).toEqual(publisher(status)?.slice(1)); // the same authority, same language
        for (const code of ['kk', 'ru', 'en'])
          expect(html).toMatch(
            new RegExp(`<a href="/${code}/subscribe" hreflang="${code}" lang="${code}"[^>]*>[^<]{4,}</a>`),
          );
        expect(html).toContain(`<a href="/${lang}/">`); // back to the status page in the reader's language
      }
    }
  });

  it('shows the form, sends a confirmation in the chosen language, and activates only on confirm', async () => {
    const form = await fetch(`${server.url}/ru/subscribe`);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('name="email"');
    expect(html).toContain('Ежедневная сводка по электронной почте');

    const res = await signUp({ email: ' Family@Example.org ', lang: 'ru', scope: 'all' });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('data-state="sent"');
    expect(page.toLowerCase()).not.toContain('family@example.org');
    const mail = (await smtp.parsed()).at(-1)!;
    expect((mail.to as { text: string }).text).toBe('family@example.org');
    expect(mail.subject).toBe('Подтвердите подписку: Ближний Восток 2026');
    expect(mail.html).toContain('/ru/subscribe/confirm/'); // the link opens in the mail's language
    const link = await lastLinkTo('family@example.org');
    const token = link.split('/').pop()!;
    const pending = (await row('family@example.org'))!;
    expect(pending.status).toBe('pending');
    expect(pending.confirmTokenHash).toBe(hashToken(token)); // only the hash is stored
    expect(JSON.stringify(pending)).not.toContain(token);

    const landing = await fetch(`${server.url}${link}`);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain(`action="${link}"`); // a button, so link scanners confirm nothing
    expect((await row('family@example.org'))!.status).toBe('pending');
    const confirmed = await fetch(`${server.url}${link}`, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    const active = (await row('family@example.org'))!;
    expect(active).toMatchObject({
      status: 'active',
      language: 'ru',
      allRoutes: true,
      confirmTokenHash: null,
    });
    expect((await fetch(`${server.url}${link}`, { method: 'POST' })).status).toBe(410); // used once
  });

  it('answers the same for a new, a pending and an already subscribed address', async () => {
    const bodyOf = async (email: string) =>
      (await (await signUp({ email, lang: 'en' })).text()).replace(/pending|family|new/gi, '');
    const fresh = await bodyOf('new@example.org');
    const pending = await bodyOf('new@example.org');
    const subscribed = await bodyOf('family@example.org');
    expect(pending).toBe(fresh);
    expect(subscribed).toBe(fresh);
    // The active subscription is unchanged until the new link is used.
    expect((await row('family@example.org'))!).toMatchObject({ status: 'active', language: 'ru' });
  });

  it('lets a sign-up choose routes, and rejects bad input with 422 writing nothing', async () => {
    const step = await signUp({ email: 'routes@example.org', lang: 'kk', scope: 'chosen' });
    expect(step.status).toBe(200);
    const html = await step.text();
    const ids = [...html.matchAll(/name="routes" value="(\d+)"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(6);
    expect(await row('routes@example.org')).toBeUndefined();
    await signUp({ email: 'routes@example.org', lang: 'kk', scope: 'chosen', routes: [ids[0]!, ids[1]!] });
    await fetch(`${server.url}${await lastLinkTo('routes@example.org')}`, { method: 'POST' });
    const r = (await row('routes@example.org'))!;
    expect(r).toMatchObject({ status: 'active', allRoutes: false, language: 'kk' });
    const chosen = await database.db
      .select()
      .from(subscriberRoutes)
      .where(eq(subscriberRoutes.subscriberId, r.id));
    expect(chosen.map((c) => String(c.routeId)).sort()).toEqual([ids[0], ids[1]].sort());

    const bad = await signUp({ email: 'not-an-address', lang: 'en' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('aria-describedby="subscribe-email-error"'); // the email field marked
    expect(await row('not-an-address')).toBeUndefined();
  });

  it('expires confirmation links after 48 hours', async () => {
    await signUp({ email: 'late@example.org', lang: 'en' });
    const link = await lastLinkTo('late@example.org');
    clock.advance(49 * 3_600_000);
    try {
      expect((await fetch(`${server.url}${link}`)).status).toBe(410);
      expect((await fetch(`${server.url}${link}`, { method: 'POST' })).status).toBe(410);
      expect((await row('late@example.org'))!.status).toBe('pending');
    } finally {
      clock.advance(-49 * 3_600_000);
    }
  });

  it('limits sign-ups per address (silently) and per network (429)', async () => {
    const before = smtp.received.length;
    for (let i = 0; i < 5; i++)
      expect((await signUp({ email: 'flood@example.org', lang: 'en' })).status).toBe(200);
    expect(smtp.received.length - before).toBe(3); // SIGNUP_MAX_PER_ADDRESS
    const ip = '203.0.113.7';
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await signUp({ email: `net${i}@example.org`, lang: 'en' }, ip)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('unsubscribe', () => {
  it('works from the page and by one-click POST, and is idempotent', async () => {
    const { id } = (await row('family@example.org'))!;
    const unsubscribeToken = await unsubscribeTokenOf(
      { db: server.deps.database.db, config: server.deps.config },
      id,
    );
    const url = `${server.url}/ru/subscribe/unsubscribe/${unsubscribeToken}`;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('method="post"');
    const oneClick = await fetch(url, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick.status).toBe(200);
    expect((await row('family@example.org'))!.status).toBe('unsubscribed');
    expect((await fetch(url, { method: 'POST' })).status).toBe(200);
    expect(
      (await fetch(`${server.url}/ru/subscribe/unsubscribe/${'x'.repeat(43)}`, { method: 'POST' })).status,
    ).toBe(404);
  });
});
