// A movement's history says when each change's figures were true. The seed's figures come
// from reports that gave a day only: the history says that day, "time not reported", never
// a false "00:00" (src/presenters/ws-history.ts); a timed as-of keeps its time.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { movements } from '../../db/schema.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { movementHistory } from '../../src/domain/staff/history.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { LANGUAGES } from '../../src/i18n/index.ts';
import { presentMovementHistory } from '../../src/presenters/ws-history.ts';
import type { Database } from '../../src/store/database.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { createTestDatabase } from '../support/db.ts';

let database: Database;
let movementId: number;
const TZ = 'Asia/Almaty';

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  const [departed] = await database.db.select().from(movements).where(eq(movements.status, 'departed'));
  movementId = departed!.id;
});

const asOfLines = async (lang: (typeof LANGUAGES)[number]) =>
  presentMovementHistory(lang, await movementHistory(database.db, movementId), TZ, false).changeSets.map(
    (s) => s.asOf,
  );

describe("a change's as-of in the history", () => {
  it('a day without a time: the day, time not reported, in every language', async () => {
    const expected = {
      en: 'true as of 3 March 2026 (time not reported)',
      ru: 'верно на 3 марта 2026 г. (время не сообщалось)',
      kk: '2026 жылғы 3 наурыздағы жағдай бойынша дұрыс (уақыты хабарланбаған)',
    };
    for (const lang of LANGUAGES) {
      const lines = await asOfLines(lang);
      expect(lines, lang).toContain(expected[lang]);
      expect(lines.join(' '), lang).not.toContain('00:00');
    }
  });

  it('a reported time: the time', async () => {
    const [m] = await database.db.select().from(movements).where(eq(movements.id, movementId));
    const counts = await findCounts(database.db, movementId);
    counts.departed.total = 460;
    await updateMovementCounts(
      { db: database.db },
      {
        movementId,
        expectedVersion: m!.version,
        counts,
        reason: 'briefing transcript',
        sourceId: null,
        actor: { id: null, label: 'test' },
        asOf: new Date('2026-03-04T05:00:00Z'),
      },
    );
    expect((await asOfLines('en'))[0]).toBe('true as of 4 March 2026 at 10:00 GMT+5');
  });
});
