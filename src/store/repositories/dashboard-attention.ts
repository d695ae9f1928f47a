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
// 3 translations of routes, legs and movements, 4 translations of cited sources), then the route's order, `sub`
// (0 the route, 1 its legs, 2 its movements), the movement's order, `rank`.
import { type SQL, sql } from 'drizzle-orm';
import { LANGUAGES, type Localized } from '../../i18n/languages.ts';
import { branch, n } from './dashboard-attention-branch.ts';
import { UNDER_WAY, staleRoutesFrom } from './stale-routes-sql.ts';
import {
  LANGS,
  citedSources,
  lacking,
  missing,
  missingOrSingle,
  sourceTexts,
  written,
} from './dashboard-texts.ts';

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
  source_id: number | null;
  /** The movement's label (working language) and its labels per language, for the item's wording. */
  label: string | null;
  labels: Localized | null;
  since_ms: number | null;
  seats: number | null;
  people: number | null;
  day: string | null;
  status: string | null;
  missing: string[] | null;
};

/** The order of attentionItems(): see the header. */
export const ATTENTION_ORDER = sql.raw(
  'operation_id, k_section, k_route_position, k_route_id, k_sub, k_date, k_time, k_item, k_rank',
);

/** The checks on one movement, in the order of attentionItems(): a hit yields its rank (from 1). */
const MOVEMENT_CHECKS = [
  'over_capacity',
  'departed_above_registered',
  'figures_missing_for_status',
  'departed_figures_before_departure',
  'status_behind_figures',
  'past_date_planned',
] as const;
const LABEL_RANK = MOVEMENT_CHECKS.length + 1;
const NOTE_RANK = MOVEMENT_CHECKS.length + 2;
/** The translations of routes, legs and movements come after every route's checks. */
const TRANSLATION_SECTION = 3;
/** Then the sources the operation cites (src/domain/staff/source-translations.ts). */
const SOURCE_SECTION = 4;

/**
 * Two CTEs, each computed once per statement (MATERIALIZED): `mv`, every movement with
 * its totals and the languages its texts lack, and `mc`, with the ranks of the checks it
 * fails (`checks`), the languages its label and note miss and `n_items`, its item count.
 * One pass over the movements without a row set per movement (PGlite pays dearly for one).
 */
export function movementChecks(scope: AttentionScope): SQL {
  const only = scope.movementIds
    ? sql`WHERE m.id IN (${sql.join(
        scope.movementIds.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const days = Object.entries(scope.todayByOperation);
  const today = days.length
    ? sql`CASE o.id ${sql.join(
        days.map(([id, day]) => sql`WHEN ${Number(id)}::int THEN ${day}::date`),
        sql` `,
      )} END`
    : sql`NULL::date`;
  const hit: Record<(typeof MOVEMENT_CHECKS)[number], SQL> = {
    over_capacity: sql`capacity IS NOT NULL AND people > capacity AND status <> 'cancelled'`,
    departed_above_registered: sql`reg IS NOT NULL AND dep IS NOT NULL AND dep > reg`,
    figures_missing_for_status: sql`status IN ('departed', 'arrived') AND dep IS NULL`,
    departed_figures_before_departure: sql`status IN ('planned', 'boarding') AND coalesce(dep, 0) > 0`,
    // statusDisagreement() === 'arrived'
    status_behind_figures: sql`status NOT IN ('cancelled', 'arrived') AND coalesce(arr, 0) > 0`,
    past_date_planned: sql`status = 'planned' AND scheduled_date IS NOT NULL AND scheduled_date < today`,
  };
  // missingLanguages(perLanguage(json, single, working)) (src/domain/snapshot.ts): a row
  // written before the per-language columns counts as written in the working language.
  const missingFrom = (lacks: SQL, single: SQL) =>
    sql`CASE WHEN cardinality(${lacks}) < ${n(LANGUAGES.length)} THEN ${lacks}
             WHEN ${single} THEN array_remove(${LANGS}, working_language) ELSE '{}'::text[] END`;
  return sql`mv AS MATERIALIZED (
      SELECT m.id, m.route_id, r.operation_id, r.position AS route_position, m.scheduled_date, m.label, m.labels,
             m.status, m.capacity, pc.registered_total AS reg, pc.departed_total AS dep, pc.arrived_total AS arr,
             greatest(coalesce(pc.registered_total, 0), coalesce(pc.departed_total, 0)) AS people,
             greatest(m.updated_at, pc.updated_at) AS changed_at, o.working_language, ${today} AS today,
             ${lacking(sql`m.labels`)} AS label_lacking, ${written(sql`m.label`)} AS label_single,
             ${lacking(sql`m.public_notes`)} AS note_lacking, ${written(sql`m.public_note`)} AS note_single
        FROM movements m
        JOIN routes r ON r.id = m.route_id
        JOIN operations o ON o.id = r.operation_id
        LEFT JOIN passenger_counts pc ON pc.movement_id = m.id
        ${only}),
    mc AS MATERIALIZED (
      SELECT c.*, cardinality(c.checks) + (cardinality(c.label_missing) > 0)::int
                  + (cardinality(c.note_missing) > 0)::int AS n_items
        FROM (SELECT mv.*,
                     array_remove(ARRAY[${sql.join(
                       MOVEMENT_CHECKS.map((k, i) => sql`CASE WHEN ${hit[k]} THEN ${n(i + 1)} END`),
                       sql`, `,
                     )}]::int[], NULL) AS checks,
                     ${missingFrom(sql`label_lacking`, sql`label_single`)} AS label_missing,
                     ${missingFrom(sql`note_lacking`, sql`note_single`)} AS note_missing
                FROM mv) c)`;
}

/**
 * Each movement's items: its checks' ranks, then its label's and its note's translations.
 * `first`: only the movements that can be among the first `first` items of their
 * operation's list: the first `first` with a failed check, and the first `first` with a
 * text to translate (each movement before an item puts at least one item before it).
 */
function movementItems(first?: number): SQL {
  const order = sql`ORDER BY route_position, route_id, scheduled_date, id`;
  const among = (flag: SQL) =>
    sql`SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY operation_id ${order}) AS n
                          FROM mc WHERE ${flag}) f WHERE n <= ${first}`;
  const head =
    first === undefined
      ? sql``
      : sql`AND mc.id IN (${among(sql`cardinality(checks) > 0`)} UNION ${among(
          sql`cardinality(label_missing) + cardinality(note_missing) > 0`,
        )})`;
  const ranks = sql`mc.checks
    || CASE WHEN cardinality(mc.label_missing) > 0 THEN ARRAY[${n(LABEL_RANK)}] ELSE '{}'::int[] END
    || CASE WHEN cardinality(mc.note_missing) > 0 THEN ARRAY[${n(NOTE_RANK)}] ELSE '{}'::int[] END`;
  const kinds = sql.raw(
    `ARRAY[${[...MOVEMENT_CHECKS, 'needs_translation', 'needs_translation'].map((k) => `'${k}'`).join(', ')}]`,
  );
  const translation = sql`u.rank > ${n(MOVEMENT_CHECKS.length)}`;
  return branch(
    {
      operationId: sql`mc.operation_id`,
      kind: sql`(${kinds})[u.rank]`,
      what: sql`CASE u.rank WHEN ${n(LABEL_RANK)} THEN 'movement_label' WHEN ${n(NOTE_RANK)} THEN 'movement_note' END`,
      routeId: sql`mc.route_id`,
      movementId: sql`mc.id`,
      label: sql`mc.label`,
      labels: sql`mc.labels`,
      seats: sql`mc.capacity`,
      people: sql`mc.people`,
      day: sql`mc.scheduled_date::text`,
      status: sql`mc.status`,
      missing: sql`CASE u.rank WHEN ${n(LABEL_RANK)} THEN mc.label_missing WHEN ${n(NOTE_RANK)} THEN mc.note_missing END`,
      section: sql`CASE WHEN ${translation} THEN ${n(TRANSLATION_SECTION)} ELSE 1 END`,
      routePosition: sql`mc.route_position`,
      sub: sql`CASE WHEN ${translation} THEN 2 ELSE 1 END`,
      date: sql`mc.scheduled_date`,
      itemId: sql`mc.id`,
      rank: sql`u.rank`,
    },
    sql`FROM mc CROSS JOIN LATERAL unnest(${ranks}) AS u(rank) WHERE mc.n_items > 0 ${head}`,
  );
}

/**
 * The branches of the union (after `WITH movementChecks()`); `movementIds`: those
 * movements' items only; `first`: enough movement items for each list's first `first`.
 */
function attentionBranches(scope: AttentionScope, first?: number): SQL[] {
  const now = sql`${scope.now.toISOString()}::timestamptz`;
  if (scope.movementIds) return [movementItems()];
  return [
    branch(
      { operationId: sql`o.id`, kind: sql`'no_public_contacts'`, section: 0 },
      sql`FROM operations o WHERE o.is_public AND o.status = 'active' AND NOT EXISTS (
        SELECT 1 FROM public_contacts pcx WHERE pcx.operation_id = o.id AND pcx.withdrawn_at IS NULL)`,
    ),
    // A route with no movement, or one still under way, not changed for staleAfterHours: the
    // stale rule (staleness.ts, staleness-sql.ts) on its last recorded change — a write time,
    // always known to the instant (staff see when the desk last touched it).
    branch(
      {
        operationId: sql`o.id`,
        kind: sql`'stale_route'`,
        routeId: sql`r.id`,
        since: sql`s.updated`,
        section: 1,
        routePosition: sql`r.position`,
      },
      staleRoutesFrom(
        sql`SELECT route_id, max(changed_at) AS changed_at, bool_or(status IN ${UNDER_WAY}) AS live
              FROM mv GROUP BY route_id`,
        now,
      ),
    ),
    movementItems(first),
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
    // The languages its outlet or its title lacks (the one source form fills both).
    branch(
      {
        operationId: sql`c.operation_id`,
        kind: sql`'needs_translation'`,
        what: sql`'source'`,
        sourceId: sql`s.id`,
        missing: sql`t.missing`,
        section: SOURCE_SECTION,
        itemId: sql`s.id`,
      },
      sql`FROM (${citedSources(now)}) c JOIN sources s ON s.id = c.source_id
        CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT x COLLATE "C" FROM unnest(
          ${missing(sourceTexts(sql`s.outlets`, sql`s.outlet`))} || ${missing(sourceTexts(sql`s.titles`, sql`s.title`))}
        ) x ORDER BY 1) AS missing) t
        WHERE cardinality(t.missing) > 0`,
    ),
  ];
}

/** The attention relation, for a FROM clause: `FROM (${attentionRelation(scope)}) items`. */
export function attentionRelation(scope: AttentionScope): SQL {
  return sql`WITH ${movementChecks(scope)} ${attentionUnion(scope)}`;
}

/** The union alone, to follow `WITH ${movementChecks(scope)}` in a statement of its own. */
export function attentionUnion(scope: AttentionScope, first?: number): SQL {
  return sql.join(attentionBranches(scope, first), sql` UNION ALL `);
}
