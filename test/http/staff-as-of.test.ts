// The staff "as of" view: the seeded operation's figures and movement states as of a
// chosen moment, rebuilt from the history (the Oman group departed on 3 March: planned
// before, departed after); a bad moment (not a day or a time, outside 2000–2100) is 422 with
// the form's message; viewers may read it.
import { beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../db/schema.ts';
import { fixedClock } from '../../src/clock.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { signIn } from '../support/staff.ts';

let server: TestServer;
let viewer: Awaited<ReturnType<typeof signIn>>;
let operationId: number;

beforeAll(async () => {
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  const [op] = await database.db.select({ id: operations.id }).from(operations);
  operationId = op!.id;
  server = await startTestServer(database, { clock: fixedClock(new Date('2026-09-15T08:00:00Z')) });
  viewer = await signIn(server, 'viewer');
});

const page = async (query: string, lang = 'en') => {
  const res = await viewer.get(
    `/staff/operations/${operationId}/as-of${query}${query ? '&' : '?'}lang=${lang}`,
  );
  return { status: res.status, html: await res.text() };
};
const row = (html: string, label: string) =>
  new RegExp(`<th scope="row">${label}</th><td>([^<]*)</td>`).exec(html)?.[1];

describe('staff "as of" view', () => {
  it('shows the movement states and exact figures of that moment, by as-of and event time', async () => {
    const morning = await page('?at=2026-03-03T08:00');
    expect(morning.status).toBe(200);
    expect(morning.html).toContain('State as of 3 March 2026');
    const evening = await page('?at=2026-03-04');
    expect(row(evening.html, 'Repatriation via Oman, 3 March')).toBe('Departed');
    expect(evening.html).toContain('306'); // FlyDubai's reported figure, exact for staff
    expect(evening.html).not.toContain('data-state="empty"');
    // Before the first report: nothing known yet.
    const before = await page('?at=2026-03-01');
    expect(before.status).toBe(200);
    expect(before.html).toContain('data-state="empty"');
  });

  it('defaults to now, speaks kk and ru, and answers a bad moment 422', async () => {
    expect((await page('')).status).toBe(200);
    expect((await page('?at=2026-03-04', 'ru')).html).toContain('Состояние на 4 марта 2026');
    expect((await page('?at=2026-03-04', 'kk')).html).toContain('жағдай бойынша күй');
    const bad = await page('?at=tomorrow');
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('aria-invalid="true"');
  });

  it('holds a moment to the years 2000–2100 and refuses `at` sent as a structure, as other bad moments', async () => {
    for (const at of ['9999-01-01', '1999-12-31', '2101-01-01T00:00', '0026-03-03', '1999-12-31T23:59'])
      expect((await page(`?at=${at}`)).status, at).toBe(422);
    expect((await page('?at%5Bx%5D=1')).status).toBe(422);
    expect((await page('?at=2026-03-04&at=2026-03-05')).status).toBe(422);
    for (const at of ['2000-01-01', '2026-03-04T12:00'])
      expect((await page(`?at=${at}`)).status, at).toBe(200);
  });
});
