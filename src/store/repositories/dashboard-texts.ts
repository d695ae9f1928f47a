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
