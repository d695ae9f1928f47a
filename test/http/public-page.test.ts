// The public page's own blocks over HTTP, on the seeded data, in all three languages:
// the publisher (header, title, feed author, JSON), help and contacts (and the page
// without them), the sign-up with per-route choices, the map and its text alternative,
// route cards one line each, "how these figures are made".
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { places } from '../../db/schema.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { createContact } from '../../src/domain/staff/public-page.ts';
import { type Lang, LANGUAGES } from '../../src/i18n/index.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';
import { notifyChange } from '../../src/store/notify.ts';
import type { Database } from '../../src/store/database.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { waitFor, waitForValue } from '../support/wait.ts';
import { assertWellFormedXml } from './public-xml.ts';

let database: Database;
let server: TestServer;
let operationId: number;
const actor = { id: null, label: 'test' };

const AUTHORITY: Record<Lang, string> = {
  en: 'Ministry of Foreign Affairs of the Republic of Kazakhstan, Consular Service',
  ru: 'Министерство иностранных дел Республики Казахстан, консульская служба',
  kk: 'Қазақстан Республикасы Сыртқы істер министрлігі, консулдық қызмет',
};
const ROUTES: Record<Lang, string[]> = {
  en: ['Dubai → Oman → Kazakhstan', 'Qatar → Riyadh → Jeddah → Kazakhstan', 'Iran → Armenia (overland)'],
  ru: ['Дубай → Оман → Казахстан', 'Катар → Эр-Рияд → Джидда → Казахстан', 'Иран → Армения (по суше)'],
  kk: ['Дубай → Оман → Қазақстан', 'Катар → Эр-Рияд → Жидда → Қазақстан', 'Иран → Армения (құрлықпен)'],
};

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  operationId = (await listPublicOperations(database.db))[0]!.id;
  server = await startTestServer(database);
});

const etag = async () => {
  const res = await get('/en/');
  await res.arrayBuffer();
  return res.headers.get('etag');
};
/** What a staff save does after writing: the change signal; then wait until the page is rebuilt. */
const changed = async () => {
  const before = await etag();
  await notifyChange(database.db, { operationId, kind: 'test' });
  await waitFor('the public page rebuilt', async () => (await etag()) !== before);
};
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });
const page = async (lang: Lang) => (await get(`/${lang}/`)).text();
const section = (html: string, cls: string) => {
  const start = html.indexOf(`<section class="${cls}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start));
};
/** Without fetch's automatic decompression: the bytes as sent. */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}
const decode = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');

describe('the publisher', () => {
  it('is named in the header, the title, the feed author and the JSON, in each language', async () => {
    for (const lang of LANGUAGES) {
      const html = decode(await page(lang));
      const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
      expect(header).toContain(AUTHORITY[lang]);
      expect(/<title>([^<]*)<\/title>/.exec(html)![1]).toContain(AUTHORITY[lang]);
      const feed = decode(await (await get(`/${lang}/feed.atom`)).text());
      expect(feed).toContain(`<author><name>${AUTHORITY[lang]}</name></author>`);
      expect(html).toContain(`href="/${lang}/methodology"`);
    }
    const json = (await (await get('/api/v1/status')).json()) as { operations: { publisher: unknown }[] };
    expect(json.operations[0]!.publisher).toEqual({ names: AUTHORITY, url: null });
  });
});

describe('help and contacts', () => {
  it('shows nothing invented while the seed has none: no block, no contact in the JSON', async () => {
    for (const lang of LANGUAGES) {
      const html = await page(lang);
      expect(section(html, 'help')).toBe('');
      expect(html).not.toMatch(/href="tel:/);
    }
    const json = (await (await get('/api/v1/status')).json()) as { operations: { contacts: unknown[] }[] };
    expect(json.operations[0]!.contacts).toEqual([]);
  });

  it('lists the items, registration first, missions by country, right after the headline', async () => {
    const db = database.db;
    const now = new Date();
    const base = { address: null, hours: null, email: null, url: null, phone: null, published: true };
    await createContact(
      { db, now },
      {
        operationId,
        actor,
        fields: {
          ...base,
          kind: 'hotline',
          countryCode: null,
          names: { en: 'Consular hotline (example)', ru: 'Горячая линия (пример)', kk: 'Жедел желі (мысал)' },
          phone: '+7 000 000 00 00',
          hours: { en: '24 hours', ru: 'круглосуточно', kk: 'тәулік бойы' },
          checkedOn: '2026-03-03',
          position: 1,
        },
      },
    );
    await createContact(
      { db, now },
      {
        operationId,
        actor,
        fields: {
          ...base,
          kind: 'embassy',
          countryCode: 'OM',
          names: { en: 'Embassy in Muscat (example)' }, // no ru/kk: shown in English, marked
          phone: '+968 0000 0000',
          checkedOn: '2026-03-02',
          position: 2,
        },
      },
    );
    await createContact(
      { db, now },
      {
        operationId,
        actor,
        fields: {
          ...base,
          kind: 'registration',
          countryCode: null,
          names: { en: 'Register a citizen (example)', ru: 'Регистрация (пример)', kk: 'Тіркеу (мысал)' },
          url: 'https://example.org/register',
          checkedOn: '2026-03-03',
          position: 3,
        },
      },
    );
    await createContact(
      { db, now },
      {
        operationId,
        actor,
        fields: {
          ...base,
          kind: 'hotline',
          countryCode: null,
          names: { en: 'Withdrawn line' },
          phone: '+7 111 111 11 11',
          checkedOn: '2026-03-01',
          position: 4,
          published: false,
        },
      },
    );
    const words = {
      en: { title: 'Help and contacts', checked: 'Checked on 3 March 2026', oman: 'Oman', mark: '' },
      ru: {
        title: 'Помощь и контакты',
        checked: 'Проверено 3 марта 2026',
        oman: 'Оман',
        mark: '(на английском)',
      },
      kk: {
        title: 'Көмек және байланыс',
        checked: 'Тексерілген күні: 2026 ж. 3 наурыз',
        oman: 'Оман',
        mark: '(ағылшынша)',
      },
    } as const;
    for (const lang of LANGUAGES) {
      // The saves signal the change; the page shows it once the last save's signal has
      // arrived (a build between two saves already has a help block, with fewer items).
      const html = await waitForValue(
        `the ${lang} page with its help block`,
        () => page(lang),
        (h) => h.includes('<section class="help"') && h.includes('https://example.org/register'),
      );
      const help = decode(section(html, 'help'));
      expect(help, lang).toContain(words[lang].title);
      // First after the headline: nothing but the headline's section comes before it.
      const afterHeadline = html.indexOf('</dl>');
      expect(html.indexOf('<section class="help"')).toBeGreaterThan(afterHeadline);
      expect(html.slice(afterHeadline, html.indexOf('<section class="help"'))).not.toContain('<section');
      expect(help).toContain('href="tel:+70000000000"');
      expect(help).toContain('href="https://example.org/register"');
      expect(help.indexOf('register')).toBeLessThan(help.indexOf('tel:+7000'));
      expect(help.indexOf('tel:+7000')).toBeLessThan(help.indexOf('tel:+968'));
      expect(help).toContain(`<h4>${words[lang].oman}</h4>`);
      expect(help).toContain(words[lang].checked);
      expect(help).not.toContain('Withdrawn line');
      if (lang !== 'en')
        expect(help).toContain(
          `<span lang="en">Embassy in Muscat (example)</span> <small class="lm">${words[lang].mark}</small>`,
        );
      else expect(help).toContain('<strong>Embassy in Muscat (example)</strong>');
    }
    const json = (await (await get('/api/v1/status')).json()) as {
      operations: { contacts: { kind: string }[] }[];
    };
    expect(json.operations[0]!.contacts.map((c) => c.kind)).toEqual(['hotline', 'embassy', 'registration']);
  });
});

describe('the daily email sign-up', () => {
  it('follows the help block and offers every route as a checkbox on the page itself', async () => {
    for (const lang of LANGUAGES) {
      const html = await page(lang);
      const form = html.slice(
        html.indexOf(`<form method="post" action="/${lang}/subscribe"`),
        html.indexOf('</form>'),
      );
      // Posted under the page's language, so the answer is in it.
      expect(html.indexOf(`action="/${lang}/subscribe"`)).toBeGreaterThan(
        html.indexOf('<section class="help"'),
      );
      expect(html.indexOf(`action="/${lang}/subscribe"`)).toBeLessThan(html.indexOf('<section class="map"'));
      expect(form).toContain('name="operation" value="middle-east-2026"');
      expect([...form.matchAll(/type="checkbox" name="routes" value="\d+"/g)]).toHaveLength(6);
      expect(form).toMatch(new RegExp(`<option value="${lang}" lang="${lang}" selected>`));
    }
  });

  it('accepts chosen routes straight from the page: no second page', async () => {
    const html = await page('en');
    const ids = [...html.matchAll(/name="routes" value="(\d+)"/g)].map((m) => m[1]!);
    const body = new URLSearchParams([
      ['operation', 'middle-east-2026'],
      ['email', 'page-form@example.org'],
      ['lang', 'ru'],
      ['scope', 'chosen'],
      ['routes', ids[0]!],
      ['routes', ids[2]!],
    ]);
    const res = await fetch(`${server.url}/en/subscribe`, {
      method: 'POST',
      body,
      headers: { 'x-forwarded-for': '10.9.9.9' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('name="routes"'); // the "check your inbox" message
  });
});

describe('the map of the corridors', () => {
  it('is well-formed inline SVG whose text alternative names every route, in each language', async () => {
    for (const lang of LANGUAGES) {
      const html = await page(lang);
      const map = section(html, 'map');
      const svg = map.slice(map.indexOf('<svg xmlns'), map.indexOf('</svg>') + 6);
      assertWellFormedXml(svg);
      expect(svg).toMatch(/<title id="[^"]+">/);
      expect(svg).not.toMatch(/<script|href=|url\(/); // nothing runs, nothing is fetched
      const text = decode(map.slice(map.indexOf('<details class="map-text"')));
      for (const name of ROUTES[lang]) expect(text, `${lang}: ${name}`).toContain(name);
      // Every place of the seed has coordinates: all drawn, labelled in the reader's language.
      expect(decode(svg)).toContain(lang === 'en' ? '>Jeddah<' : lang === 'ru' ? '>Джидда<' : '>Жидда<');
      expect(text).not.toContain({ en: 'Not on the map', ru: 'Не на карте', kk: 'Картада жоқ' }[lang]);
    }
    const en = section(await page('en'), 'map');
    // Progress: the Oman bus is under way, the Jeddah leg not started, the FlyDubai flights completed.
    expect(en).toContain('class="leg p-moving"');
    expect(en).toContain('class="leg p-planned"');
    expect(en).toContain('class="leg p-done air"');
    expect(decode(en)).toContain('Dubai → Oman, bus, under way, crossing status not reported');
    // Under 15 KB compressed, by itself.
    const { gzipSync } = await import('node:zlib');
    expect(gzipSync(en).length).toBeLessThan(15_000);
  });

  it('still renders with places without coordinates: a country at its centroid, a city listed as not on the map', async () => {
    const db = database.db;
    const saved = await db.select().from(places);
    try {
      await db.update(places).set({ latitude: null, longitude: null }).where(eq(places.slug, 'jeddah'));
      await db.update(places).set({ latitude: null, longitude: null }).where(eq(places.slug, 'oman'));
      await changed();
      const map = decode(section(await page('en'), 'map'));
      expect(map).toContain('<svg xmlns');
      expect(map).toContain('>Oman<'); // drawn at the centroid of its Natural Earth outline
      expect(map).not.toContain('>Jeddah<');
      expect(map).toContain('Not on the map (no coordinates yet): Jeddah');
      expect(map).toContain('Qatar → Riyadh → Jeddah → Kazakhstan:');

      // No coordinates at all: the countries still stand at their centroids, no city is drawn.
      await db.update(places).set({ latitude: null, longitude: null });
      await changed();
      const none = decode(section(await page('ru'), 'map'));
      expect(none).toContain('>Казахстан<');
      expect(none).not.toContain('>Дубай<');
      expect(none).toContain('Не на карте (нет координат): Дубай, Эр-Рияд, Джидда, Алматы, Астана');
    } finally {
      for (const p of saved)
        await db
          .update(places)
          .set({ latitude: p.latitude, longitude: p.longitude })
          .where(eq(places.id, p.id));
      await changed();
    }
  });
});

describe('route cards', () => {
  it('are one line each, the three Iran routes in one card, each with its anchor', async () => {
    for (const lang of LANGUAGES) {
      const routes = decode(section(await page(lang), 'routes'));
      expect([...routes.matchAll(/<details class="route/g)]).toHaveLength(4);
      const group = routes.slice(routes.indexOf('<details class="route group"'));
      expect(group).toContain(
        {
          en: 'Iran → Armenia, Azerbaijan or Turkmenistan',
          ru: 'Иран → Армения, Азербайджан или Туркменистан',
          kk: 'Иран → Армения, Әзербайжан, не болмаса Түрікменстан',
        }[lang],
      );
      // Every route keeps its anchor (#route-<id>), grouped or not: the six seeded routes.
      expect(new Set([...routes.matchAll(/id="(route-\d+)"/g)].map((m) => m[1])).size).toBe(6);
      expect(routes).not.toMatch(/<details class="route[^"]*" open/);
    }
  });
});

describe('how these figures are made', () => {
  it('is its own page in each language, with the operation’s threshold, zone and sources', async () => {
    const titles = {
      en: 'How these figures are made',
      ru: 'Как составлены эти данные',
      kk: 'Бұл деректер қалай жасалады',
    };
    for (const lang of LANGUAGES) {
      const res = await get(`/${lang}/methodology`);
      expect(res.status).toBe(200);
      const html = decode(await res.text());
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(`<h1>${titles[lang]}</h1>`);
      expect(html).toContain('(GMT+5)'); // the zone, as a reader names it, with its offset
      expect(html).toContain('Zakon.kz');
      expect(html).toContain(AUTHORITY[lang]);
      expect(decode(await page(lang))).toContain(`href="/${lang}/methodology">${titles[lang]}</a>`);
    }
  });
});

describe('size', () => {
  it('stays under 50 KB compressed on the seed, with no script', async () => {
    for (const lang of LANGUAGES) {
      const res = await rawGet(`/${lang}/`, { 'accept-encoding': 'gzip' });
      const gz = res.body;
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(gz.length).toBeLessThan(50_000);
      expect(gunzipSync(gz).toString()).not.toMatch(/<script/i);
    }
  });
});
