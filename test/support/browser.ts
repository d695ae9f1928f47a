// The system's Chromium for browser tests (never a downloaded one), and a phone-sized page
// with JavaScript off: the staff and public pages must work without it.
import { type Browser, type Page, chromium } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A 360 × 740 page, JavaScript off, English locale, 8 s per step. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    javaScriptEnabled: false,
    locale: 'en-GB',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  return page;
}
