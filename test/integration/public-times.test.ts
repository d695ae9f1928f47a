// Public times are the evacuation's: with a clock set months after the reports,
// the seeded JSON, CSV and feed show March 2026 and never the load time; staleness
// runs from the figures' as-of; a hidden movement's edit changes no public byte.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { movements, operations } from '../../db/schema.ts';
import { toPublicProjection } from '../../src/domain/privacy.ts';
import { loadPublicSnapshots } from '../../src/domain/public-status.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { statusAtom } from '../../src/presenters/public-atom.ts';
import { statusCsv } from '../../src/presenters/public-csv.ts';
import { statusJson } from '../../src/presenters/public-data.ts';
import { presentRoutePage } from '../../src/presenters/public-pages.ts';
import { presentStatusPage } from '../../src/presenters/status-page.ts';
import { contentChangedAt } from '../../src/public/last-modified.ts';
import { createRenderer } from '../../src/views.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase } from '../support/db.ts';

const LATER = new Date('2026-09-15T08:00:00Z'); // a fixed clock months after the reports

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
});

async function outputs(now = LATER) {
  const p = toPublicProjection(await loadPublicSnapshots({ db: database.db, now }), now);
  const feed = { baseUrl: 'http://corridor.test', tagAuthority: 'corridor.test,2026' };
  return {
    p,
    json: JSON.stringify(statusJson(p, {})),
    csv: statusCsv(p, 'en'),
    atom: statusAtom(p, 'en', feed),
  };
}

/** Every ISO instant or day printed. */
const stamps = (text: string) => [...text.matchAll(/\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z)?/g)].map((m) => m[0]);

describe('seeded public times', () => {
  it('are March 2026 in the JSON, CSV and feed, never the load time', async () => {
    const { json, csv, atom } = await outputs();
    for (const text of [json, csv, atom]) {
      const printed = stamps(text);
      expect(printed.length).toBeGreaterThan(0);
      for (const s of printed) expect(s.slice(0, 7), s).toBe('2026-03');
    }
  });

  it('figures as of the report; stale from that; the FlyDubai route is final and never stale', async () => {
    const { p } = await outputs();
    const op = p.operations[0]!;
    expect(op.figuresAsOf?.toISOString()).toBe('2026-03-02T19:00:00.000Z');
    expect(op.figuresAsOfTimeKnown).toBe(false);
    const route = (slug: string) => op.routes.find((r) => r.slug === slug)!;
    expect(route('dubai-oman')).toMatchObject({ stale: true, final: false });
    expect(route('dubai-almaty-astana')).toMatchObject({ stale: false, final: true });
    expect(route('iran-via-armenia')).toMatchObject({ stale: false, figuresAsOf: null });
    const json = JSON.parse((await outputs()).json) as { operations: { figuresAsOf: string }[] };
    expect(json.operations[0]!.figuresAsOf).toBe('2026-03-02T19:00:00.000Z');
  });

  // "As of 3 March (time not reported)" may be a report from late that day: the route is not
  // stale until its threshold after the day's END (12:00 on 4 March in Asia/Almaty, 12 h), and
  // the page's Last-Modified and the route's Atom <updated> are that instant.
  it('a route as of a day with no time turns stale its threshold after the end of that day', async () => {
    const STALE_AT = '2026-03-04T07:00:00.000Z'; // 12:00 on 4 March, UTC+5
    const omanAt = async (now: Date) => {
      const o = await outputs(now);
      return { o, r: o.p.operations[0]!.routes.find((x) => x.slug === 'dubai-oman')! };
    };
    const evening = await omanAt(new Date('2026-03-03T15:00:00Z')); // 20:00 on 3 March
    expect(evening.r).toMatchObject({ figuresAsOfTimeKnown: false, stale: false, final: false });
    expect(evening.r.figuresAsOf?.toISOString()).toBe('2026-03-02T19:00:00.000Z');
    // The projection is rebuilt when the mark is due (no later than it).
    expect(evening.o.p.validUntil!.getTime()).toBeLessThanOrEqual(Date.parse(STALE_AT));
    expect(evening.o.atom).not.toContain(`<updated>${STALE_AT}</updated>`);

    const noon = await omanAt(new Date('2026-03-04T07:01:00Z')); // 12:01 on 4 March
    expect(noon.r.stale).toBe(true);
    expect(contentChangedAt(noon.o.p, 'html', new Date('2026-03-04T07:01:00Z')).toISOString()).toBe(STALE_AT);
    const entry = [...noon.o.atom.matchAll(/<entry[^>]*>([\s\S]*?)<\/entry>/g)]
      .map((m) => m[1]!)
      .find((e) => e.includes(`#route-${noon.r.id}<`) || e.includes(`route/${noon.r.id}<`));
    expect(entry).toBeDefined();
    expect(/<updated>([^<]+)<\/updated>/.exec(entry!)![1]).toBe(STALE_AT);
  });

  it('a hidden movement edit or a meeting-point edit changes no public byte', async () => {
    const before = await outputs();
    const [jeddah] = await database.db
      .select()
      .from(movements)
      .where(eq(movements.label, 'Evacuation from Jeddah, 4 March'));
    const [oman] = await database.db
      .select()
      .from(movements)
      .where(eq(movements.label, 'Repatriation via Oman, 3 March'));
    await database.db
      .update(movements)
      .set({ staffNote: 'bus 2 late', updatedAt: new Date('2026-09-15T07:00:00Z') })
      .where(eq(movements.id, jeddah!.id))
      .returning();
    await database.db
      .update(movements)
      .set({ meetingPoint: 'Gate 4', updatedAt: new Date('2026-09-15T07:30:00Z') })
      .where(eq(movements.id, oman!.id))
      .returning();
    const after = await outputs();
    expect(after.json).toBe(before.json);
    expect(after.csv).toBe(before.csv);
    expect(after.atom).toBe(before.atom);
  });
});

describe('"figures as of" on the page', () => {
  const renderer = createRenderer();
  const page = async (lang: 'en' | 'ru' | 'kk', now = LATER) => {
    const p = toPublicProjection(await loadPublicSnapshots({ db: database.db, now }), now);
    return renderer.render('public/status', presentStatusPage(p, lang));
  };
  const header = (html: string) => /<p class="muted asof">(.*?)<\/p>/.exec(html)![1]!;

  it('the header says the evacuation time, "time not reported", never 00:00 or "last updated"', async () => {
    const en = await page('en');
    expect(header(en)).toBe(
      '<time datetime="2026-03-03">Figures as of 3 March 2026 (time not reported)</time>',
    );
    expect(header(await page('ru'))).toContain('Данные на 3 марта 2026');
    expect(header(await page('ru'))).toContain('(время не сообщалось)');
    expect(header(await page('kk'))).toContain('(уақыты хабарланбаған)');
    for (const lang of ['en', 'ru', 'kk'] as const) {
      const html = await page(lang);
      expect(html).not.toMatch(/\b00:00\b/);
      expect(html).not.toMatch(/Last updated|Обновлено|Жаңартылды/);
    }
  });

  it('rows and route cards are dated by their figures; a route with none by its report', async () => {
    const en = await page('en');
    // The Oman group's departure is reported by its day only.
    expect(en).toContain('Departed on 3 March 2026 (time not reported)');
    // The FlyDubai route: every movement arrived — final figures.
    expect(en).toMatch(/Final figures as of [^<]*2026/);
    expect(en).toMatch(/As reported on \d+ March 2026/);
    const p = toPublicProjection(await loadPublicSnapshots({ db: database.db, now: LATER }), LATER);
    const route = renderer.render('public/route', presentRoutePage(p, 'en', 'dubai-oman', 1, ''));
    expect(route).toContain('Figures as of 3 March 2026 (time not reported)');
    expect(route).not.toMatch(/\b00:00\b/);
  });

  it('a closed operation says "final figures as of", and the JSON agrees', async () => {
    await database.db.update(operations).set({ status: 'closed' });
    try {
      expect(header(await page('en'))).toContain('Final figures as of 3 March 2026 (time not reported)');
      expect(header(await page('ru'))).toContain('Итоговые данные на 3 марта 2026');
      const json = JSON.parse((await outputs()).json) as {
        operations: { final: boolean; figuresAsOf: string; figuresAsOfTimeKnown: boolean }[];
      };
      expect(json.operations[0]).toMatchObject({
        final: true,
        figuresAsOf: '2026-03-02T19:00:00.000Z',
        figuresAsOfTimeKnown: false,
      });
    } finally {
      await database.db.update(operations).set({ status: 'active' });
    }
  });
});
