import { count } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { countChangeSets, movements, routes, sources } from '../../db/schema.ts';
import { loadPublicSnapshots } from '../../src/domain/public-status.ts';
import { seedSources } from '../../db/seed/reports.ts';
import { reportAsOf, seedReportedFigures } from '../../src/domain/seed.ts';
import type { Database } from '../../src/store/database.ts';
import { appliedMigrationCount, expectedMigrationCount } from '../../src/store/migrate.ts';
import { createTestDatabase } from '../support/db.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});

const total = async (table: typeof routes | typeof movements | typeof sources | typeof countChangeSets) =>
  (await database.db.select({ n: count() }).from(table))[0]!.n;

describe('migrations', () => {
  it('applies every committed migration', async () => {
    expect(await appliedMigrationCount(database)).toBe(expectedMigrationCount());
  });
});

describe('seed', () => {
  it('loads the reported figures with their sources, and adds nothing the second time', async () => {
    const first = await seedReportedFigures({ db: database.db });
    expect(first).toEqual({ routesAdded: 6, movementsAdded: 3 });
    const before = await Promise.all([
      total(routes),
      total(movements),
      total(sources),
      total(countChangeSets),
    ]);
    const second = await seedReportedFigures({ db: database.db });
    expect(second).toEqual({ routesAdded: 0, movementsAdded: 0 });
    expect(
      await Promise.all([total(routes), total(movements), total(sources), total(countChangeSets)]),
    ).toEqual(before);

    const [snapshot] = await loadPublicSnapshots({ db: database.db, now: new Date('2026-03-05T00:00:00Z') });
    const byLabel = new Map(snapshot!.routes.flatMap((r) => r.movements).map((m) => [m.label, m]));
    const oman = byLabel.get('Repatriation via Oman, 3 March')!;
    expect(oman.counts.registered.total).toBe(467);
    expect(oman.counts.departed.total).toBeNull();
    expect(oman.scheduledDate).toBe('2026-03-03');
    const jeddah = byLabel.get('Evacuation from Jeddah, 4 March')!;
    expect(jeddah.counts.registered.total).toBe(343);
    expect(jeddah.scheduledDate).toBe('2026-03-04');
    const flydubai = byLabel.get('FlyDubai flights, up to 3 March')!;
    expect(flydubai.counts.arrived.total).toBe(306);
    for (const m of byLabel.values()) {
      expect(snapshot!.sources.get(m.countsSourceId!)?.publishedOn).toBe('2026-03-03');
    }
    const iranRoutes = snapshot!.routes.filter((r) => r.slug.startsWith('iran-via-'));
    expect(iranRoutes.map((r) => r.slug)).toEqual([
      'iran-via-armenia',
      'iran-via-azerbaijan',
      'iran-via-turkmenistan',
    ]);
    expect(iranRoutes.every((r) => r.movements.length === 0)).toBe(true);
  });

  it('dates each seeded figure and event by its report (Almaty), never by the load time', async () => {
    await seedReportedFigures({ db: database.db });
    const sets = await database.db
      .select({ asOf: countChangeSets.asOf, timeKnown: countChangeSets.asOfTimeKnown })
      .from(countChangeSets);
    expect(sets.length).toBe(3);
    // Report 001 gives 3 March 2026 and no time: midnight in Almaty, marked "time not reported".
    for (const s of sets) expect(s).toEqual({ asOf: new Date('2026-03-02T19:00:00.000Z'), timeKnown: false });
    const rows = await database.db.select().from(movements);
    const byLabel = new Map(rows.map((m) => [m.label, m]));
    const oman = byLabel.get('Repatriation via Oman, 3 March')!;
    expect(oman.departedAt).toEqual(new Date('2026-03-02T19:00:00.000Z'));
    expect(oman.departedTimeKnown).toBe(false);
    const flydubai = byLabel.get('FlyDubai flights, up to 3 March')!;
    expect([flydubai.departedAt, flydubai.arrivedAt]).toEqual([null, null]);
    expect(flydubai.statusAsOf).toEqual(new Date('2026-03-02T19:00:00.000Z'));
    expect(byLabel.get('Evacuation from Jeddah, 4 March')!.statusAsOf).toBeNull();
  });

  it('reads a report time where the report gives one (Zakon.kz, 12:53 in Almaty)', () => {
    const zakon = seedSources.find((s) => s.slug === 'zakon-kz-2026-03-03')!;
    expect(reportAsOf(zakon, 'Asia/Almaty')).toEqual({
      at: new Date('2026-03-03T07:53:00.000Z'),
      timeKnown: true,
    });
    const briefing = seedSources.find((s) => s.slug === 'bakayev-briefing-2026-03-03')!;
    expect(reportAsOf(briefing, 'Asia/Almaty').timeKnown).toBe(false);
  });
});
