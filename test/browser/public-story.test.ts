// The public page as a reader on a phone or a desktop sees it, in Debian's Chromium,
// every language at 360 and 1280 px: the page's height and where its first blocks end
// (headline, help, timeline start and map within about three phone screens), the map's
// SVG well-formed with every route named in its text alternative, route pages, and a
// place without coordinates still rendering. Screenshots in test-results/public-story/.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { places } from '../../db/schema.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { LANGUAGES } from '../../src/i18n/index.ts';
import type { Database } from '../../src/store/database.ts';
import { notifyChange } from '../../src/store/notify.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';

const OUT = path.resolve('test-results/public-story');
/**
 * Three phone screens: the headline, help, timeline start and map end above this (CSS px at 360 px),
 * the target of issue 17. A cited report note (with its quotation) is read after the routes,
 * not among the notices at the top, which is what keeps it (docs/public-page.md).
 */
const THREE_SCREENS = 2_000;

let database: Database;
let server: TestServer;
let browser: Browser;
let routeNames: Record<string, string[]>;
let slugs: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database);
  const json = (await (await fetch(`${server.url}/api/v1/status`)).json()) as {
    operations: { routes: { slug: string; names: Record<string, string> }[] }[];
  };
  const routes = json.operations.flatMap((o) => o.routes);
  slugs = routes.map((r) => r.slug);
  routeNames = Object.fromEntries(LANGUAGES.map((l) => [l, routes.map((r) => r.names[l] ?? r.names.en!)]));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  fs.mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** Where a block's bottom is, in CSS px from the top of the page (0 if absent). */
const bottomOf = (
  selector: string,
) => `(() => { const e = document.querySelector(${JSON.stringify(selector)});
  return e ? Math.round(e.getBoundingClientRect().bottom + window.scrollY) : 0; })()`;

describe('the public page in Chromium', () => {
  for (const lang of LANGUAGES)
    for (const width of [360, 1280]) {
      it(`${lang} at ${width} px: measured, the map well-formed and naming every route`, async () => {
        const context = await browser.newContext({
          viewport: { width, height: 800 },
          javaScriptEnabled: false,
        });
        const page = await context.newPage();
        expect((await page.goto(`${server.url}/${lang}/`))?.status()).toBe(200);
        const file = path.join(OUT, `${lang}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        await context.close();
        // Measuring needs script: a second context with it on, same page.
        const measuring = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
        const m = await measuring.newPage();
        await m.goto(`${server.url}/${lang}/`);
        const height = await m.evaluate<number>('document.documentElement.scrollHeight');
        const story = await m.evaluate<number>(bottomOf('p.story'));
        const timeline = await m.evaluate<number>(bottomOf('ol.timeline'));
        const map = await m.evaluate<number>(bottomOf('section.map figure'));
        console.log(
          `${lang} ${width} px: page ${height} px; story ends ${story}, timeline ${timeline}, map ${map}`,
        );
        expect(story).toBeGreaterThan(0);
        expect(timeline).toBeGreaterThan(story);
        if (width === 360) expect(map).toBeLessThanOrEqual(THREE_SCREENS);
        // The map's SVG parses as XML on its own, and its text alternative names every route.
        const svg = await m.evaluate<string>(
          `new XMLSerializer().serializeToString(document.querySelector('svg.corridors'))`,
        );
        const errors = await m.evaluate<number>(
          `new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml').getElementsByTagName('parsererror').length`,
        );
        expect(errors).toBe(0);
        const alternative = await m.evaluate<string>(
          `document.querySelector('details.map-text').textContent`,
        );
        for (const name of routeNames[lang]!) expect(alternative).toContain(name);
        await measuring.close();
      });
    }

  it('route pages render in each language; their cards are open', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 800 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    for (const lang of LANGUAGES) {
      expect((await page.goto(`${server.url}/${lang}/routes/${slugs[0]}`))?.status()).toBe(200);
      expect(await page.locator('details.route[open]').count()).toBe(1);
      await page.screenshot({ path: path.join(OUT, `${lang}-route-360.png`), fullPage: true });
    }
    await context.close();
  });

  it('a place without coordinates still renders: the map draws the rest and lists it in text', async () => {
    const [op] = await listPublicOperations(database.db);
    await database.db
      .update(places)
      .set({ latitude: null, longitude: null })
      .where(eq(places.slug, 'riyadh'));
    await notifyChange(database.db, { operationId: op!.id, kind: 'test' });
    // Once rebuilt, the page names the place (its name is data) in the map's note of places not drawn.
    const unplacedNote = async () =>
      /<details class="map-text"[^]*?<p class="note">[^<]*Riyadh[^<]*<\/p>/.test(
        await (await fetch(`${server.url}/en/`)).text(),
      );
    await expect.poll(unplacedNote, { timeout: 10_000, interval: 50 }).toBe(true);
    const context = await browser.newContext({
      viewport: { width: 360, height: 800 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    expect((await page.goto(`${server.url}/en/`))?.status()).toBe(200);
    expect(await page.locator('details.map-text li').count()).toBe(slugs.length);
    await context.close();
  });
});
