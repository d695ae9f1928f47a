// Proof that every public word is in the reader's language or marked with its own
// (WCAG 3.1.2): the seeded page, methodology, route pages, feed and digest in kk, ru
// and en have no Latin-script word on kk/ru and no Cyrillic on en, except a short list
// of proper names and text inside an element whose lang says otherwise. An untranslated
// notice and an untranslated label are added so the fallback (text in its own language,
// marked) is on the pages too.
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { movements, notices } from '../../db/schema.ts';
import { seedRoutes } from '../../db/seed/reports.ts';
import { buildDigestContent } from '../../src/domain/digest/content.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { loadSnapshot } from '../../src/domain/snapshot.ts';
import { type Lang, LANGUAGES } from '../../src/i18n/index.ts';
import { createDigestComposer } from '../../src/mail/compose.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';
import { notifyChange } from '../../src/store/notify.ts';
import type { Database } from '../../src/store/database.ts';
import { createRenderer } from '../../src/views.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { strayWords, textRuns } from '../support/language-of-parts.ts';

let database: Database;
let server: TestServer;
let operationId: number;
const ENGLISH_ONLY_NOTICE = 'Buses leave from the embassy car park';

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  operationId = (await listPublicOperations(database.db))[0]!.id;
  const { db } = database;
  // Written only in the working language (English): the other pages show it marked.
  await db.insert(notices).values({ operationId, bodies: { en: ENGLISH_ONLY_NOTICE } });
  // A label not yet translated into Kazakh.
  await db
    .update(movements)
    .set({ labels: sql`${movements.labels} - 'kk'` })
    .where(eq(movements.label, 'FlyDubai flights, up to 3 March'));
  // Departures and arrivals on 3 March, so the digest lists movements by their labels.
  await db
    .update(movements)
    .set({ departedAt: new Date('2026-03-03T05:00:00Z') })
    .where(and(eq(movements.label, 'Repatriation via Oman, 3 March')));
  await db
    .update(movements)
    .set({ departedAt: new Date('2026-03-03T04:00:00Z'), arrivedAt: new Date('2026-03-03T09:00:00Z') })
    .where(eq(movements.label, 'FlyDubai flights, up to 3 March'));
  await notifyChange(db, { operationId, kind: 'test' });
  server = await startTestServer(database);
});

const get = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  return res.text();
};
const expectInLanguage = (doc: string, lang: Lang, what: string) =>
  expect(strayWords(doc, lang), `${what} (${lang})`).toEqual([]);

describe('every public output is in its language, or marked', () => {
  it('the checker finds an unmarked word and accepts a marked one (it can fail)', () => {
    expect(strayWords('<p>Рейсы Emirates</p>', 'ru').map((s) => s.word)).toEqual(['Emirates']);
    expect(strayWords('<p><span lang="en">Emirates</span> (на английском)</p>', 'ru')).toEqual([]);
    expect(strayWords('<p>Flights to Алматы</p>', 'en').map((s) => s.word)).toEqual(['Алматы']);
    expect(strayWords('<p>Рейсы FlyDubai</p>', 'kk')).toEqual([]);
    expect(
      strayWords('<summary type="xhtml"><div><span xml:lang="en">Gate</span></div></summary>', 'ru'),
    ).toEqual([]);
  });

  for (const lang of LANGUAGES) {
    it(`the page, methodology and route pages in ${lang}`, async () => {
      const page = await get(`/${lang}/`);
      expectInLanguage(page, lang, 'page');
      const methodology = await get(`/${lang}/methodology`);
      expectInLanguage(methodology, lang, 'methodology');
      // The zone as a reader names it (with its offset), not its IANA id ("Asia/Almaty").
      expect(methodology).not.toMatch(/[A-Z][a-z]+\/[A-Z][a-z_]+ \(GMT/);
      expect(methodology).toMatch(/\(GMT\+5\)/);
      // Every seeded route's own page, whether or not the status page links to it today.
      const routeLinks = seedRoutes.map((r) => `/${lang}/routes/${r.slug}`);
      expect(routeLinks.length).toBeGreaterThan(0);
      for (const path of routeLinks) expectInLanguage(await get(path), lang, path);
      // The untranslated notice is there, in its own language and marked.
      if (lang !== 'en') {
        const run = textRuns(page, lang).find((r) => r.text.includes(ENGLISH_ONLY_NOTICE));
        expect(run?.lang).toBe('en');
        expect(page).toMatch(new RegExp(`<span lang="en">${ENGLISH_ONLY_NOTICE}</span> <small class="lm">`));
      }
    });

    it(`the feed in ${lang}`, async () => {
      const feed = await get(`/${lang}/feed.atom`);
      expectInLanguage(
        feed.replace(/<(id|uri|updated|published)\b[^>]*>[^<]*<\/\1>|<link\b[^>]*\/>/g, ''),
        lang,
        'feed',
      );
      if (lang === 'kk')
        expect(feed).toMatch(/<span xml:lang="en" lang="en">FlyDubai flights, up to 3 March<\/span>/);
    });

    it(`the digest (HTML part) in ${lang}`, async () => {
      const [operation] = await listPublicOperations(database.db);
      const now = new Date('2026-03-03T19:00:00Z');
      const snapshot = await loadSnapshot({ db: database.db, now }, operation!);
      const content = buildDigestContent({ snapshot, day: '2026-03-03', now });
      const compose = createDigestComposer(createRenderer(), 'http://corridor.test');
      for (const version of [content.public, content.staff]) {
        const mail = compose({ content: version, lang, unsubscribeUrl: 'http://corridor.test/u/x' });
        expectInLanguage(mail.html, lang, `digest ${version.audience}`);
        expect(mail.subject.match(lang === 'en' ? /\p{Script=Cyrillic}/u : /[A-Za-z]{2,}/) ?? []).toEqual([]);
      }
      expect(content.public.departed.length + content.public.arrived.length).toBeGreaterThan(0);
    });
  }
});
