// The stale rule of src/domain/staleness.ts `staleFrom()` as SQL, for queries that filter
// by it in the database (the staff dashboard's stale routes). The same instant on PGlite
// and PostgreSQL: test/integration/staleness-sql.test.ts compares it with staleFrom(),
// day-only and known times, a zone without DST and one across a DST change.
//
// A day-only as-of (stored as its local midnight) counts from the END of its local day:
// the next local midnight, found on the zone's wall clock (timestamp + 1 day, then back to
// an instant), never as +24 h; then the threshold in absolute hours.
import { type SQL, sql } from 'drizzle-orm';

/** The instant figures as of `asOf` turn stale (timestamptz); all arguments are SQL expressions. */
export function staleFromSql(asOf: SQL, asOfTimeKnown: SQL, timeZone: SQL, staleAfterHours: SQL): SQL {
  return sql`(CASE WHEN ${asOfTimeKnown} THEN ${asOf}
    ELSE (date_trunc('day', ${asOf} AT TIME ZONE ${timeZone}) + interval '1 day') AT TIME ZONE ${timeZone}
    END + ${staleAfterHours} * interval '1 hour')`;
}
