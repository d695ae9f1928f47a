// The public page's "figures as of" line over HTTP, on the seeded data: in Kazakh the date
// stands before "жағдай бойынша" in its attributive form ("2026 жылғы 3 наурыздағы"), with the
// time when one was reported ("…, GMT+5 уақытымен сағат 10:00-дегі"); Russian and English read
// as they did. Wording is the point, so the sentences are asserted.
import { beforeAll, describe, expect, it } from 'vitest';
import { movements } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import type { Lang } from '../../src/i18n/index.ts';
import type { Database } from '../../src/store/database.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { notifyChange } from '../../src/store/notify.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { waitForValue } from '../support/wait.ts';

let database: Database;
let server: TestServer;
let operationId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  operationId = (await listPublicOperations(database.db))[0]!.id;
  server = await startTestServer(database);
});

/** The page's visible text, one line per text node. */
const lines = async (lang: Lang) => {
  const html = await (await fetch(`${server.url}/${lang}/`)).text();
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, '')
    .split(/<[^>]+>/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
};

describe('the "figures as of" line', () => {
  it('on a day without a time: the Kazakh attributive day, the missing time last', async () => {
    expect(await lines('kk')).toContain('2026 жылғы 3 наурыздағы жағдай бойынша (уақыты хабарланбаған)');
    expect(await lines('kk')).toContain(
      'Қорытынды деректер 2026 жылғы 3 наурыздағы жағдай бойынша (уақыты хабарланбаған)',
    );
    // A route with a report but no figure: "according to the report of …".
    expect(await lines('kk')).toContain('2026 жылғы 3 наурыздағы хабар бойынша');
    expect(await lines('ru')).toContain('Данные на 3 марта 2026 г. (время не сообщалось)');
    expect(await lines('en')).toContain('Figures as of 3 March 2026 (time not reported)');
    for (const lang of ['kk', 'ru', 'en'] as const)
      expect((await lines(lang)).join('\n')).not.toMatch(/ж\. \d+ наурыз \(уақыты хабарланбаған\) жағдай/);
  });

  it('with a reported time: the Kazakh attributive date and time, with its zone', async () => {
    // The Oman group's departed figure, as of 4 March 2026 at 10:00 in Almaty (05:00 UTC): after
    // the end of 3 March, the day the seed's day-only figures are as of (a time on that day
    // would not be later than them: src/domain/figures-as-of.ts).
    const [target] = await database.db.select().from(movements).where(eq(movements.status, 'departed'));
    const counts = await findCounts(database.db, target!.id);
    counts.departed.total = 460;
    await updateMovementCounts(
      { db: database.db },
      {
        movementId: target!.id,
        expectedVersion: target!.version,
        counts,
        reason: 'briefing transcript',
        sourceId: null,
        actor: { id: null, label: 'test' },
        asOf: new Date('2026-03-04T05:00:00Z'),
      },
    );
    await notifyChange(database.db, { operationId, kind: 'test' });
    const kk = await waitForValue(
      'the page shows the timed figure',
      () => lines('kk'),
      (found) => found.some((l) => l.includes('10:00')),
    );
    expect(kk).toContain('2026 жылғы 4 наурыз, GMT+5 уақытымен сағат 10:00-дегі жағдай бойынша');
    expect(await lines('ru')).toContain('Данные на 4 марта 2026 г. в 10:00 GMT+5');
    expect(await lines('en')).toContain('Figures as of 4 March 2026 at 10:00 GMT+5');
  });
});
