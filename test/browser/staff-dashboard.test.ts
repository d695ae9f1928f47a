// The staff dashboard in Debian's Chromium at phone width (360 px), without
// JavaScript: it fits the width with many movements and long names, the GET form
// filters, and the page links page; screenshots into test-results/staff-dashboard/.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, phonePage } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';
import { createStaffUser } from '../support/staff.ts';

const OUT = path.resolve('test-results/staff-dashboard');
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  const database = await createTestDatabase();
  const db = database.db;
  const op = await makeOperation(db);
  const long = 'Doha → Riyadh → Jeddah → Almaty (charter flights and overland convoys)';
  const { route } = await makeRoute(db, op.id, { names: { en: long, ru: long, kk: long } });
  for (let i = 0; i < 70; i++) {
    const label = `Charter flight KC-${1000 + i} via Jeddah`;
    await makeMovement(
      db,
      route.id,
      { label, labels: { en: label }, status: i % 3 ? 'departed' : 'planned', scheduledDate: '2026-03-02' },
      counts({ registered: { total: 180 }, departed: { total: i % 3 ? 176 : null } }),
    );
  }
  server = await startTestServer(database);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const phone = () => phonePage(browser);

async function fitsWidth(page: Page) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(client).toBe(360);
  expect(scroll).toBeLessThanOrEqual(client);
}

describe('staff dashboard at 360 px without JavaScript', () => {
  it('fits, filters with the form and pages with the links', async () => {
    const page = await phone();
    const user = await createStaffUser(server.deps.database.db, 'viewer');
    await page.goto(`${server.url}/staff/sign-in`);
    await page.fill('input[name=email]', user.email);
    await page.fill('input[name=password]', user.password);
    await Promise.all([page.waitForURL(`${server.url}/staff`), page.click('button[type=submit]')]);
    await fitsWidth(page);
    expect(await page.locator('.movement-line').count()).toBe(50);
    await page.screenshot({ path: path.join(OUT, 'dashboard.png'), fullPage: true });

    await page.selectOption('select[name=status]', 'departed');
    await Promise.all([page.waitForURL(/status=departed/), page.click('#movements button[type=submit]')]);
    await fitsWidth(page);
    expect(await page.locator('.movement-line').count()).toBe(46); // 70 less the 24 planned;

    await page.goto(`${server.url}/staff/`);
    await Promise.all([page.waitForURL(/page=2/), page.click('a[rel=next]')]);
    expect(await page.locator('.movement-line').count()).toBe(20);
    await fitsWidth(page);
    await page.screenshot({ path: path.join(OUT, 'dashboard-page-2.png'), fullPage: true });
  });

  // The nine area links wrapped to four or five rows on a phone, above every page's content.
  it('keeps the area links to one row that scrolls sideways, every link still there', async () => {
    const page = await phone();
    const user = await createStaffUser(server.deps.database.db, 'admin');
    await page.goto(`${server.url}/staff/sign-in?lang=kk`);
    await page.fill('input[name=email]', user.email);
    await page.fill('input[name=password]', user.password);
    await Promise.all([page.waitForURL(`${server.url}/staff`), page.click('button[type=submit]')]);
    const nav = await page.locator('.staff-nav ul').evaluate((ul) => ({
      rows: new Set([...ul.querySelectorAll('a')].map((a) => Math.round(a.getBoundingClientRect().top))).size,
      links: ul.querySelectorAll('a').length,
      scrolls: ul.scrollWidth > ul.clientWidth,
    }));
    expect(nav).toEqual({ rows: 1, links: 9, scrolls: true });
    await fitsWidth(page);
    await page.locator('.staff-nav a[href="/staff/users"]').click(); // reachable off-screen
    await page.waitForURL(`${server.url}/staff/users`);
    await page.close();
  });
});
