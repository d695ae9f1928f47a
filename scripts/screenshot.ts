// Screenshots of the public page on the seeded data, as a reader sees it: each
// language at a phone (360 px) and a desktop (1280 px) width, whole pages, with the
// page heights printed and where the first blocks end (the one-sentence status, the
// timeline's start, the map: "three phone screens" is the map ending by ~2,000 px).
// The README's picture, docs/public-page-ru-360.png, is the first 2,000 px of the
// Russian page on a phone; `--readme` rewrites it and docs/public-page-{kk,en}-360.png.
//
//   npm run screenshot                 # test-results/screenshots/*.png and the heights
//   npm run screenshot -- --readme     # also docs/public-page-*-360.png
//
// Uses the system's Chromium (/usr/bin/chromium or CHROMIUM); never downloads one.
// The app runs in-process on an in-memory database: nothing on disk but the pictures.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createApp } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { seedReportedFigures } from '../src/domain/seed.ts';
import { LANGUAGES } from '../src/i18n/index.ts';
import { silentLogger } from '../src/log.ts';
import { createOutboxMailer } from '../src/mail/mailer.ts';
import { createMetrics } from '../src/metrics.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrateDatabase } from '../src/store/migrate.ts';
import { createRenderer } from '../src/views.ts';

const readme = process.argv.includes('--readme');
const outArg = process.argv.indexOf('--out');
const out = path.resolve(outArg > 0 ? process.argv[outArg + 1]! : 'test-results/screenshots');
const docs = path.resolve('docs');
/** The phone picture's height: three screens. */
const THREE_SCREENS = 2_000;
const bottomOf = (selector: string) =>
  `(() => { const e = document.querySelector(${JSON.stringify(selector)}); return e ? Math.round(e.getBoundingClientRect().bottom + window.scrollY) : 0; })()`;

const database = await openDatabase({ kind: 'pglite' });
await migrateDatabase(database);
await seedReportedFigures({ db: database.db });
const outbox = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'corridor-screenshot-'));
const app = createApp({
  config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'http://corridor.example' }),
  database,
  clock: systemClock,
  logger: silentLogger,
  renderer: createRenderer(),
  metrics: createMetrics(),
  mailer: createOutboxMailer(outbox),
});
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  fs.mkdirSync(out, { recursive: true });
  console.log('page heights (CSS px), seeded data:');
  for (const width of [360, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: width === 360 ? 740 : 900 } });
    for (const lang of LANGUAGES) {
      await page.goto(`${base}/${lang}/`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const [story, timeline, map] = (await Promise.all(
        ['p.story', 'ol.timeline', 'section.map figure'].map((q) => page.evaluate(bottomOf(q))),
      )) as number[];
      const file = path.join(out, `public-${lang}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(
        `  ${lang} ${String(width).padStart(4)} px wide: ${height} px tall; sentence ends at ${story}, timeline start ${timeline}, map ${map} → ${path.relative('.', file)}`,
      );
      if (readme && width === 360) {
        const target = path.join(docs, `public-page-${lang}-360.png`);
        await page.screenshot({
          path: target,
          fullPage: true,
          clip: { x: 0, y: 0, width, height: Math.min(height, THREE_SCREENS) },
        });
        console.log(`  README picture → ${path.relative('.', target)}`);
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.close();
  fs.rmSync(outbox, { recursive: true, force: true });
}
