import { count } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { countChangeSets, movements, routes, sources } from '../../db/schema.ts';
import { loadPublicSnapshots } from '../../src/domain/public-status.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
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

  it('dates each seeded figure at midnight of its report day in Almaty (UTC+5)', async () => {
    await seedReportedFigures({ db: database.db });
    const sets = await database.db.select({ asOf: countChangeSets.asOf }).from(countChangeSets);
    expect(sets.length).toBeGreaterThan(0);
    for (const s of sets) expect(s.asOf.toISOString()).toBe('2026-03-02T19:00:00.000Z');
  });
});
