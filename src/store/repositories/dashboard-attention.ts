// The dashboard's attention items as one SQL relation, so a request counts, filters
// and pages them in the database instead of reading every operation's snapshot
// (issue 21: 5,000 movements under 200 ms). The rules are those of
// src/domain/staff/attention.ts `attentionItems(snapshot, now)`, which stays the
// reference: test/integration/staff-dashboard-queries.test.ts compares the two on
// both databases, so a rule changed on one side only fails there.
//
// To add a kind of item: add its case to `AttentionItem` (attention.ts) and its
// rule there, then one branch below (a `branch({...}, from)` in `attentionBranches`)
// and its mapping in src/domain/staff/dashboard-items.ts. The sort keys place it
// in the list: `section` (0 operation, 1 routes and movements, 2 notices,
// 3 translations of routes, legs and movements), then the route's order, `sub`
// (0 the route, 1 its legs, 2 its movements), the movement's order, `rank`.
import { type SQL, sql } from 'drizzle-orm';
import { LANGUAGES } from '../../i18n/languages.ts';

export type AttentionScope = {
  now: Date;
  /** Each operation's "today" in its time zone (YYYY-MM-DD): planned movements before it are late. */
  todayByOperation: Record<number, string>;
  /** Only these movements' items (the page's notes); absent: every item. */
  movementIds?: number[];
};

/** One item as the relation yields it; which fields are set depends on `kind`. */
export type AttentionRow = {
  operation_id: number;
  kind: string;
  what: string | null;
  route_id: number | null;
  movement_id: number | null;
  notice_id: number | null;
  /** The movement's label (staff language), for the item's wording. */
  label: string | null;
  since_ms: number | null;
  seats: number | null;
  people: number | null;
  day: string | null;
  status: string | null;
  missing: string[] | null;
};

// Language codes come from the registry (never from a request): quoted as literals.
const literal = (code: string) => {
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(code)) throw new Error(`unexpected language code ${code}`);
  return sql.raw(`'${code}'`);
};
const LANGS = sql`ARRAY[${sql.join(LANGUAGES.map(literal), sql`, `)}]::text[]`;
/** A value with something besides white space (JavaScript's `trim() !== ''`). */
const written = (text: SQL) => sql`coalesce(${text} ~ '\\S', false)`;
/** The languages `json` lacks, in the registry's order (all of them for an empty text). */
const lacking = (json: SQL) =>
  sql`array_remove(ARRAY[${sql.join(
    LANGUAGES.map((l) => sql`CASE WHEN ${written(sql`${json} ->> ${literal(l)}`)} THEN NULL ELSE ${literal(l)} END`),
    sql`, `,
  )}]::text[], NULL)`;
/** missingLanguages(): nothing for a text written in no language. */
const missing = (json: SQL) =>
  sql`(CASE WHEN cardinality(${lacking(json)}) < ${LANGUAGES.length} THEN ${lacking(json)} ELSE '{}'::text[] END)`;
/**
 * missingLanguages(perLanguage(json, single, working)) (src/domain/snapshot.ts): a row
 * written before the per-language columns counts as written in the working language.
 */
const missingOrSingle = (json: SQL, single: SQL, working: SQL) =>
  sql`(CASE WHEN cardinality(${lacking(json)}) < ${LANGUAGES.length} THEN ${lacking(json)}
            WHEN ${written(single)} THEN array_remove(${LANGS}, ${working})
            ELSE '{}'::text[] END)`;

type Columns = {
  operationId: SQL;
  kind: SQL;
  what?: SQL;
  routeId?: SQL;
  movementId?: SQL;
  noticeId?: SQL;
  label?: SQL;
  since?: SQL;
  seats?: SQL;
  people?: SQL;
  day?: SQL;
  status?: SQL;
  missing?: SQL;
  section: number;
  routePosition?: SQL;
  sub?: number;
  date?: SQL;
  time?: SQL;
  itemId?: SQL;
  rank?: SQL;
};
const NULL = sql`NULL`;
const n = (v: number) => sql.raw(String(v));

/** One branch of the union: every branch yields the same columns, typed. */
function branch(c: Columns, from: SQL): SQL {
  return sql`SELECT ${c.operationId}::int AS operation_id, ${c.kind}::text AS kind, ${c.what ?? NULL}::text AS what,
    ${c.routeId ?? NULL}::int AS route_id, ${c.movementId ?? NULL}::int AS movement_id,
    ${c.noticeId ?? NULL}::int AS notice_id, ${c.label ?? NULL}::text AS label,
    (extract(epoch FROM ${c.since ?? NULL}::timestamptz) * 1000)::float8 AS since_ms,
    ${c.seats ?? NULL}::int AS seats, ${c.people ?? NULL}::int AS people, ${c.day ?? NULL}::text AS day,
    ${c.status ?? NULL}::text AS status, ${c.missing ?? NULL}::text[] AS missing,
    ${n(c.section)} AS k_section, ${c.routePosition ?? NULL}::int AS k_route_position,
    ${c.routeId ?? NULL}::int AS k_route_id, ${n(c.sub ?? 0)} AS k_sub, ${c.date ?? NULL}::date AS k_date,
    ${c.time ?? NULL}::timestamptz AS k_time, ${c.itemId ?? NULL}::int AS k_item, ${c.rank ?? sql`0`}::int AS k_rank
    ${from}`;
}

/** The order of attentionItems(): see the header. */
export const ATTENTION_ORDER = sql.raw(
  'operation_id, k_section, k_route_position, k_route_id, k_sub, k_date, k_time, k_item, k_rank',
);

const ACTIVE = sql`('planned', 'boarding', 'departed')`;

/** Every movement with its figures' totals and the languages its label and note lack. */
function movementsWithChecks(scope: AttentionScope, now: SQL): SQL {
  const only = scope.movementIds
    ? sql`AND m.id IN (${sql.join(
        scope.movementIds.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const today = sql`(${JSON.stringify(scope.todayByOperation)}::jsonb ->> o.id::text)::date`;
  const reg = sql`pc.registered_total`;
  const dep = sql`pc.departed_total`;
  const arr = sql`pc.arrived_total`;
  const people = sql`greatest(coalesce(${reg}, 0), coalesce(${dep}, 0))`;
  // Each check is a (rank, kind, hit) row of a lateral list: one pass over the movements.
  return branch(
    {
      operationId: sql`o.id`,
      kind: sql`c.kind`,
      what: sql`c.what`,
      routeId: sql`r.id`,
      movementId: sql`m.id`,
      label: sql`m.label`,
      seats: sql`m.capacity`,
      people,
      day: sql`m.scheduled_date::text`,
      status: sql`m.status`,
      missing: sql`c.missing`,
      section: 1,
      routePosition: sql`r.position`,
      sub: 1,
      date: sql`m.scheduled_date`,
      itemId: sql`m.id`,
      rank: sql`c.rank`,
    },
    sql`FROM movements m
      JOIN routes r ON r.id = m.route_id
      JOIN operations o ON o.id = r.operation_id
      LEFT JOIN passenger_counts pc ON pc.movement_id = m.id
      CROSS JOIN LATERAL (
        SELECT ${missingOrSingle(sql`m.labels`, sql`m.label`, sql`o.working_language`)} AS label_missing,
               ${missingOrSingle(sql`m.public_notes`, sql`m.public_note`, sql`o.working_language`)} AS note_missing
      ) t
      CROSS JOIN LATERAL (VALUES
        (1, 'over_capacity', NULL, NULL::text[],
          m.capacity IS NOT NULL AND ${people} > m.capacity AND m.status <> 'cancelled'),
        (2, 'departed_above_registered', NULL, NULL, ${reg} IS NOT NULL AND ${dep} IS NOT NULL AND ${dep} > ${reg}),
        (3, 'figures_missing_for_status', NULL, NULL, m.status IN ('departed', 'arrived') AND ${dep} IS NULL),
        (4, 'departed_figures_before_departure', NULL, NULL,
          m.status IN ('planned', 'boarding') AND coalesce(${dep}, 0) > 0),
        (5, 'status_behind_figures', NULL, NULL,
          m.status NOT IN ('cancelled', 'arrived') AND coalesce(${arr}, 0) > 0),
        (6, 'past_date_planned', NULL, NULL,
          m.status = 'planned' AND m.scheduled_date IS NOT NULL AND m.scheduled_date < ${today}),
        (7, 'needs_translation', 'movement_label', t.label_missing, cardinality(t.label_missing) > 0),
        (8, 'needs_translation', 'movement_note', t.note_missing, cardinality(t.note_missing) > 0)
      ) AS c(rank, kind, what, missing, hit)
      WHERE c.hit ${only}`,
  );
}

/** The translations section comes after every route's checks: its movement items move there. */
const TRANSLATION_SECTION = 3;

/** The branches of the union; `movementIds` keeps only the movements' own items. */
function attentionBranches(scope: AttentionScope): SQL[] {
  const now = sql`${scope.now.toISOString()}::timestamptz`;
  const movementItems = sql`SELECT operation_id, kind, what, route_id, movement_id, notice_id, label, since_ms,
      seats, people, day, status, missing,
      CASE WHEN kind = 'needs_translation' THEN ${n(TRANSLATION_SECTION)} ELSE k_section END AS k_section,
      k_route_position, k_route_id,
      CASE WHEN kind = 'needs_translation' THEN 2 ELSE k_sub END AS k_sub, k_date, k_time, k_item, k_rank
    FROM (${movementsWithChecks(scope, now)}) mc`;
  if (scope.movementIds) return [movementItems];
  const routeUpdated = sql`greatest(r.updated_at,
    (SELECT max(l.updated_at) FROM legs l WHERE l.route_id = r.id),
    (SELECT max(greatest(m.updated_at, pc.updated_at)) FROM movements m
       LEFT JOIN passenger_counts pc ON pc.movement_id = m.id WHERE m.route_id = r.id))`;
  return [
    branch(
      { operationId: sql`o.id`, kind: sql`'no_public_contacts'`, section: 0 },
      sql`FROM operations o WHERE o.is_public AND o.status = 'active' AND NOT EXISTS (
        SELECT 1 FROM public_contacts pcx WHERE pcx.operation_id = o.id AND pcx.withdrawn_at IS NULL)`,
    ),
    // A route with no movement, or one still under way, not changed for staleAfterHours.
    branch(
      {
        operationId: sql`o.id`,
        kind: sql`'stale_route'`,
        routeId: sql`r.id`,
        since: sql`s.updated`,
        section: 1,
        routePosition: sql`r.position`,
      },
      sql`FROM routes r JOIN operations o ON o.id = r.operation_id
        CROSS JOIN LATERAL (SELECT ${routeUpdated} AS updated) s
        WHERE o.status = 'active'
          AND (NOT EXISTS (SELECT 1 FROM movements m WHERE m.route_id = r.id)
               OR EXISTS (SELECT 1 FROM movements m WHERE m.route_id = r.id AND m.status IN ${ACTIVE}))
          AND s.updated < ${now} - o.stale_after_hours * interval '1 hour'`,
    ),
    movementItems,
    branch(
      {
        operationId: sql`o.id`,
        kind: sql`'needs_translation'`,
        what: sql`'notice'`,
        noticeId: sql`x.id`,
        missing: missing(sql`x.bodies`),
        section: 2,
        time: sql`x.published_at`,
        itemId: sql`x.id`,
      },
      sql`FROM notices x JOIN operations o ON o.id = x.operation_id
        WHERE (x.expires_at IS NULL OR x.expires_at > ${now}) AND cardinality(${missing(sql`x.bodies`)}) > 0`,
    ),
    branch(
      {
        operationId: sql`o.id`,
        kind: sql`'needs_translation'`,
        what: sql`'route_note'`,
        routeId: sql`r.id`,
        missing: sql`t.missing`,
        section: TRANSLATION_SECTION,
        routePosition: sql`r.position`,
      },
      sql`FROM routes r JOIN operations o ON o.id = r.operation_id
        CROSS JOIN LATERAL (SELECT ${missingOrSingle(sql`r.public_notes`, sql`r.public_note`, sql`o.working_language`)} AS missing) t
        WHERE cardinality(t.missing) > 0`,
    ),
    branch(
      {
        operationId: sql`o.id`,
        kind: sql`'needs_translation'`,
        what: sql`'leg_note'`,
        routeId: sql`r.id`,
        missing: missing(sql`l.public_notes`),
        section: TRANSLATION_SECTION,
        routePosition: sql`r.position`,
        sub: 1,
        itemId: sql`l.position`,
      },
      sql`FROM legs l JOIN routes r ON r.id = l.route_id JOIN operations o ON o.id = r.operation_id
        WHERE cardinality(${missing(sql`l.public_notes`)}) > 0`,
    ),
  ];
}

/** The attention relation, for a FROM clause: `FROM (${attentionRelation(scope)}) items`. */
export function attentionRelation(scope: AttentionScope): SQL {
  return sql.join(attentionBranches(scope), sql` UNION ALL `);
}
