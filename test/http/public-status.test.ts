// The public outputs over HTTP: content, languages, plurals, the privacy rules,
// validators and 304, JSON / Atom / CSV, escaping, size.
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { notices, operations } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { createTestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { ACCEPT_LANGUAGE_TABLE } from '../support/accept-language.ts';
import { assertWellFormedXml } from './public-xml.ts';
import { t } from '../../src/i18n/index.ts';

let server: TestServer;
let movementId: number;
let movementVersion: number;
let routeSlug: string;
const NAME = 'Op Public Test';
// The undeparted convoys' departure time must never show. The page legitimately shows the
// wall-clock time at which the fixtures were recorded, so a fixed secret such as 14:30 would
// collide with it once a day (CI once ran at 09:30 UTC): the secret hour is twelve hours away
// from now, at a minute (:17) no fixed fixture time uses.
const SECRET_DEPARTURE = new Date(Date.UTC(2026, 2, 9, (new Date().getUTCHours() + 12) % 24, 17));
const SECRET_LOCAL_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Almaty',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
}).format(SECRET_DEPARTURE);
const SECRET_UTC_TIME = SECRET_DEPARTURE.toISOString().slice(0, 16); // 2026-03-09T..:17

beforeAll(async () => {
  const database = await createTestDatabase();
  const db = database.db;
  const op = await makeOperation(db, {
    names: { en: NAME, ru: 'Операция тест', kk: 'Операция сынақ' },
    staleAfterHours: 21,
  });
  const source = await makeSource(db, { outlet: 'Consular briefing', title: 'Briefing of 5 March' });
  const { route } = await makeRoute(
    db,
    op.id,
    {
      names: { en: 'Aktau ferry', ru: 'Паром в Актау', kk: 'Ақтауға паром' },
      sourceId: source.id,
      position: 1,
    },
    2,
  );
  const m = await makeMovement(
    db,
    route.id,
    {
      label: 'Ferry one',
      status: 'arrived',
      departedAt: new Date('2026-03-04T05:00:00Z'),
      arrivedAt: new Date('2026-03-04T16:00:00Z'),
      sourceId: source.id,
    },
    counts({
      departed: { total: 120, over60: 3, womenChildren: 40, medical: 17 },
      arrived: { total: 120, over60: 3, womenChildren: 40, medical: 17 },
    }),
  );
  movementId = m.id;
  routeSlug = route.slug;
  movementVersion = m.version;
  // Not departed: only its route and date may show.
  for (const label of ['Secret convoy A', 'Secret convoy B', 'Secret convoy C']) {
    await makeMovement(
      db,
      route.id,
      {
        label,
        kind: 'convoy',
        status: 'boarding',
        scheduledDate: '2026-03-09',
        scheduledDepartureAt: SECRET_DEPARTURE,
        meetingPoint: 'Hotel Caspian car park',
        publicNote: `Meet at ${SECRET_LOCAL_TIME} sharp`,
        staffNote: 'STAFF-ONLY driver phone',
      },
      counts({ registered: { total: 40 } }),
    );
  }
  const hostile = await makeRoute(db, op.id, {
    names: { en: '<script>alert("x")</script> & co' },
    position: 2,
  });
  await makeMovement(
    db,
    hostile.route.id,
    { label: '<img src=x onerror=alert(1)>', status: 'departed' },
    counts({ departed: { total: 50 } }),
  );
  await db.insert(notices).values({
    operationId: op.id,
    bodies: {
      en: 'Hotline +7 7172 00 00 00',
      ru: 'Горячая линия +7 7172 00 00 00',
      kk: 'Жедел желі +7 7172 00 00 00',
    },
  });
  // An operation that is not public never shows.
  await makeOperation(db, { names: { en: 'Hidden operation' }, isPublic: false });
  await db.update(operations).set({ updatedAt: new Date() }).where(eq(operations.id, op.id));
  // 22 hours on: every route is past the 21-hour stale threshold.
  server = await startTestServer(database, { clock: fixedClock(new Date(Date.now() + 22 * 3_600_000)) });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });
const text = async (path: string, headers: Record<string, string> = {}) => (await get(path, headers)).text();
/** Visible text of a page, without tags and markup. */
const visible = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('the page', () => {
  it('marks a departure whose day has passed without news, in every language and in the JSON', async () => {
    // The convoys were due on 9 March 2026; the test clock is today.
    expect(visible(await text('/en/'))).toContain('Next departure 9 March 2026 date passed, no update yet');
    expect(visible(await text('/ru/'))).toContain('дата прошла, обновлений пока нет');
    expect(visible(await text('/kk/'))).toContain('күні өтті, әзірге жаңарту жоқ');
    const json = (await (await get('/api/v1/status')).json()) as {
      operations: { nextDepartures: { date: string; overdue: boolean }[] }[];
    };
    const departures = json.operations.flatMap((o) => o.nextDepartures);
    expect(departures.length).toBeGreaterThan(0);
    for (const d of departures) expect(d).toMatchObject({ date: '2026-03-09', overdue: true });
  });

  it('marks that date passed on the route card and the route page as the headline does (one flag)', async () => {
    const state = /<span class="r-state st-next">([^<]*)<span class="overdue">\(([^)<]*)\)<\/span><\/span>/;
    for (const lang of ['en', 'ru', 'kk'] as const) {
      const flag = t(lang, 'next.overdue');
      for (const path of [`/${lang}/`, `/${lang}/routes/${routeSlug}`]) {
        const html = await text(path);
        const card = html.match(state);
        expect(card?.[2], path).toBe(flag);
        expect(card?.[1], path).toContain(t(lang, 'route.state.next', { date: '' }).trim());
        // Each not-yet-public convoy of that day says so on its row, too.
        const rows = [...html.matchAll(/<tr id="[^"]*" class="upcoming">[\s\S]*?<\/tr>/g)].map((r) => r[0]);
        expect(rows.length, path).toBeGreaterThan(0);
        for (const row of rows) expect(row).toContain(`<span class="overdue">(${flag})</span>`);
      }
    }
  });

  it('shows totals, groups, routes with diagrams, movements, sources and notices', async () => {
    const html = await text('/en/');
    expect(html).toContain(NAME);
    expect(html).not.toContain('Hidden operation');
    const words = visible(html);
    expect(words).toContain('Arrived home');
    expect(words).toContain('Registered and waiting');
    expect(words).toMatch(/Next departure 9 March 2026/);
    expect(words).toContain('Aktau ferry');
    expect(words).toContain('Ferry one');
    expect(words).toContain('Consular briefing');
    expect(words).toMatch(/Hotline \+7 7172 00 00 00/);
    expect(html).toMatch(/<svg class="route"[^>]*role="img"/);
    expect(html).toMatch(/<svg class="chart"/);
    expect(html).toMatch(/<table class="days">/);
    expect(words).toContain('Bus');
    expect(words).toContain('Over 60');
    expect(html).not.toMatch(/<script/i);
  });

  it('marks a route with no update within the threshold as stale, with the right plural', async () => {
    expect(visible(await text('/en/'))).toContain('Not updated for more than 21 hours');
    // Russian: 21 takes the "one" form (21 часа).
    expect(visible(await text('/ru/'))).toContain('Не обновлялось более 21 часа');
    expect(visible(await text('/kk/'))).toContain('21 сағаттан астам жаңартылмаған');
  });

  it('uses plural forms for the count of further departures', async () => {
    // Three upcoming convoys: the first is the headline, "and 2 more".
    expect(visible(await text('/en/'))).toContain('and 2 more departures');
    expect(visible(await text('/ru/'))).toContain('и ещё 2 выезда');
  });

  it('formats numbers and dates in each language', async () => {
    expect(visible(await text('/ru/'))).toContain('9 марта 2026');
    expect(visible(await text('/kk/'))).toContain('2026 ж. 9 наурыз');
  });
});

describe('languages', () => {
  it('has one URL per language: a switcher of plain links, hreflang alternates, no cookie', async () => {
    const res = await get('/ru/', { cookie: 'lang=kk' });
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    const html = await res.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toMatch(/<nav aria-label="Язык"/);
    expect(html).toMatch(/href="\/kk\/" hreflang="kk"/);
    expect(html).toMatch(/href="\/ru\/"[^>]*aria-current="page"/);
    for (const l of ['kk', 'ru', 'en'])
      expect(html).toContain(`<link rel="alternate" hreflang="${l}" href="http://corridor.test/${l}/">`);
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="http://corridor.test/">');
  });

  it('sends / to the language Accept-Language prefers, q-values weighed; a cookie changes nothing', async () => {
    for (const [header, lang] of ACCEPT_LANGUAGE_TABLE) {
      const res = await fetch(`${server.url}/`, {
        redirect: 'manual',
        headers: { cookie: 'lang=kk', ...(header === undefined ? {} : { 'accept-language': header }) },
      });
      expect(res.status, header).toBe(302);
      expect(res.headers.get('location'), header).toBe(`/${lang}/`);
      expect(res.headers.get('vary')).toBe('Accept-Language');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('moves the old ?lang= URLs for good, and /ru to /ru/', async () => {
    for (const [from, to] of [
      ['/?lang=ru', '/ru/'],
      ['/?utm_source=tv&lang=kk', '/kk/'],
      ['/feed.atom?lang=en', '/en/feed.atom'],
      ['/status.csv?lang=ru', '/ru/status.csv'],
      ['/kk', '/kk/'],
    ]) {
      const res = await fetch(`${server.url}${from}`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')], from).toEqual([301, to]);
    }
    // An unknown ?lang= is no choice: negotiated.
    const res = await fetch(`${server.url}/?lang=de`, {
      redirect: 'manual',
      headers: { 'accept-language': 'ru' },
    });
    expect([res.status, res.headers.get('location')]).toEqual([302, '/ru/']);
  });
});

describe('privacy', () => {
  it('shows a group of 3 as "fewer than 5" and never as 3, on every output', async () => {
    const html = await text('/en/');
    const over60 = html.match(/<th scope="row">Over 60<\/th>([\s\S]*?)<\/tr>/)![1]!;
    expect(visible(over60)).toContain('fewer than 5');
    const cells = [...html.matchAll(/<td class="num[^"]*"[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!.trim());
    expect(cells).not.toContain('3');
    expect(cells).toContain('withheld');
    expect(visible(await text('/ru/'))).toContain('менее 5');
    const json = await text('/api/v1/status');
    expect(json).not.toMatch(/"value": ?3\b/);
    const csv = await text('/status.csv');
    expect(csv.split('\r\n').find((l) => l.includes(',over60,,departed,'))).toContain('fewer_than_5');
    expect(csv).not.toMatch(/,3,value,/);
  });

  it('shows an undeparted movement with its route and date only: no label, time, meeting point or note', async () => {
    for (const path of ['/en/', '/ru/', '/api/v1/status', '/en/feed.atom', '/en/status.csv']) {
      const body = await text(path);
      const secrets = [
        'Secret convoy',
        'Hotel Caspian',
        SECRET_LOCAL_TIME,
        SECRET_UTC_TIME,
        'Meet at',
        'STAFF-ONLY',
      ];
      for (const secret of secrets) {
        expect(body, `${path} leaks "${secret}"`).not.toContain(secret);
      }
    }
    expect(visible(await text('/en/'))).toContain('Details are published after departure.');
  });

  it('escapes a script in a route or movement name on the page and in the feed', async () => {
    const html = await text('/en/');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    const atom = await text('/en/feed.atom');
    expect(atom).toContain('&lt;script&gt;');
    expect(atom).not.toContain('<script>');
    assertWellFormedXml(atom);
  });
});

describe('validators and caching', () => {
  it('answers with ETag, Last-Modified and a shared-cache Cache-Control, and 304 on revalidation', async () => {
    const res = await get('/en/');
    const etag = res.headers.get('etag')!;
    const lastModified = res.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(Date.parse(lastModified)).not.toBeNaN();
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+, stale-while-revalidate=\d+/);
    const byTag = await get('/en/', { 'if-none-match': etag });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    const byDate = await get('/en/', {
      'if-modified-since': lastModified,
      'accept-encoding': 'identity',
    });
    expect(byDate.status).toBe(304);
    const other = await get('/en/', { 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
  });

  it('compresses once: brotli and gzip decode to the same page, under 50 KB', async () => {
    const plain = await fetch(`${server.url}/kk/`, { headers: { 'accept-encoding': 'identity' } });
    const identity = Buffer.from(await plain.arrayBuffer());
    for (const [enc, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      const raw = await rawGet('/kk/', { 'accept-encoding': enc });
      expect(raw.headers['content-encoding']).toBe(enc);
      expect(raw.body.length).toBeLessThan(50 * 1024);
      expect(decode(raw.body).equals(identity)).toBe(true);
    }
  });

  it('makes no external requests and loads no fonts, scripts or stylesheets', async () => {
    const html = await text('/en/');
    expect(html).not.toMatch(/<script|<link[^>]+stylesheet|@font-face|@import|src="https?:/i);
  });

  it('shows a saved change at once (the change signal drops the cached copy)', async () => {
    const before = await get('/en/');
    const etag = before.headers.get('etag')!;
    const saved = await updateMovementCounts(
      { db: server.deps.database.db },
      {
        movementId,
        expectedVersion: movementVersion,
        counts: counts({ departed: { total: 1234 }, arrived: { total: 1200 } }),
        reason: 'test',
        sourceId: null,
        actor: { id: null, label: 'test' },
      },
    );
    movementVersion = saved.version;
    await expect
      .poll(async () => visible(await text('/en/')), { timeout: 1000, interval: 20 })
      .toContain('1,200');
    const after = await get('/en/', { 'if-none-match': etag });
    expect(after.status).toBe(200);
  });
});

describe('machine-readable outputs', () => {
  it('GET /api/v1/status is versioned JSON with suppressed figures marked', async () => {
    const res = await get('/api/v1/status');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as {
      version: number;
      degraded: boolean;
      operations: {
        slug: string;
        totals: Record<string, { status: string; value: number | null }>;
        routes: { movements: { published: boolean; label?: string }[] }[];
      }[];
    };
    expect(body.version).toBe(1);
    expect(body.degraded).toBe(false);
    const op = body.operations.find((o) => o.totals.arrived)!;
    expect(op.totals.arrived).toMatchObject({ status: 'value' });
    const movements = op.routes.flatMap((r) => r.movements);
    expect(movements.filter((m) => !m.published)).toHaveLength(3);
    expect(movements.filter((m) => !m.published).every((m) => m.label === undefined)).toBe(true);
    expect((await get('/api/v1/status', { 'if-none-match': res.headers.get('etag')! })).status).toBe(304);
  });

  it('/feed.atom is well-formed Atom with the required elements', async () => {
    const res = await get('/ru/feed.atom');
    expect(res.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const atom = await res.text();
    assertWellFormedXml(atom);
    expect(atom).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="ru">/,
    );
    const feedHead = atom.slice(0, atom.indexOf('<entry'));
    for (const el of ['<title type="text">', '<id>tag:', '<updated>', '<author><name>', '<link rel="self"'])
      expect(feedHead).toContain(el);
    const entries = atom.split('<entry xml:lang="ru">').slice(1);
    expect(entries.length).toBeGreaterThan(2);
    for (const e of entries) {
      // An event (movement/7/departed, route/3/leg/2/crossing, notice/1) or a route (route/3).
      expect(e).toMatch(/<id>tag:corridor\.localhost,2026:(route|movement|notice)\/\d+(\/[a-z0-9/]+)?<\/id>/);
      // Plain text, or XHTML whose foreign runs carry their language (an untranslated label).
      expect(e).toMatch(
        /<title type="text"( xml:lang="en")?>[^<]+<\/title>|<title type="xhtml"><div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">.*<span xml:lang="en" lang="en">[^<]+<\/span>.*<\/div><\/title>/,
      );
      expect(e).toMatch(
        /<link rel="alternate" type="text\/html" href="http:\/\/corridor\.test\/ru\/(routes\/[a-z0-9-]+)?#(route|movement|notice)-\d+"\/>/,
      );
      expect(e).toMatch(/<updated>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z<\/updated>/);
    }
  });

  it('/{lang}/status.csv has a byte-order mark, one header and a row per figure with its sources', async () => {
    const res = await get('/ru/status.csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const body = Buffer.from(await res.arrayBuffer()).toString('utf8');
    expect(body.startsWith('\uFEFF')).toBe(true);
    const lines = body.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      'level,operation,operation_name,route,route_name,movement,movement_lang,group,date,stage,value,status,stale,updated_at,sources',
    );
    const ferry = lines.find((l) => l.startsWith('movement,') && l.includes('Ferry one'))!;
    expect(ferry).toContain('Паром в Актау');
    expect(ferry).toContain('Consular briefing');
    // A hostile name cannot turn into a spreadsheet formula.
    expect(lines.every((l) => l.split(',').every((c) => !/^[=+@]/.test(c)))).toBe(true);
  });

  it('/status.hxl.csv has an HXL hashtag row and the stages side by side', async () => {
    const body = (await text('/status.hxl.csv')).replace(/^\uFEFF/, '');
    const [header, tags, ...rows] = body.trim().split('\r\n');
    expect(header!.split(',')).toHaveLength(tags!.split(',').length);
    expect(tags!.split(',').every((t) => /^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/.test(t))).toBe(true);
    expect(tags).toContain('#affected+arrived');
    expect(tags).toContain('#date');
    expect(tags).toContain('#activity+name+i_ru');
    expect(rows.some((r) => r.startsWith('movement,') && r.includes('Паром в Актау'))).toBe(true);
    // The operation row adds up: nobody on a movement that left without a departed figure is lost.
    const columns = header!.split(',');
    const cells = (row: string) =>
      [...row.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]!).slice(0, columns.length);
    const operation = Object.fromEntries(
      cells(rows.find((r) => r.startsWith('operation,'))!).map((v, i) => [columns[i]!, v]),
    );
    expect(tags).toContain('#affected+stage_not_reported');
    const parts = ['waiting', 'departed', 'stage_not_reported'];
    for (const c of ['registered', ...parts]) expect(operation[`${c}_status`], c).toBe('value');
    expect(Number(operation.registered)).toBe(parts.reduce((sum, c) => sum + Number(operation[c]), 0));
  });
});

/** A request that keeps the encoded bytes (fetch would decode them). */
async function rawGet(path: string, headers: Record<string, string>) {
  const http = await import('node:http');
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(`${server.url}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    },
  );
}
