// The public page's story over HTTP, on the seeded data, in all three languages:
// the one-sentence status at the top (built from the figures, in the reader's
// language), the staff's lead above it, the timeline of public events and its
// older pages, and the route pages.
import { beforeAll, describe, expect, it } from 'vitest';
import { dayBounds, localDay } from '../../src/domain/calendar.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { type Lang, LANGUAGES } from '../../src/i18n/index.ts';
import type { Database } from '../../src/store/database.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { createRenderer } from '../../src/views.ts';
import { presentErrorPage } from '../../src/presenters/error-page.ts';
import { momentText } from '../../src/presenters/public-as-of.ts';

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
      // On the way is "not reported" in the seed: the stage-not-reported clause says why.
      for (const key of ['arrived', 'waiting', 'not-reported']) {
        const figure = new RegExp(`<div class="h-${key}"><dt>[^<]*</dt><dd[^>]*>([^<]*)<`).exec(html)?.[1];
        if (figure && figure !== NUMBER[lang](0)) expect(sentence).toContain(figure);
      }
      // No English words in the Russian or Kazakh sentence.
      if (lang !== 'en') expect(sentence).not.toMatch(/\b(people|home|left|waiting)\b/);
    });
  }
});

describe('the headline total', () => {
  // 1,116 = 467 listed (via Oman) + 343 listed (Jeddah) + 306 FlyDubai passengers, whom the
  // report never calls listed: the total was labelled "on evacuation lists" (audit, 6 December).
  // It says what it counts — on the lists, on the way or home — on the page, in the sentence,
  // in the JSON's number and on the methodology page.
  const label: Record<Lang, string> = {
    en: 'On evacuation lists, on the way or home',
    ru: 'В списках на эвакуацию, в пути или дома',
    kk: 'Тізімде, жолда немесе елде',
  };
  const sentence: Record<Lang, string> = {
    en: `${NUMBER.en(1116)} people on evacuation lists, on the way or home: `,
    ru: `${NUMBER.ru(1116)} человек в списках на эвакуацию, в пути или дома: `,
    kk: `Тізімде, жолда немесе елде ${NUMBER.kk(1116)} адам: `,
  };
  // The methodology says it is not the number on the lists (passengers of commercial flights).
  const methodology: Record<Lang, RegExp> = {
    en: /commercial flights, are in it as on the way or home: so it can be more than the number of people on evacuation lists/,
    ru: /пассажиры коммерческих рейсов\), тоже входят в итог — как находящиеся в пути или дома, поэтому он может быть больше числа людей в списках на эвакуацию/,
    kk: /коммерциялық рейстердің жолаушылары\) да жолдағылар немесе елге оралғандар ретінде осы санға кіреді, сондықтан ол эвакуация тізімдеріндегі адамдар санынан көп болуы мүмкін/,
  };
  for (const lang of LANGUAGES)
    it(`${lang}: is 1,116, labelled as people on the lists, on the way or home, not as on the lists`, async () => {
      const html = await (await get(`/${lang}/`)).text();
      const total = /<div class="h-total"><dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/.exec(html);
      expect([total?.[1], total?.[2]]).toEqual([label[lang], NUMBER[lang](1116)]);
      expect(story(html).startsWith(sentence[lang])).toBe(true);
      expect(await (await get(`/${lang}/methodology`)).text()).toMatch(methodology[lang]);
    });

  it('is the JSON total, under its v1 name', async () => {
    const body = (await (await get('/api/v1/status')).json()) as {
      operations: {
        totals: Record<string, unknown>;
        routes: { slug: string; totals: Record<string, unknown> }[];
      }[];
    };
    const op = body.operations[0]!;
    expect(op.totals.registered).toEqual({ status: 'value', value: 1116 });
    // The 306 in it have no list figure: why the total is not "on the lists".
    const flydubai = op.routes.find((r) => r.slug === 'dubai-almaty-astana')!;
    expect(flydubai.totals.registered).toEqual({ status: 'not_reported', value: null });
    expect(flydubai.totals.arrived).toEqual({ status: 'value', value: 306 });
  });
});

describe('people listed on a movement that left with no departed figure', () => {
  // The report says 467 were to be repatriated via Oman and that "the first group" left; the
  // sentence said "467 left" (audit, 6 December). It says they were listed, and that how many
  // left is not reported, as the headline's bucket does.
  const said: Record<Lang, RegExp> = {
    en: /467 listed for the departure on 3 March 2026 \(Dubai → Oman → Kazakhstan\), recorded as departed; how many left not yet reported/,
    ru: /467 в списке рейса 3 марта 2026 г\. \(Дубай → Оман → Казахстан\): рейс отправлен, сколько человек выехало, пока не сообщалось/,
    kk: /467 адам .* күнгі рейс тізімінде \(Дубай → Оман → Қазақстан\): рейс жолға шықты, қанша адам жолға шыққаны әзірге хабарланбаған/,
  };
  for (const lang of LANGUAGES)
    it(`${lang}: are said to be listed, not to have left`, async () => {
      const sentence = story(await (await get(`/${lang}/`)).text());
      expect(sentence).toMatch(said[lang]);
    });
});

describe('the timeline', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: newest first, each event dated and linked to its details; the whole timeline on its own page`, async () => {
      const html = await (await get(`/${lang}/`)).text();
      const start = html.slice(
        html.indexOf('<ol class="timeline">'),
        html.indexOf('</ol>', html.indexOf('<ol class="timeline">')),
      );
      const items = [...start.matchAll(/<li class="ev ev-([a-z]+)"><time datetime="([^"]+)">/g)];
      expect(items.length).toBeGreaterThan(0);
      // A timed event's datetime is an instant (UTC), a day-only one a local day: compare local days.
      const localDay = (v: string) =>
        v.includes('T') ? new Date(v).toLocaleDateString('sv-SE', { timeZone: 'Asia/Almaty' }) : v;
      const dates = items.map((m) => localDay(m[2]!));
      expect([...dates].sort().reverse()).toEqual(dates);
      expect(
        items.every((m) =>
          ['departed', 'arrived', 'cancelled', 'rescheduled', 'crossing', 'notice', 'corrected'].includes(
            m[1]!,
          ),
        ),
      ).toBe(true);
      // A departure's or arrival's title: route, label, then what happened, set apart from the
      // label in every language (English once ran them together: "…, up to 3 March left").
      const titles = [
        ...start.matchAll(/<li class="ev ev-(?:departed|arrived)">.*?<span class="ev-t">(.*?)<\/span> /g),
      ];
      expect(titles.length).toBeGreaterThan(0);
      for (const [, title] of titles) expect(title!.replace(/<[^>]+>/g, ''), lang).toMatch(/: .+ — \S/);
      // A notice event is titled as one notice, not with the notices' section heading.
      const noticeTitle = /<li class="ev ev-notice">.*?<span class="ev-t">(?:<a [^>]*>)?([^<]*)/.exec(
        start,
      )?.[1];
      if (noticeTitle) expect(html).not.toContain(`>${noticeTitle}</h2>`);
      const page = await get(`/${lang}/timeline`);
      expect(page.status).toBe(200);
      const body = await page.text();
      expect(body).toContain(`<html lang="${lang}"`);
      expect(body.match(/<li class="ev /g)!.length).toBeGreaterThanOrEqual(items.length);
      expect(body).not.toContain('<script');
    });
  }
  it('a timeline page past the last is 404', async () => {
    expect((await get('/en/timeline/99')).status).toBe(404);
  });

  // A stale link (a route renamed, a page past the last) from a kk or ru page: the answer is in
  // that language, whatever the browser's Accept-Language, with the languages named in themselves.
  it('a page missing under a language prefix is answered in that language', async () => {
    for (const lang of ['kk', 'ru', 'en'] as const)
      for (const path of [`/${lang}/timeline/99`, `/${lang}/routes/no-such-route`, `/${lang}/no-such-page`]) {
        const res = await fetch(`${server.url}${path}`, { headers: { 'accept-language': 'de' } });
        expect(res.status, path).toBe(404);
        const html = await res.text();
        expect(html, path).toContain(`<html lang="${lang}"`);
        expect(html, path).toContain('data-error="not_found"');
        expect(html, path).not.toMatch(/>(KK|RU|EN)<\/a>/);
        const main = html.slice(html.indexOf('<main'));
        expect(main, path).toContain(`<a href="/${lang}/">`); // the way back to the status page
      }
  });
});

describe('the Atom feed', () => {
  // A route's <updated> is when its entry changed in public (RFC 4287), from public times:
  // here when it turned stale: the threshold after the end of its figures' as-of day (the
  // source gave the day only, so they may be from its last moment). Its summary says the
  // figures' time in words, "time not reported" where the source gave a day only.
  it("dates a route entry by when it changed and says its figures' time in words", async () => {
    type Json = {
      operations: {
        timeZone: string;
        staleAfterHours: number;
        routes: {
          id?: number;
          slug: string;
          stale: boolean;
          figuresAsOf: string | null;
          figuresAsOfTimeKnown: boolean;
        }[];
      }[];
    };
    const json = (await (await get('/api/v1/status')).json()) as Json;
    const feed = await (await get('/en/feed.atom')).text();
    const entries = [...feed.matchAll(/<entry[^>]*>([\s\S]*?)<\/entry>/g)].map((m) => m[1]!);
    let checked = 0;
    for (const op of json.operations)
      for (const r of op.routes.filter((x) => x.figuresAsOf && !x.figuresAsOfTimeKnown && x.stale)) {
        const entry = entries.find(
          (e) =>
            e.includes(`/en/#route-`) &&
            e.includes(`<title type="text">`) &&
            e.includes(momentText('en', new Date(r.figuresAsOf!), false, op.timeZone)),
        );
        expect(entry, r.slug).toBeDefined();
        const updated = /<updated>([^<]+)<\/updated>/.exec(entry!)![1];
        // A day-only as-of may be from any time that day: the threshold runs from the day's end.
        const dayEnd = dayBounds(localDay(new Date(r.figuresAsOf!), op.timeZone), op.timeZone).end;
        expect(updated).toBe(new Date(dayEnd.getTime() + op.staleAfterHours * 3_600_000).toISOString());
        checked++;
      }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('error pages', () => {
  // The header of a 404 is the public pages': the publisher in the reader's language (a
  // kk or ru reader never sees a bare Latin brand in a Cyrillic page).
  it('head a missing page with the publisher, as the status page does, in every language', async () => {
    const brand = (html: string) => /<p class="brand">[\s\S]*?<\/p>/.exec(html)?.[0];
    for (const lang of LANGUAGES) {
      const status = brand(await (await get(`/${lang}/`)).text());
      expect(status, lang).toBeDefined();
      for (const path of [`/${lang}/routes/no-such-route`, `/${lang}/no-such-page`]) {
        const res = await get(path);
        expect(res.status, path).toBe(404);
        expect(brand(await res.text()), path).toBe(status);
      }
    }
  });

  it('without a publisher, mark the product name as English', () => {
    const renderer = createRenderer();
    for (const lang of LANGUAGES) {
      const html = renderer.render('error', presentErrorPage(lang, 'not_found', undefined, []));
      expect(html, lang).toMatch(/<p class="brand"><a href="\/\w+\/" lang="en">Corridor<\/a><\/p>/);
    }
  });
});

describe('route pages', () => {
  it('each route has its page in each language, linked from nowhere else than its own URL', async () => {
    const json = (await (await get('/api/v1/status')).json()) as {
      operations: { routes: { slug: string }[] }[];
    };
    const slugs = json.operations.flatMap((o) => o.routes.map((r) => r.slug));
    expect(slugs.length).toBeGreaterThan(2);
    for (const lang of LANGUAGES)
      for (const slug of slugs) {
        const res = await get(`/${lang}/routes/${slug}`);
        expect(res.status, `${lang} ${slug}`).toBe(200);
        const body = await res.text();
        expect(body).toContain(`<html lang="${lang}"`);
        expect(body).toContain('<details class="route');
        expect(body).toContain(' open>');
        for (const l of LANGUAGES)
          expect(body).toContain(`hreflang="${l}" href="http://corridor.test/${l}/routes/${slug}"`);
      }
  });
  it('an unknown route, a bad slug or a page past the last is 404, not an error', async () => {
    expect((await get('/en/routes/no-such-route')).status).toBe(404);
    expect((await get('/en/routes/dubai-oman/7')).status).toBe(404);
    expect((await get('/en/routes/Bad_Slug')).status).toBe(404);
    expect((await get('/xx/routes/dubai-oman')).status).toBe(404);
  });
});
