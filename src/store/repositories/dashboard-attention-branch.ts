// One branch of the dashboard's attention union (dashboard-attention.ts): every branch
// yields the same typed columns, item fields then sort keys, so the union lines up and
// a new kind of item only says which columns it sets.
import { type SQL, sql } from 'drizzle-orm';

export type Columns = {
  operationId: SQL;
  kind: SQL;
  what?: SQL;
  routeId?: SQL;
  movementId?: SQL;
  noticeId?: SQL;
  sourceId?: SQL;
  label?: SQL;
  labels?: SQL;
  since?: SQL;
  seats?: SQL;
  people?: SQL;
  day?: SQL;
  status?: SQL;
  missing?: SQL;
  section: number | SQL;
  routePosition?: SQL;
  sub?: number | SQL;
  date?: SQL;
  time?: SQL;
  itemId?: SQL;
  rank?: SQL;
};
export const NULL = sql`NULL`;
export const n = (v: number) => sql.raw(String(v));

/** One branch of the union: every branch yields the same columns, typed. */
export function branch(c: Columns, from: SQL): SQL {
  return sql`SELECT ${c.operationId}::int AS operation_id, ${c.kind}::text AS kind, ${c.what ?? NULL}::text AS what,
    ${c.routeId ?? NULL}::int AS route_id, ${c.movementId ?? NULL}::int AS movement_id,
    ${c.noticeId ?? NULL}::int AS notice_id, ${c.sourceId ?? NULL}::int AS source_id, ${c.label ?? NULL}::text AS label,
    ${c.labels ?? NULL}::jsonb AS labels,
    (extract(epoch FROM ${c.since ?? NULL}::timestamptz) * 1000)::float8 AS since_ms,
    ${c.seats ?? NULL}::int AS seats, ${c.people ?? NULL}::int AS people, ${c.day ?? NULL}::text AS day,
    ${c.status ?? NULL}::text AS status, ${c.missing ?? NULL}::text[] AS missing,
    ${typeof c.section === 'number' ? n(c.section) : c.section}::int AS k_section, ${c.routePosition ?? NULL}::int AS k_route_position,
    ${c.routeId ?? NULL}::int AS k_route_id, ${typeof c.sub === 'object' ? c.sub : n(c.sub ?? 0)}::int AS k_sub, ${c.date ?? NULL}::date AS k_date,
    ${c.time ?? NULL}::timestamptz AS k_time, ${c.itemId ?? NULL}::int AS k_item, ${c.rank ?? sql`0`}::int AS k_rank
    ${from}`;
}
