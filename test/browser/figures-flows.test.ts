// Issue 13's flows in Debian's Chromium at phone width (360 px), without JavaScript:
// two officers edit one movement's details from forms loaded together (different
// fields merge; the same field comes back field by field with the other person's
// value and name, and saving again keeps theirs); after a count conflict "Now" sits
// only beside the figure both changed, the remainder is that of the figures shown, and the
// note breaks between words only (en, kk); the count editor offers the
// status the figures imply and has no source chosen for the officer; "our own
// desk's record" is what the public page then cites. Screenshots go to
// test-results/figures-flows/ (git-ignored).
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, phonePage } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeRoute, reloadMovement } from '../support/factories.ts';
import { createStaffUser } from '../support/staff.ts';

const OUT = path.resolve('test-results/figures-flows');
let server: TestServer;
let browser: Browser;
let routeId: number;
const db = () => server.deps.database.db;

beforeAll(async () => {
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  const [op] = await listPublicOperations(database.db);
  const { route } = await makeRoute(
    database.db,
    op!.id,
    { names: { en: 'Tehran → Baku', ru: 'Тегеран → Баку', kk: 'Тегеран → Баку' }, position: 20 },
    2,
  );
  routeId = route.id;
  server = await startTestServer(database);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const phone = () => phonePage(browser);

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });

async function signedIn(name: string) {
  const page = await phone();
  const user = await createStaffUser(db(), 'officer', { name });
  await page.goto(`${server.url}/staff/sign-in`);
  await page.fill('input[name=email]', user.email);
  await page.fill('input[name=password]', user.password);
  await Promise.all([page.waitForURL(`${server.url}/staff`), page.click('button[type=submit]')]);
  return page;
}

async function fitsPhone(page: Page) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(client).toBe(360);
  expect(scroll).toBeLessThanOrEqual(client);
}

/** No word of the element's text is split across lines (no break inside a word). */
async function unbrokenWords(note: Locator) {
  const split = await note.evaluate((el) => {
    const out: string[] = [];
    const text = el.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) return ['(no text)'];
    const s = text.textContent ?? '';
    for (const m of s.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(text, m.index);
      range.setEnd(text, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) out.push(m[0]);
    }
    return out;
  });
  expect(split).toEqual([]);
}

describe('issue 13 flows in Chromium at 360 px', () => {
  it('conflict: a stale details form merges what only one changed and shows the field both changed', async () => {
    const movement = await makeMovement(db(), routeId, {
      label: 'Bus convoy 8',
      labels: { en: 'Bus convoy 8' },
      kind: 'convoy',
      meetingPoint: 'Gate 1',
      capacity: 40,
    });
    const url = `${server.url}/staff/movements/${movement.id}`;
    const submit = `form[action="/staff/movements/${movement.id}"] button[type=submit]`;
    const [a, b] = [await signedIn('Aigerim Officer'), await signedIn('Bolat Officer')];
    await a.goto(url);
    await b.goto(url);
    await a.fill('[name=meetingPoint]', 'Gate 7');
    await a.fill('[name=staffNote]', 'bus 12');
    await Promise.all([a.waitForURL(/saved=details/), a.click(submit)]);
    await b.fill('[name=meetingPoint]', 'Gate 9');
    await b.fill('[name=capacity]', '60');
    const [refused] = await Promise.all([
      b.waitForResponse((r) => r.request().method() === 'POST'),
      b.click(submit),
    ]);
    expect(refused.status()).toBe(409);
    await b.waitForLoadState();
    const main = (await b.textContent('main'))!;
    expect(main).toContain('Aigerim Officer'); // who changed it
    expect(main).toContain('Now: Gate 7'); // their value, beside the one field both changed
    expect(await b.inputValue('[name=meetingPoint]')).toBe('Gate 9'); // B's typed value kept
    expect(await b.inputValue('[name=capacity]')).toBe('60');
    expect(await b.inputValue('[name=staffNote]')).toBe('bus 12'); // A's field, taken in
    expect(await b.locator('.current').count()).toBe(1); // only the field both changed
    await fitsPhone(b);
    await shot(b, 'conflict');
    await Promise.all([b.waitForURL(/saved=details/), b.click(submit)]);
    expect(await reloadMovement(db(), movement.id)).toMatchObject({
      meetingPoint: 'Gate 9',
      capacity: 60,
      staffNote: 'bus 12',
    });
  });

  // Kazakh has the longest words of the three languages (the month: желтоқсан).
  it.each(['en', 'kk'])(
    'count conflict (%s): "Now" only where both changed, the remainder of the form, the note unbroken',
    async (lang) => {
      const movement = await makeMovement(
        db(),
        routeId,
        { label: `Bus convoy 10 ${lang}`, labels: { en: `Bus convoy 10 ${lang}` }, kind: 'convoy' },
        counts({ registered: { total: 450 } }),
      );
      const url = `${server.url}/staff/movements/${movement.id}/counts`;
      const [a, b] = [await signedIn('Aigerim Officer'), await signedIn('Bolat Officer')];
      await a.goto(url);
      await b.goto(`${url}?lang=${lang}`);
      await a.fill('[name="registered.total"]', '470');
      await a.fill('[name=reason]', 'A: late registrations');
      await a.selectOption('[name=source]', 'desk');
      await Promise.all([a.waitForURL(/saved=counts/), a.click('main button[type=submit]')]);
      await b.fill('[name="registered.total"]', '480');
      await b.fill('[name="registered.over60"]', '30');
      await b.fill('[name=reason]', 'B: manifest');
      await b.selectOption('[name=source]', 'desk');
      const [refused] = await Promise.all([
        b.waitForResponse((r) => r.request().method() === 'POST'),
        b.click('main button[type=submit]'),
      ]);
      expect(refused.status()).toBe(409);
      await b.waitForLoadState();
      await shot(b, `counts-conflict-${lang}`);
      // The one field both changed carries the note; over 60, only B's, does not.
      expect(await b.locator('.grid-counts .current').count()).toBe(1);
      expect(await b.locator('#f-registered\\.total + .current').count()).toBe(1);
      expect(await b.textContent('#f-registered\\.total + .current')).toContain('470');
      expect(await b.inputValue('[name="registered.total"]')).toBe('480');
      expect(await b.inputValue('[name="registered.over60"]')).toBe('30');
      // The remainder is that of the figures shown: 480 − 30.
      expect((await b.textContent('.grid-counts tr.rest td >> nth=0'))?.trim()).toBe('450');
      await unbrokenWords(b.locator('#f-registered\\.total + .current'));
      await fitsPhone(b);
      await Promise.all([b.waitForURL(/saved=counts/), b.click('main button[type=submit]')]);
      expect((await findCounts(db(), movement.id)).registered).toMatchObject({ total: 480, over60: 30 });
    },
  );

  it('status offer and attribution: no source chosen for you; the desk record is what the page cites', async () => {
    const movement = await makeMovement(
      db(),
      routeId,
      { label: 'Bus convoy 9', labels: { en: 'Bus convoy 9' }, kind: 'convoy', status: 'planned' },
      counts({ registered: { total: 100 } }),
    );
    const page = await signedIn('Dana Officer');
    await page.goto(`${server.url}/staff/movements/${movement.id}/counts`);
    expect(await page.inputValue('select[name=source]')).toBe(''); // nothing pre-selected
    await page.fill('[name="departed.total"]', '95');
    await page.fill('[name=reason]', 'Call from the border post');
    // Saving without a source is refused next to the field.
    await page.click('main button[type=submit]');
    expect(await page.locator('.field-error').count()).toBeGreaterThan(0);
    expect((await reloadMovement(db(), movement.id)).status).toBe('planned');
    const offers = await page
      .locator('select[name=mark] option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offers).toContain('departed'); // a departed figure on a planned movement: the offer
    await page.selectOption('[name=mark]', 'departed');
    await page.selectOption('[name=source]', 'desk');
    await fitsPhone(page);
    await shot(page, 'status-offer');
    await Promise.all([page.waitForURL(/saved=counts/), page.click('main button[type=submit]')]);
    const saved = await reloadMovement(db(), movement.id);
    expect(saved.status).toBe('departed'); // the officer chose it; nothing changed silently
    const history = await phone();
    await history.goto(`${server.url}/en/`);
    const body = (await history.textContent('body'))!;
    expect(body).toContain('Bus convoy 9');
    const row = (await history.locator('tr', { hasText: 'Bus convoy 9' }).first().textContent())!;
    expect(row).toMatch(/Source: /);
    expect(row).not.toContain('Bakayev'); // never another report's name by default
    await fitsPhone(history);
    await shot(history, 'public-attribution');
  });
});
