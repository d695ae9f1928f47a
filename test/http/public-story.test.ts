// The public page's story over HTTP, on the seeded data, in all three languages:
// the one-sentence status at the top (built from the figures, in the reader's
// language), the staff's lead above it, the timeline of public events and its
// older pages, and the route pages.
import { beforeAll, describe, expect, it } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { type Lang, LANGUAGES } from '../../src/i18n/index.ts';
import type { Database } from '../../src/store/database.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';

let database: Database;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database);
});

const get = (path: string) => fetch(`${server.url}${path}`);
const story = (html: string) => /<p class="story">([^<]*)<\/p>/.exec(html)?.[1] ?? '';

// The seed's figures, as each language formats them (a narrow no-break space in ru/kk).
const NUMBER: Record<Lang, (n: number) => string> = {
  en: (n) => new Intl.NumberFormat('en').format(n),
  ru: (n) => new Intl.NumberFormat('ru').format(n),
  kk: (n) => new Intl.NumberFormat('kk').format(n),
};

describe('the one-sentence status', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: names the total and each bucket's figure, in the reader's language`, async () => {
      const html = await (await get(`/${lang}/`)).text();
      const sentence = story(html);
      expect(sentence.length).toBeGreaterThan(20);
      const ld = /<div class="h-total"><dt>[^<]*<\/dt><dd[^>]*>([^<]*)</.exec(html)?.[1];
      // The sentence's total is the headline's total, as printed beside it.
      expect((ld && sentence.startsWith(ld)) || sentence.includes(ld!)).toBe(true);
      for (const key of ['arrived', 'on-the-way', 'waiting']) {
        const figure = new RegExp(`<div class="h-${key}"><dt>[^<]*</dt><dd[^>]*>([^<]*)<`).exec(html)?.[1];
        if (figure && figure !== NUMBER[lang](0)) expect(sentence).toContain(figure);
      }
      // No English words in the Russian or Kazakh sentence.
      if (lang !== 'en') expect(sentence).not.toMatch(/\b(people|home|left|waiting)\b/);
    });
  }
});
