// The as-of service after a settle (issue 20): what the settle read — every public
// operation's history and day chain — is dropped once it is done, unless answers read it
// since the settle before; the answers made stay (served again without reading anything),
// and an answer not yet made reads the histories again and gives the bytes a service that
// never dropped anything gives. Seeded data.
// PGlite, and PostgreSQL with TEST_DATABASE_URL.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { createAsOfService } from '../../src/public/as-of.ts';
import { notifyChange } from '../../src/store/notify.ts';
import { createTestDatabase } from '../support/db.ts';

const logger = pino({ level: 'silent' });
const DAYS = ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];
const body = async (p: Promise<{ identity: Buffer }>) => (await p).identity.toString('utf8');

describe('as-of answers after a settle: the histories go, the answers stay', () => {
  it('drops what the settle read; made answers are served as they were, new ones read again', async () => {
    const database = await createTestDatabase();
    await seedReportedFigures({ db: database.db });
    const clock = fixedClock('2026-09-15T08:00:00Z');
    // The reference: a service that answers every day in one go and never settles.
    const reference = createAsOfService({ database, clock, logger });
    const expected: string[] = [];
    for (const d of DAYS) expected.push(await body(reference.get(d)));

    const service = createAsOfService({ database, clock, logger });
    await service.settle(); // records the latest ended day (its chain up to it)
    await service.settle(); // nothing new: read once more, then dropped
    expect(service.holdsHistories()).toBe(false);
    // Days answered before the drop stay answered; the reference's chain was recorded first.
    const first = await service.get(DAYS[0]);
    expect(first.identity.toString('utf8')).toBe(expected[0]);
    // Same version, same days: the settle reads nothing; the histories that answer read
    // are kept over one settle (readers are about), dropped at the next.
    await service.settle();
    expect(service.holdsHistories()).toBe(true);
    await service.settle();
    expect(service.holdsHistories()).toBe(false);
    // A made answer: the very rendition, without reading the histories.
    expect(await service.get(DAYS[0])).toBe(first);
    expect(service.holdsHistories()).toBe(false);
    // Answers not yet made: the histories read again, the same bytes.
    for (let i = 1; i < DAYS.length; i++) expect(await body(service.get(DAYS[i]!))).toBe(expected[i]);
    expect(service.holdsHistories()).toBe(true);
    // Kept while readers ask for answers not yet made (a settle after they did), then dropped.
    await service.settle();
    expect(service.holdsHistories()).toBe(true);
    await service.settle();
    expect(service.holdsHistories()).toBe(false);
    // After a change signal (a save that changes no public figure): read again, same bytes.
    await notifyChange(database.db, { operationId: 1, kind: 'notice' });
    clock.advance(11 * 60_000);
    for (let i = 0; i < DAYS.length; i++) expect(await body(service.get(DAYS[i]!))).toBe(expected[i]);
    for (const s of [reference, service]) await s.close();
  });
});
