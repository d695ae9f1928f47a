// Which languages a staff-written text lacks, in SQL: the rules of missingLanguages()
// (src/domain/staff/attention.ts) and perLanguage() (src/domain/snapshot.ts) for the
// dashboard's attention relation (dashboard-attention.ts).
import { type SQL, sql } from 'drizzle-orm';
import { LANGUAGES } from '../../i18n/languages.ts';

// Language codes come from the registry (never from a request): quoted as literals.
const literal = (code: string) => {
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(code)) throw new Error(`unexpected language code ${code}`);
  return sql.raw(`'${code}'`);
};
export const LANGS = sql`ARRAY[${sql.join(LANGUAGES.map(literal), sql`, `)}]::text[]`;
/**
 * A value with something besides white space (JavaScript's `trim() !== ''`): PostgreSQL's
 * `\S` agrees on spaces, tabs and line breaks; a text of only rarer Unicode spaces may not.
 */
export const written = (text: SQL) => sql`coalesce(${text} ~ '\\S', false)`;
/** The languages `json` lacks, in the registry's order (all of them for an empty text). */
export const lacking = (json: SQL) =>
  sql`array_remove(ARRAY[${sql.join(
    LANGUAGES.map(
      (l) => sql`CASE WHEN ${written(sql`${json} ->> ${literal(l)}`)} THEN NULL ELSE ${literal(l)} END`,
    ),
    sql`, `,
  )}]::text[], NULL)`;
/** missingLanguages(): nothing for a text written in no language. */
export const missing = (json: SQL) =>
  sql`(CASE WHEN cardinality(${lacking(json)}) < ${LANGUAGES.length} THEN ${lacking(json)} ELSE '{}'::text[] END)`;
/**
 * missingLanguages(perLanguage(json, single, working)) (src/domain/snapshot.ts): a row
 * written before the per-language columns counts as written in the working language.
 */
export const missingOrSingle = (json: SQL, single: SQL, working: SQL) =>
  sql`(CASE WHEN cardinality(${lacking(json)}) < ${LANGUAGES.length} THEN ${lacking(json)}
            WHEN ${written(single)} THEN array_remove(${LANGS}, ${working})
            ELSE '{}'::text[] END)`;

/**
 * sourceTexts() (src/domain/staff/sources.ts) of the source aliased `s`: its texts, its single text standing
 * for its own language (an unknown language code counts as 'en') where that is blank.
 */
export function sourceTexts(json: SQL, single: SQL): SQL {
  const own = sql`(CASE WHEN s.language = ANY(${LANGS}) THEN s.language ELSE 'en' END)`;
  return sql`(CASE WHEN ${written(sql`${json} ->> ${own}`)} OR NOT ${written(single)} THEN ${json}
                   ELSE ${json} || jsonb_build_object(${own}, ${single}) END)`;
}

/** The sources an operation cites: on its routes, its movements, their figures and its current notices. */
export const citedSources = (
  now: SQL,
) => sql`SELECT r.operation_id, r.source_id FROM routes r WHERE r.source_id IS NOT NULL
  UNION SELECT x.operation_id, x.source_id FROM notices x
         WHERE x.source_id IS NOT NULL AND (x.expires_at IS NULL OR x.expires_at > ${now})
  UNION SELECT r.operation_id, m.source_id FROM movements m JOIN routes r ON r.id = m.route_id
         WHERE m.source_id IS NOT NULL
  UNION SELECT r.operation_id, pc.source_id FROM passenger_counts pc JOIN movements m ON m.id = pc.movement_id
         JOIN routes r ON r.id = m.route_id WHERE pc.source_id IS NOT NULL`;
