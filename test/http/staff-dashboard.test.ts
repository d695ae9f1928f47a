// The staff dashboard at scale, over HTTP: attention items first (capped, the
// rest one link away), every route on one line, then one page of movements
// filtered by route and status from a GET form, with plain page links; bad
// filters refused with stable codes; and a public build the disclosure audit
// refused shown as the first attention item until a build passes again.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createMetrics } from '../../src/metrics.ts';
import { silentLogger } from '../../src/log.ts';
import { createPublicCache } from '../../src/public/cache.ts';
import { inlineProjector, type Projector } from '../../src/public/projector.ts';
import { publicRenderer } from '../../src/public/render.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import { createRenderer } from '../../src/views.ts';
import { t } from '../../src/i18n/index.ts';
import { formatDateTime } from '../../src/presenters/format.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';
import { signIn } from '../support/staff.ts';

/** Inline projections; while `refuse` is set, the audit's verdict is "refused" for every operation. */
function switchableProjector() {
  const inner = inlineProjector();
  const control = { refuse: false };
  const projector: Projector = {
    async project(input) {
      const p = await inner.project(input);
      if (!control.refuse) return p;
      const operations = p.disclosure.operations.map((o) => ({
        ...o,
        ok: false,
        failures: ['m1.arrived=4 (test)'],
      }));
      return { ...p, disclosure: { ...p.disclosure, ok: false, operations } };
    },
    close: () => inner.close(),
  };
  return { projector, control };
}

let server: TestServer;
let viewer: Awaited<ReturnType<typeof signIn>>;
const switchable = switchableProjector();
const EN = { headers: { 'accept-language': 'en' } };
/** How long a build may take on a busy machine. */
const BUILT = { timeout: 15_000, interval: 20 };
/** The public cache's clock: the system's, moved on by the test where it needs a later instant. */
let ahead = 0;
const cacheClock: Clock = { now: () => new Date(systemClock.now().getTime() + ahead) };

beforeAll(async () => {
  const database = await createTestDatabase();
  const renderer = createRenderer();
  const publicCache = createPublicCache({
    database,
    clock: cacheClock,
    logger: silentLogger,
    metrics: createMetrics(),
    render: publicRenderer({ renderer, baseUrl: 'http://corridor.test' }),
    projector: switchable.projector,
  });
  await publicCache.start();
  server = await startTestServer(database, { deps: { renderer, publicCache } });
});

const db = () => server.deps.database.db;
const page = async (path: string) => {
  const res = await viewer.get(path, EN);
  return { status: res.status, html: await res.text() };
};
const lines = (html: string) => html.match(/class="movement-line"/g)?.length ?? 0;
const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&').replaceAll('&#x3D;', '='));
/** Labels in every language: no "needs translation" item. */
const labels = (label: string) => ({ label, labels: { en: label, ru: label, kk: label } });

describe('dashboard at scale', () => {
  let routeA: number;
  let routeB: number;
  let opId: number;
  let timeZone: string;

  beforeAll(async () => {
    const op = await makeOperation(db(), { publicationDelayMinutes: 0 });
    opId = op.id;
    timeZone = op.timeZone;
    routeA = (await makeRoute(db(), op.id)).route.id;
    routeB = (await makeRoute(db(), op.id)).route.id;
    // Route A: 95 departed, 25 still planned two days past their date (attention items).
    for (let i = 0; i < 95; i++)
      await makeMovement(
        db(),
        routeA,
        { status: 'departed', ...labels(`A-dep-${i}`) },
        counts({ registered: { total: 30 }, departed: { total: 30 } }),
      );
    for (let i = 0; i < 25; i++)
      await makeMovement(db(), routeA, {
        status: 'planned',
        ...labels(`A-late-${i}`),
        scheduledDate: '2026-03-01',
      });
    // Route B: 5 arrived.
    for (let i = 0; i < 5; i++)
      await makeMovement(
        db(),
        routeB,
        { status: 'arrived', ...labels(`B-arr-${i}`) },
        counts({ registered: { total: 20 }, departed: { total: 20 }, arrived: { total: 20 } }),
      );
    // Signed in after the long set-up: an idle keep-alive connection may have been closed meanwhile.
    viewer = await signIn(server, 'viewer');
  });

  it('opens with attention first, capped, then the first page of 50 with a link to the next', async () => {
    const { status, html } = await page('/staff/');
    expect(status).toBe(200);
    const attention = html.indexOf(`id="attention-${opId}"`);
    expect(attention).toBeGreaterThan(0);
    expect(attention).toBeLessThan(html.indexOf('id="movements"'));
    // 26 items (25 late, no public contacts): 20 listed, then one line leading to the movements.
    const list = html.slice(html.indexOf('<ul class="attention">'), html.indexOf('</ul>', attention));
    expect(list.match(/<li>/g)).toHaveLength(20);
    expect(list).toContain('<li class="more">');
    expect(hrefs(list).at(-1)).toBe('/staff/?status=attention#movements');
    expect(list).toContain(t('en', 'ws.attention.more', { count: 6 }));
    expect(lines(html)).toBe(50);
    expect(hrefs(html)).toContain('/staff/?page=2#movements');
    expect(html).toContain(t('en', 'ws.dashboard.page', { page: 1, pages: 3 }));
    // Each route on one line, linking to its movements and to those needing attention.
    expect(hrefs(html)).toContain(`/staff/?route=${routeA}#movements`);
    expect(hrefs(html)).toContain(`/staff/?route=${routeA}&status=attention#movements`);
    expect(html).toMatch(/<form class="inline" method="get" action="\/staff\/#movements">/);
  });

  it('pages with plain links, the last page past the end', async () => {
    const third = await page('/staff/?page=3');
    expect(lines(third.html)).toBe(25);
    expect(hrefs(third.html)).toContain('/staff/?page=2#movements');
    expect(hrefs(third.html)).not.toContain('/staff/?page=4#movements');
    const beyond = await page('/staff/?page=99');
    expect(beyond.status).toBe(200);
    expect(lines(beyond.html)).toBe(25);
  });

  it('filters by route, by status, by both, and by "needs attention", keeping the filters in the page links', async () => {
    const b = await page(`/staff/?route=${routeB}`);
    expect(lines(b.html)).toBe(5);
    expect(b.html).not.toContain('A-dep-');
    expect(b.html).toContain(`<option value="${routeB}" selected>`);

    const planned = await page('/staff/?status=planned');
    expect(lines(planned.html)).toBe(25);
    expect(planned.html).toContain('<option value="planned" selected>');

    const none = await page(`/staff/?route=${routeB}&status=planned`);
    expect(lines(none.html)).toBe(0);
    expect(none.html).toContain(t('en', 'ws.dashboard.count', { total: 0, from: '0', to: '0' }));

    const flagged = await page('/staff/?status=attention');
    expect(lines(flagged.html)).toBe(25);
    expect(flagged.html).not.toContain('A-dep-');
    // Each line carries its own attention note.
    expect(flagged.html.match(/class="note"/g)?.length).toBe(25);

    const departed = await page(`/staff/?route=${routeA}&status=departed&page=2`);
    expect(lines(departed.html)).toBe(45);
    expect(hrefs(departed.html)).toContain(`/staff/?route=${routeA}&status=departed#movements`);
    // Empty form fields (the form's "all") are no filter.
    expect(lines((await page('/staff/?route=&status=&page=')).html)).toBe(50);
  });

  it('refuses a malformed filter with 400 and an unknown route with 404', async () => {
    expect((await page('/staff/?status=lost')).status).toBe(400);
    expect((await page('/staff/?route=abc')).status).toBe(400);
    expect((await page('/staff/?page=0')).status).toBe(400);
    expect((await page('/staff/?route=99999999')).status).toBe(404);
    // Decimal digits only: what z.coerce.number() read as numbers is malformed too.
    for (const n of ['0x10', '0b1', '1e0', '+1', '1.0', 'Infinity', '1,2'])
      for (const name of ['page', 'route']) {
        const res = await page(`/staff/?${name}=${encodeURIComponent(n)}`);
        expect(res.status, `${name}=${n}`).toBe(400);
      }
    expect((await page('/staff/?page=1&page=2')).status).toBe(400);
    expect((await page('/staff/?page=2')).status).toBe(200);
  });

  it('shows a public build the disclosure audit refused as the first attention item, until one passes', async () => {
    const before = await page('/staff/');
    const refused = t('en', 'ws.attention.public_not_updated', { since: '' }).slice(0, 30);
    expect(before.html).not.toContain(refused);
    expect((await fetch(`${server.url}/en/`)).status).toBe(200); // a good build: the last safe copy

    switchable.control.refuse = true;
    server.deps.publicCache!.invalidate();
    expect((await fetch(`${server.url}/en/`)).status).toBe(200); // still answered, from the safe copy
    // The fetch may be answered from the copy while the build runs (a busy machine: CI once
    // asserted before it had ended): wait for the build's verdict, not for the answer.
    const cache = server.deps.publicCache!;
    const first = await vi.waitFor(
      () => cache.refusal() ?? Promise.reject(new Error('not refused yet')),
      BUILT,
    );
    expect(first.operations.map((o) => o.operationId)).toEqual([opId]);
    // A second refused build in a row: the refusal is as old as the first.
    ahead += 1_000;
    server.deps.publicCache!.invalidate();
    expect((await fetch(`${server.url}/en/`)).status).toBe(200);
    const refusal = await vi.waitFor(() => {
      const r = cache.refusal();
      if (!r || r.at.getTime() <= first.at.getTime()) throw new Error('second build not refused yet');
      return r;
    }, BUILT);
    expect(refusal.since).toEqual(first.at);

    const during = await page('/staff/');
    const item = /<ul class="attention"><li><a href="([^"]+)">([^<]+)<\/a>/.exec(during.html);
    expect(item?.[1]).toBe(`/staff/operations/${opId}`);
    expect(item?.[2]).toContain(refused);
    // Since the first refused build, in the operation's time zone.
    expect(item?.[2]).toContain(formatDateTime('en', refusal.since, timeZone));

    switchable.control.refuse = false;
    server.deps.publicCache!.invalidate();
    expect((await fetch(`${server.url}/en/`)).status).toBe(200);
    await vi.waitFor(() => expect(cache.refusal()).toBeUndefined(), BUILT);
    expect((await page('/staff/')).html).not.toContain(refused);
  });
});

describe("dashboard labels in the reader's language", () => {
  it('names a movement by its label in the page’s language where written, else the working language’s', async () => {
    const op = await makeOperation(db(), { workingLanguage: 'en' });
    const { route } = await makeRoute(db(), op.id);
    // Planned past its date and lacking a ru label: two attention items name it, and its line.
    const movement = await makeMovement(db(), route.id, {
      label: 'Convoy 7',
      labels: { en: 'Convoy 7', kk: 'Жетінші колонна' },
      scheduledDate: '2026-03-01',
    });
    const view = async (lang: string) => {
      const res = await viewer.get(`/staff/?route=${route.id}&lang=${lang}`, EN);
      expect(res.status).toBe(200);
      const html = await res.text();
      const from = html.indexOf(`id="attention-${op.id}"`);
      const attention = html.slice(from, html.indexOf('</ul>', from));
      const line = /<div class="movement-line"><span><a href="([^"]+)">([^<]*)<\/a>/.exec(html);
      expect(line?.[1]).toBe(`/staff/movements/${movement.id}`);
      return { attention, line: line?.[2] };
    };
    const kk = await view('kk');
    expect(kk.line).toBe('Жетінші колонна');
    expect(kk.attention.match(/Жетінші колонна/g)?.length).toBeGreaterThanOrEqual(2);
    expect(kk.attention).not.toContain('Convoy 7');
    for (const lang of ['en', 'ru']) {
      const page = await view(lang); // no ru label: the working language's
      expect(page.line, lang).toBe('Convoy 7');
      expect(page.attention.match(/Convoy 7/g)?.length, lang).toBeGreaterThanOrEqual(2);
      expect(page.attention, lang).not.toContain('Жетінші колонна');
    }
  });
});
