// The staff workspace in Debian's Chromium at phone width (360 px), without
// JavaScript: sign in, update a count, see it on the public page; every
// workspace page screenshotted into test-results/staff-workspace/ (git-ignored).
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, phonePage } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeRoute, makeSource } from '../support/factories.ts';
import { createStaffUser } from '../support/staff.ts';

const OUT = path.resolve('test-results/staff-workspace');
let server: TestServer;
let browser: Browser;
let ids: { movement: number; route: number; operation: number };

beforeAll(async () => {
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  const [op] = await listPublicOperations(database.db);
  const { route } = await makeRoute(
    database.db,
    op!.id,
    {
      names: { en: 'Tehran → Astara → Baku', ru: 'Тегеран → Астара → Баку', kk: 'Тегеран → Астара → Баку' },
      position: 20,
    },
    2,
  );
  const movement = await makeMovement(
    database.db,
    route.id,
    {
      label: 'Bus convoy 7',
      kind: 'convoy',
      status: 'departed',
      departedAt: new Date('2026-03-05T04:00:00Z'),
      capacity: 250,
      scheduledDate: '2026-03-05',
      staffNote: 'Driver phone in the duty log',
    },
    counts({ registered: { total: 240, womenChildren: 60, over60: 30 }, departed: { total: 231 } }),
  );
  await makeSource(database.db, { outlet: 'Embassy in Tehran', title: 'Convoy manifest' });
  ids = { movement: movement.id, route: route.id, operation: op!.id };
  server = await startTestServer(database);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const phone = () => phonePage(browser);

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });

async function signInAs(page: Page, role: 'officer' | 'admin' | 'viewer') {
  const user = await createStaffUser(server.deps.database.db, role, { name: `Dana ${role}` });
  await page.goto(`${server.url}/staff/sign-in`);
  await page.fill('input[name=email]', user.email);
  await page.fill('input[name=password]', user.password);
  await Promise.all([page.waitForURL(`${server.url}/staff`), page.click('button[type=submit]')]);
  return user;
}

async function chooseSource(page: Page) {
  const option = page.locator('select[name=source] option', { hasText: 'Embassy in Tehran' });
  await page.selectOption('[name=source]', await option.getAttribute('value'));
}

async function noHorizontalScroll(page: Page) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(client).toBe(360);
  expect(scroll).toBeLessThanOrEqual(client);
}

describe('staff workspace in Chromium at 360 px without JavaScript', () => {
  it('signs in, updates a count, and the public page shows it', async () => {
    const page = await phone();
    await signInAs(page, 'officer');
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.textContent('main')).toContain('Bus convoy 7');
    await shot(page, 'dashboard');
    await page.goto(`${server.url}/staff/movements/${ids.movement}/counts`);
    await shot(page, 'counts');
    await page.fill('[name="departed.total"]', '236');
    await page.fill('[name="departed.over60"]', '30');
    await page.fill('[name=reason]', 'Manifest at the Astara crossing');
    const source = await page
      .locator('select[name=source] option', { hasText: 'Embassy in Tehran' })
      .getAttribute('value');
    await page.selectOption('[name=source]', source);
    await Promise.all([page.waitForURL(/saved=counts/), page.click('main button[type=submit]')]);
    expect(await page.locator('main .notice[role=status]').count()).toBe(1); // the saved notice
    await shot(page, 'movement');
    const pub = await phone();
    await pub.goto(`${server.url}/en/`);
    expect(await pub.textContent('body')).toContain('236');
  });

  it('shows refused input next to the field, keeps it, and every page fits a phone', async () => {
    const page = await phone();
    await signInAs(page, 'admin');
    await page.goto(`${server.url}/staff/movements/${ids.movement}/counts`);
    await page.fill('[name="arrived.total"]', '999');
    await page.fill('[name=reason]', 'typo test');
    await page.click('main button[type=submit]');
    expect(await page.getAttribute('#err-arrived\\.total', 'data-error')).toBe(
      'figure.arrived_exceeds_departed',
    );
    expect(await page.inputValue('[name="arrived.total"]')).toBe('999');
    await noHorizontalScroll(page);
    await shot(page, 'counts-invalid');
    for (const [name, url] of [
      ['history', `/staff/movements/${ids.movement}/history`],
      ['operation', `/staff/operations/${ids.operation}`],
      ['route', `/staff/routes/${ids.route}`],
      ['operations', '/staff/operations'],
      ['places', '/staff/places'],
      ['import', `/staff/operations/${ids.operation}/import`],
      ['activity', '/staff/activity'],
      ['movement-edit', `/staff/movements/${ids.movement}`],
    ] as const) {
      await page.goto(`${server.url}${url}`);
      expect(page.url()).toContain(url.split('?')[0]!);
      await noHorizontalScroll(page);
      await shot(page, name);
    }
    for (const lang of ['ru', 'kk']) {
      await page.goto(`${server.url}/staff/movements/${ids.movement}/counts?lang=${lang}`);
      await noHorizontalScroll(page);
      await shot(page, `counts-${lang}`);
    }
  });

  it('shows a conflict with both values, and a CSV dry run then its applied progress', async () => {
    const page = await phone();
    await signInAs(page, 'officer');
    await page.goto(`${server.url}/staff/movements/${ids.movement}/counts`);
    const other = await phone();
    await signInAs(other, 'officer');
    await other.goto(`${server.url}/staff/movements/${ids.movement}/counts`);
    await other.fill('[name="registered.total"]', '245');
    await other.fill('[name=reason]', 'late registrations');
    await chooseSource(other);
    await Promise.all([other.waitForURL(/saved=counts/), other.click('main button[type=submit]')]);
    await page.fill('[name="registered.total"]', '250');
    await page.fill('[name=reason]', 'my count');
    await chooseSource(page);
    await page.click('main button[type=submit]');
    expect(await page.textContent('#f-registered\\.total + .current')).toContain('245'); // the value now
    expect(await page.inputValue('[name="registered.total"]')).toBe('250');
    await noHorizontalScroll(page);
    await shot(page, 'counts-conflict');

    const csv = await (
      await page.request.get(`${server.url}/staff/operations/${ids.operation}/export.csv`)
    ).text();
    const edited = csv.replace(/Bus convoy 7,(\d+),(\d+),245,/, 'Bus convoy 7,$1,$2,248,');
    expect(edited).not.toBe(csv);
    await page.goto(`${server.url}/staff/operations/${ids.operation}/import`);
    await page.setInputFiles('input[name=file]', {
      name: 'figures.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(edited),
    });
    await page.fill('[name=reason]', 'spreadsheet from the embassy');
    await Promise.all([page.waitForURL(/\/staff\/imports\/\d+$/), page.click('main button[type=submit]')]);
    expect(await page.getAttribute('main [data-changed]', 'data-changed')).toBe('1');
    await noHorizontalScroll(page);
    await shot(page, 'import-dry-run');
    await Promise.all([page.waitForURL(/\/apply$/), page.click('main button[type=submit]')]);
    expect(await page.getAttribute('main li.done', 'data-changed')).toBe('1');
    await noHorizontalScroll(page);
    await shot(page, 'import-applied');
  });
});
