// Day chains in a worker thread of their own (src/public/as-of-chains.ts): the server audits
// day ends there (the as-of answers' and the digest's days), so neither the settle after a day
// end nor a digest ever holds its event loop. What must not change is what is published: the
// worker's answers and digest days are the inline chains' byte for byte, recorded alike in
// the ledger, the worker goes
// when the histories are dropped (issue 20) and comes back for the next answer, and a
// worker that dies fails its requests with a code instead of leaving them waiting.
// (How long the server's thread is held, inline against the worker: bench/as-of-day-end.ts.)
// Seeded data; PGlite, and PostgreSQL with TEST_DATABASE_URL.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { loadOperationHistories } from '../../src/domain/public-as-of.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { AppError } from '../../src/errors.ts';
import { createAsOfService } from '../../src/public/as-of.ts';
import { ChainsHolder } from '../../src/domain/day-chains.ts';
import { workerDayChains } from '../../src/public/as-of-chains.ts';
import { createAuditCache } from '../../src/domain/disclosure.ts';
import { recordedPublicDays } from '../../src/domain/digest/public-days.ts';
import { createTestDatabase } from '../support/db.ts';

const logger = pino({ level: 'silent' });
const DAYS = ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];
const body = async (p: Promise<{ identity: Buffer }>) => (await p).identity.toString('utf8');
const recorded = (database: Awaited<ReturnType<typeof createTestDatabase>>) =>
  database.rows<{ operation_id: number; point: string; seq: number }>(
    sql`SELECT operation_id, point, seq FROM disclosure_releases ORDER BY operation_id, point, seq`,
  );

describe('as-of day chains in a worker thread', () => {
  it('answers every day as the inline chains do, byte for byte, and its settle records the same day ends', async () => {
    const clock = fixedClock('2026-09-15T08:00:00Z');
    const results: { answers: string[]; rows: unknown[] }[] = [];
    for (const kind of ['inline', 'worker'] as const) {
      const database = await createTestDatabase();
      await seedReportedFigures({ db: database.db });
      const chains = kind === 'worker' ? workerDayChains({ logger }) : undefined;
      const service = createAsOfService({ database, clock, logger, ...(chains ? { chains } : {}) });
      await service.settle();
      const answers: string[] = [];
      for (const d of DAYS) answers.push(await body(service.get(d)));
      results.push({ answers, rows: await recorded(database) });
      await service.close();
      expect(chains?.running() ?? false).toBe(false); // closed with the service
    }
    expect(results[0]!.rows.length).toBeGreaterThan(0);
    expect(results[1]).toEqual(results[0]);
  });

  it('a digest’s days (sent before the day ends) are the inline chains’ days, recorded alike, and the worker goes after', async () => {
    const now = new Date('2026-03-04T20:00:00Z'); // the digest time, before 4 March has ended
    const results: { days: string; rows: unknown[] }[] = [];
    for (const kind of ['inline', 'worker'] as const) {
      const database = await createTestDatabase();
      await seedReportedFigures({ db: database.db });
      const chains = kind === 'worker' ? workerDayChains({ logger }) : undefined;
      const days = await recordedPublicDays(database, 1, '2026-03-04', now, chains);
      expect(days?.before).not.toBeNull();
      // Each database was seeded at its own wall-clock moment: its rows' creation times differ.
      const seeded = (key: string, value: unknown) =>
        key === 'createdAt' || key === 'updatedAt' ? undefined : value;
      results.push({ days: JSON.stringify(days, seeded), rows: await recorded(database) });
      expect(chains?.running() ?? false).toBe(false); // dropped once the days are recorded
      await chains?.close();
    }
    expect(results[0]!.rows.length).toBeGreaterThan(0);
    expect(results[1]).toEqual(results[0]);
  });

  it('the worker exits when the histories are dropped, and a new one gives the same answers', async () => {
    const database = await createTestDatabase();
    await seedReportedFigures({ db: database.db });
    const clock = fixedClock('2026-09-15T08:00:00Z');
    const chains = workerDayChains({ logger });
    const service = createAsOfService({ database, clock, logger, chains });
    const first = await body(service.get(DAYS[1]!));
    expect(chains.running()).toBe(true);
    await service.settle(); // the answer read the histories: kept over one settle
    expect(chains.running()).toBe(true);
    await service.settle(); // nobody asked since: dropped, and the worker with them
    expect(service.holdsHistories()).toBe(false);
    expect(chains.running()).toBe(false);
    // A day not answered yet: read again, into a new worker; a made one: no worker needed.
    const other = await body(service.get(DAYS[2]!));
    expect(chains.running()).toBe(true);
    expect(await body(service.get(DAYS[1]!))).toBe(first);
    const inline = createAsOfService({ database, clock, logger });
    expect(await body(inline.get(DAYS[2]!))).toBe(other);
    for (const s of [service, inline]) await s.close();
  });

  it('a worker that dies fails what waits on it with a code; nothing is left waiting', async () => {
    const database = await createTestDatabase();
    await seedReportedFigures({ db: database.db });
    const histories = await loadOperationHistories(database.db);
    const chains = workerDayChains({ logger });
    const loading = chains.load({ histories, ledgers: [] });
    await chains.close(); // terminates the worker under the request
    const err = await loading.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('internal');
    // A closed chains' projection is "read again" (null), never an answer from nothing.
    expect(await chains.project(1, [{ operationId: 1, day: DAYS[0]! }])).toBeNull();
  });

  it('keeps the two latest loads: an answer being made with the load before finishes with it', async () => {
    const database = await createTestDatabase();
    await seedReportedFigures({ db: database.db });
    const histories = await loadOperationHistories(database.db);
    const holder = new ChainsHolder(createAuditCache({ memo: false }));
    const id = histories[0]!.live.operation.id;
    const points = [{ operationId: id, day: DAYS[0]! }];
    for (const load of [1, 2, 3]) holder.load(load, { histories, ledgers: [] });
    expect(await holder.project(1, points)).toBeNull();
    const before = await holder.project(2, points);
    const latest = await holder.project(3, points);
    expect(before?.parts[0]!.day).toBe(DAYS[0]);
    expect(JSON.stringify(before?.parts)).toBe(JSON.stringify(latest?.parts));
  });
});
