// The daily email as a subscriber's mail client shows it: sent with the CLI's --to (the
// operator's test send) for the seeded days in all three languages, then its HTML part
// checked by the Nu HTML checker and laid out by Chromium at 320 px, where nothing may be
// wider than the screen. Goes through the CLI so it holds whatever builds the content.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { openDatabase } from '../../src/store/database.ts';
import { HAS_JAVA, mustHave, nuErrors, tempFiles } from '../support/validators.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-digest-html-'));
const OUT = path.resolve('test-results/digest-email');
const env = {
  ...process.env,
  DATABASE_URL: '',
  SMTP_URL: '',
  DATA_DIR: path.join(dir, 'data'),
  OUTBOX_DIR: path.join(dir, 'outbox'),
  LOG_LEVEL: 'silent',
};
const DAYS = ['2026-03-03', '2026-03-04'] as const;
const LANGS = ['kk', 'ru', 'en'] as const;

/** HTML part of every test send, keyed "day lang". */
const html = new Map<string, string>();
let browser: Browser;

beforeAll(async () => {
  const database = await openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR });
  await migrateDatabase(database);
  await seedReportedFigures({ db: database.db });
  await database.close();
  for (const day of DAYS)
    for (const lang of LANGS) {
      const before = new Set(fs.existsSync(env.OUTBOX_DIR) ? fs.readdirSync(env.OUTBOX_DIR) : []);
      const to = `reader-${lang}@example.org`;
      await run(
        process.execPath,
        ['--import', 'tsx', 'src/cli/digest.ts', '--date', day, '--to', to, '--lang', lang],
        {
          cwd: root,
          env,
        },
      );
      const [eml] = fs.readdirSync(env.OUTBOX_DIR).filter((f) => f.endsWith('.eml') && !before.has(f));
      const parsed = await simpleParser(fs.readFileSync(path.join(env.OUTBOX_DIR, eml!)));
      html.set(`${day} ${lang}`, String(parsed.html));
    }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the digest email', () => {
  it('has an HTML part for every seeded day and language, in that language', () => {
    expect(html.size).toBe(DAYS.length * LANGS.length);
    for (const [key, body] of html)
      expect(body, key).toMatch(new RegExp(`<html[^>]*lang="${key.split(' ')[1]}"`));
  });

  it('is valid HTML for the Nu checker', (ctx) => {
    if (!mustHave('java + vnu-jar', HAS_JAVA)) return ctx.skip();
    const files = Object.fromEntries([...html].map(([key, body]) => [`${key.replace(' ', '-')}.html`, body]));
    const { paths } = tempFiles(files);
    const errors = nuErrors(paths).map((m) => `${path.basename(m.url)}:${m.lastLine}: ${m.message}`);
    expect(errors).toEqual([]);
  }, 120_000);

  it('sets words in a figure card smaller than a figure, and heads the email with its publisher', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await page.route('**/*', (route) => route.abort());
    for (const [key, body] of html) {
      await page.setContent(body, { waitUntil: 'domcontentloaded' });
      const cards = await page.evaluate(() =>
        [...document.querySelectorAll('.dg-box .dg-accent')].map((e) => ({
          text: e.textContent.trim(),
          marker: e.classList.contains('dg-marker'),
          px: parseFloat(getComputedStyle(e).fontSize),
        })),
      );
      expect(cards.length, key).toBeGreaterThan(3);
      for (const c of cards) {
        // A figure is digits (grouped with a space, a comma or a no-break space); anything else is words.
        expect(c.marker, `${key}: ${c.text}`).toBe(!/^[\d\s,.\u00a0\u202f]+$/.test(c.text));
        if (c.marker) expect(c.px, `${key}: ${c.text}`).toBeLessThan(22);
      }
      expect(
        cards.some((c) => c.marker),
        key,
      ).toBe(true); // the seed has unreported figures
      const header = await page.evaluate(() => document.querySelector('.dg-card p')!.textContent);
      expect(header, key).not.toMatch(/^Corridor/);
    }
    await page.close();
  }, 120_000);

  it('is no wider than a 320 px screen in any language', async () => {
    fs.mkdirSync(OUT, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    // A mail client shows the message without the network: block any request leaving it.
    await page.route('**/*', (route) => route.abort());
    for (const [key, body] of html) {
      await page.setContent(body, { waitUntil: 'domcontentloaded' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: path.join(OUT, `${key.replace(' ', '-')}-320.png`), fullPage: true });
      expect(width, key).toBeLessThanOrEqual(320);
    }
    await page.close();
  }, 120_000);
});
