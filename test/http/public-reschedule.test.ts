// Reschedulings on the public timeline and in the feed, over HTTP in all three
// languages: a movement whose planned day staff moved (4 → 5 March, on the seed's
// Jeddah batch) is an event, dated when it was recorded, with its source; a day
// changed after the movement left is a correction of its day, not news; nothing
// else changes. Plus the rule itself on audit rows (reschedulingsOf).
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { movements } from '../../db/schema.ts';
import { reschedulingsOf } from '../../src/domain/reschedulings.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { type MovementInput, editMovement } from '../../src/domain/staff/movements.ts';
import { type Lang, LANGUAGES } from '../../src/i18n/index.ts';
import { formatDay } from '../../src/presenters/format.ts';
import { publicPath } from '../../src/public/urls.ts';
import type { Database } from '../../src/store/database.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { movementFields } from '../support/fixtures-movement.ts';
import { makeUser, reloadMovement } from '../support/factories.ts';
import { waitForValue } from '../support/wait.ts';

let database: Database;
let server: TestServer;
let actor: { id: number; label: string };
let jeddah: number;

async function edit(change: Partial<MovementInput>) {
  const m = await reloadMovement(database.db, jeddah);
  await editMovement(
    { db: database.db },
    { movementId: m.id, expectedVersion: m.version, fields: { ...movementFields(m), ...change }, actor },
  );
}

const get = async (path: string) => (await fetch(`${server.url}${path}`)).text();
const rescheduled = (html: string) => html.match(/<li class="ev ev-rescheduled">.*?<\/li>/g) ?? [];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database);
  const user = await makeUser(database.db);
  actor = { id: user.id, label: user.name };
  const [row] = await database.db
    .select({ id: movements.id })
    .from(movements)
    .where(eq(movements.label, 'Evacuation from Jeddah, 4 March'));
  jeddah = row!.id;
});

const SOURCE: Record<Lang, string> = { en: 'Source', ru: 'Источник', kk: 'Дереккөз' };

describe('a rescheduled departure', () => {
  it('is on the seed nowhere (no day was ever moved)', async () => {
    for (const lang of LANGUAGES) expect(rescheduled(await get(`/${lang}/timeline`))).toEqual([]);
  });

  it('moved from 4 to 5 March: an event on the page, the timeline and the feed, in every language', async () => {
    await edit({ scheduledDate: '2026-03-05' });
    for (const lang of LANGUAGES) {
      const page = await waitForValue(
        `the rescheduled departure on /${lang}/`,
        () => get(`/${lang}/`),
        (h) => rescheduled(h).length > 0,
      );
      const [event] = rescheduled(page);
      expect(event, lang).toBeDefined();
      expect(event).toContain(formatDay(lang, '2026-03-04'));
      expect(event).toContain(formatDay(lang, '2026-03-05'));
      expect(event).toContain(`<span class="ev-s">${SOURCE[lang]}:`);
      expect(event).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+Z">/);
      expect(rescheduled(await get(`/${lang}/timeline`))).toHaveLength(1);
      const feed = await get(publicPath(lang, 'atom'));
      const entry = feed.split('<entry>').find((e) => e.includes('/rescheduled/'));
      expect(entry, lang).toBeDefined();
      expect(entry).toContain(formatDay(lang, '2026-03-05'));
      expect(entry).toContain(`${SOURCE[lang]}:`);
    }
  });

  it('a day changed after it left is a correction, not a rescheduling; a second move before is', async () => {
    await edit({ scheduledDate: '2026-03-06' });
    await waitForValue(
      'two rescheduled entries on the timeline',
      () => get('/en/timeline'),
      (h) => rescheduled(h).length === 2,
    );
    await edit({ status: 'boarding' });
    await edit({ status: 'departed', departedAt: '2026-03-06T09:00' });
    await edit({ scheduledDate: '2026-03-05', departedAt: '2026-03-06T09:00' });
    const html = await waitForValue(
      'the departure on the timeline',
      () => get('/en/timeline'),
      (h) => h.includes('ev-departed') && h.includes('Evacuation from Jeddah'),
    );
    const events = rescheduled(html);
    expect(events).toHaveLength(2);
    expect(events.some((e) => e.includes('5 March 2026 is rescheduled to 6 March 2026'))).toBe(true);
  });
});

describe('reschedulingsOf', () => {
  const at = (n: number) => new Date(Date.UTC(2026, 2, 3, n));
  const change = (movementId: number, before: object, after: object, n: number, action = 'edit') => ({
    movementId,
    action,
    before: before as Record<string, unknown>,
    after: after as Record<string, unknown>,
    at: at(n),
  });
  it('counts a day moved while planned or boarding, never a day added or removed, after leaving or cancelling', () => {
    const out = reschedulingsOf([
      change(1, {}, { scheduledDate: '2026-03-04', status: 'planned' }, 0, 'create'),
      change(1, { scheduledDate: '2026-03-04' }, { scheduledDate: '2026-03-05' }, 1),
      change(1, { status: 'planned' }, { status: 'boarding' }, 2, 'status'),
      change(1, { scheduledDate: '2026-03-05' }, { scheduledDate: '2026-03-06' }, 3),
      change(1, { status: 'boarding' }, { status: 'departed' }, 4, 'status'),
      change(1, { scheduledDate: '2026-03-06' }, { scheduledDate: '2026-03-05' }, 5),
      change(2, { scheduledDate: null }, { scheduledDate: '2026-03-05' }, 1),
      change(2, { scheduledDate: '2026-03-05' }, { scheduledDate: null }, 2),
      change(3, { status: 'planned' }, { status: 'cancelled' }, 1, 'status'),
      change(3, { scheduledDate: '2026-03-05' }, { scheduledDate: '2026-03-07' }, 2),
      change(
        4,
        { scheduledDate: '2026-03-05', status: 'planned' },
        { scheduledDate: '2026-03-06', status: 'departed' },
        1,
        'status',
      ),
    ]);
    expect(out.get(1)).toEqual([
      { from: '2026-03-04', to: '2026-03-05', at: at(1) },
      { from: '2026-03-05', to: '2026-03-06', at: at(3) },
    ]);
    expect(out.has(2)).toBe(false);
    expect(out.has(3)).toBe(false);
    expect(out.has(4)).toBe(false);
  });
});
