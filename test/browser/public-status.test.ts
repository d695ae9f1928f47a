// The status page in Debian's Chromium: all three languages at phone and
// desktop widths, axe-core with no serious violations, no request leaving the
// server, no script; screenshots in test-results/ (git-ignored).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notices } from '../../db/schema.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { createTestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { counts, makeMovement, makeRoute } from '../support/factories.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = path.resolve('test-results/public-status');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  const [op] = await listPublicOperations(database.db);
  await database.db.insert(notices).values({
    operationId: op!.id,
    bodies: {
      en: 'Consular hotline, 24 hours: +7 7172 72 00 00. Bring your passport.',
      ru: 'Горячая линия консульской службы, круглосуточно: +7 7172 72 00 00. Возьмите паспорт.',
      kk: 'Консулдық қызметтің жедел желісі, тәулік бойы: +7 7172 72 00 00. Төлқұжатыңызды алыңыз.',
    },
    pinned: true,
  });
  // A route with arrivals on several days, groups and a small group, so the chart and table have content.
  const { route } = await makeRoute(
    database.db,
    op!.id,
    {
      names: { en: 'Tehran → Baku → Aktau', ru: 'Тегеран → Баку → Актау', kk: 'Тегеран → Баку → Ақтау' },
      position: 10,
    },
    2,
  );
  for (const [day, total, over60] of [
    ['2026-03-05', 140, 22],
    ['2026-03-06', 95, 3],
    ['2026-03-08', 180, 40],
  ] as const) {
    await makeMovement(
      database.db,
      route.id,
      {
        label: `Convoy ${day}`,
        kind: 'convoy',
        status: 'arrived',
        scheduledDate: day,
        departedAt: new Date(`${day}T03:00:00Z`),
        arrivedAt: new Date(`${day}T15:00:00Z`),
      },
      counts({
        registered: { total: total + 6 },
        departed: { total, over60, womenChildren: 30 },
        arrived: { total, over60, womenChildren: 30 },
      }),
    );
  }
  server = await startTestServer(database);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  fs.mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const widths = [
  { name: 'phone', width: 320, height: 640 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

describe('status page in Chromium', () => {
  for (const lang of ['kk', 'ru', 'en'] as const) {
    for (const size of widths) {
      it(`${lang} at ${size.width}px: readable, accessible, self-contained`, async () => {
        const context = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          javaScriptEnabled: false,
        });
        const page = await context.newPage();
        const foreign: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith(server.url)) foreign.push(r.url());
        });
        const res = await page.goto(`${server.url}/${lang}/`);
        expect(res?.status()).toBe(200);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        expect(await page.locator('script').count()).toBe(0);
        expect(foreign).toEqual([]);
        // Nothing wider than the screen (320 px must work without sideways scrolling).
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(OUT, `${lang}-${size.name}.png`), fullPage: true });
        await context.close();

        // axe needs script: a separate context with JavaScript on (and past our CSP), same page.
        const axeContext = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          bypassCSP: true,
        });
        const axePage = await axeContext.newPage();
        await axePage.goto(`${server.url}/${lang}/`);
        await axePage.addScriptTag({ content: axeSource });
        const result = (await axePage.evaluate(() =>
          (window as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
          }),
        )) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
        const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
          [],
        );
        await axeContext.close();
      });
    }
  }

  // From 60rem the routes stand beside the map, in a column too narrow for a six-column table:
  // an opened card's movements are stacked there as on a phone, not cut off past the screen.
  it('an opened route card fits the column beside the map on a desktop', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    for (const lang of ['kk', 'ru', 'en'] as const) {
      await page.goto(`${server.url}/${lang}/`);
      const fit = await page.evaluate(() => {
        document.querySelectorAll('details.route').forEach((d) => ((d as HTMLDetailsElement).open = true));
        const cards = [...document.querySelectorAll('.map-routes details.route')];
        return {
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          tables: cards.filter((c) => c.querySelector('table.movements')).length,
          cut: cards.filter((c) => {
            const t = c.querySelector('table.movements');
            return t && t.getBoundingClientRect().right > c.getBoundingClientRect().right + 1;
          }).length,
        };
      });
      expect(fit.tables).toBeGreaterThan(0);
      expect(fit).toMatchObject({ cut: 0 });
      expect(fit.overflow).toBeLessThanOrEqual(0);
    }
    await context.close();
  });

  // Labels wrap to one, two or three lines by language: the figures still line up on a desktop.
  it('sets the headline figures on one line on a desktop whatever their labels wrap to', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    for (const lang of ['kk', 'ru', 'en'] as const) {
      await page.goto(`${server.url}/${lang}/`);
      const bottoms = await page
        .locator('.headline > div:not(.h-next) dd')
        .evaluateAll((dds) => dds.map((d) => Math.round(d.getBoundingClientRect().bottom)));
      expect(bottoms.length, lang).toBeGreaterThan(3);
      expect(new Set(bottoms).size, `${lang}: ${bottoms.join(', ')}`).toBe(1);
    }
    await context.close();
  });

  // A stacked table row shows each cell's column name before it: a cell with nothing in it
  // (a group's share home when its registered figure is not reported) left a label alone.
  it('shows no column name without a value in the stacked tables of a phone', async () => {
    const context = await browser.newContext({
      viewport: { width: 320, height: 640 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    for (const lang of ['kk', 'ru', 'en'] as const) {
      await page.goto(`${server.url}/${lang}/`);
      const cells = await page
        .locator('table.stack td[data-label]')
        .evaluateAll((tds) => tds.filter((td) => td.checkVisibility()).map((td) => td.textContent.trim()));
      expect(cells.length, lang).toBeGreaterThan(0);
      expect(
        cells.filter((text) => text === ''),
        lang,
      ).toEqual([]);
    }
    await context.close();
  });

  it('prints without the language switcher', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/en/`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.langs').isVisible()).toBe(false);
    expect(await page.locator('table.days').isVisible()).toBe(true);
    await page.pdf({ path: path.join(OUT, 'en-print.pdf') });
    await context.close();
  });
});
