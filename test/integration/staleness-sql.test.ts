// The stale rule as SQL (src/store/repositories/staleness-sql.ts) gives the instant
// staleFrom() (src/domain/staleness.ts) gives: a day-only as-of from the end of its local
// day, found in the zone across DST changes; a known time from itself. On PGlite and, with
// TEST_DATABASE_URL, on PostgreSQL.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { staleFrom } from '../../src/domain/staleness.ts';
import type { Database } from '../../src/store/database.ts';
import { staleFromSql } from '../../src/store/repositories/staleness-sql.ts';
import { createTestDatabase } from '../support/db.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});

const CASES: [asOf: string, timeKnown: boolean, zone: string, hours: number][] = [
  ['2026-03-02T19:00:00Z', false, 'Asia/Almaty', 12], // 3 March, day only → 12:00 on 4 March
  ['2026-03-03T07:53:00Z', true, 'Asia/Almaty', 12],
  ['2026-03-03T18:59:59.999Z', false, 'Asia/Almaty', 1], // late on 3 March local, stored without the day's start
  ['2026-03-28T23:00:00Z', false, 'Europe/Berlin', 12], // 29 March: 23 hours
  ['2026-10-24T22:00:00Z', false, 'Europe/Berlin', 12], // 25 October: 25 hours
  ['2026-10-24T22:00:00Z', false, 'Europe/Berlin', 48],
  ['2026-03-28T19:00:00Z', true, 'Europe/Berlin', 12], // across the change, hours are hours
  ['2026-03-02T19:00:00Z', false, 'UTC', 720],
];

describe('staleFromSql', () => {
  it('gives the instant staleFrom() gives', async () => {
    for (const [asOf, known, zone, hours] of CASES) {
      const expr = staleFromSql(
        sql`${asOf}::timestamptz`,
        sql`${known}::boolean`,
        sql`${zone}::text`,
        sql`${hours}::integer`,
      );
      const [row] = await database.rows<{ ms: number | string }>(
        sql`SELECT (extract(epoch FROM ${expr}) * 1000)::float8 AS ms`,
      );
      const expected = staleFrom(new Date(asOf), known, zone, hours).getTime();
      expect(Number(row!.ms), `${asOf} ${known} ${zone} ${hours}`).toBe(expected);
    }
  });
});
