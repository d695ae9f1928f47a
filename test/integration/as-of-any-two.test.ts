// Any two as-of points (issue 14, docs/privacy.md "Any two as-of points"), through the API on
// the database (PGlite, or PostgreSQL with TEST_DATABASE_URL): the regression case of
// test/unit/disclosure-day-ends.test.ts. One movement, k = 5: registered and departed 2 at the
// end of D0 ("fewer than 5"), 0 at D1, 6 at D2. Audited with the day before only, D2 printed
// 6 and 6, and a reader holding D0 and D2 read a change of 2 … 5 where 1 … 4 must stay
// possible; audited with every day end before it, D2 does not print both.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

const [D0, D1, D2] = ['2026-03-03', '2026-03-04', '2026-03-05'];
type Figure = { status: string; value: number | null };
type Json = { operations: { asOfDay: string; totals: Record<string, Figure> }[] };

describe('as-of points: any two day ends held together', () => {
  it('D2 does not give away what D0 protects (the day before is not the only day held)', async () => {
    const db = await createTestDatabase();
    const op = await makeOperation(db.db, { smallCountThreshold: 5, publicationDelayMinutes: 0 });
    const { route } = await makeRoute(db.db, op.id);
    const morning = (day: string) => new Date(`${day}T03:00:00Z`);
    const m = await makeMovement(
      db.db,
      route.id,
      {
        status: 'arrived',
        departedAt: morning(D0),
        arrivedAt: new Date(`${D0}T09:00:00Z`),
        createdAt: morning(D0),
      },
      counts({}),
    );
    let version = m.version;
    for (const [day, n] of [
      [D0, 2],
      [D1, 0],
      [D2, 6],
    ] as const) {
      const out = await updateMovementCounts(
        { db: db.db },
        {
          movementId: m.id,
          expectedVersion: version,
          counts: counts({ registered: { total: n }, departed: { total: n }, arrived: { total: 0 } }),
          reason: 'as-of test',
          sourceId: null,
          actor: { id: null, label: 'test' },
          asOf: morning(day),
        },
      );
      version = out.version;
    }
    const s = await startTestServer(db, { clock: fixedClock(new Date('2026-03-20T08:00:00Z')) });
    try {
      const at = async (day: string) => {
        const res = await fetch(`${s.url}/api/v1/status?asOf=${day}`);
        expect(res.status).toBe(200);
        const o = ((await res.json()) as Json).operations[0]!;
        expect(o.asOfDay).toBe(day);
        return o.totals;
      };
      const first = await at(D0);
      expect(first.registered!.status).toBe('fewer_than');
      expect(first.departed!.status).toBe('fewer_than');
      expect((await at(D1)).registered).toMatchObject({ status: 'value', value: 0 });
      const last = await at(D2);
      // 6 printed for both would say the change since D0 is 2 … 5, never 1.
      expect(last.registered!.status === 'value' && last.departed!.status === 'value').toBe(false);
    } finally {
      await s.close();
    }
  });
});
