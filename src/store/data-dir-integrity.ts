// What can be checked cheaply at start, on the embedded database: every table
// the last clean stop recorded is there with the same number of rows (reading
// every row also verifies each page's checksum: PGlite folders have them on),
// and no table or index file is shorter than the catalogue says it was.
import { type SQL, sql } from 'drizzle-orm';
import type { TableCounts, TableProblem } from './data-dir.ts';

type Rows = <T extends Record<string, unknown>>(query: SQL) => Promise<T[]>;

async function tables(rows: Rows): Promise<string[]> {
  const list = await rows<{ name: string }>(sql`
    SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname IN ('public', 'drizzle') ORDER BY 1`);
  return list.map((r) => r.name);
}

/** Row counts of every Corridor table. */
export async function tableCounts(rows: Rows): Promise<TableCounts> {
  const counts: TableCounts = {};
  for (const name of await tables(rows)) {
    const [schema, table] = name.split('.') as [string, string];
    const [row] = await rows<{ n: number | string }>(
      sql`SELECT count(*) AS n FROM ${sql.identifier(schema)}.${sql.identifier(table)}`,
    );
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

/** Problems found; empty when the folder looks as it was left. */
export async function integrityProblems(rows: Rows, recorded: TableCounts | null): Promise<TableProblem[]> {
  const problems: TableProblem[] = [];
  // A relation file shorter than the pages the catalogue last counted in it: cut short on disk.
  const truncated = await rows<{ name: string; pages: number; bytes: number | string }>(sql`
    SELECT n.nspname || '.' || c.relname AS name, c.relpages AS pages, pg_relation_size(c.oid) AS bytes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'i', 't') AND n.nspname IN ('public', 'drizzle', 'pg_toast')
      AND c.relpages > 0 AND pg_relation_size(c.oid) < c.relpages::bigint * 8192`);
  for (const t of truncated)
    problems.push({ table: t.name, problem: 'shorter', bytes: Number(t.bytes), pages: t.pages });
  let counts: TableCounts;
  try {
    counts = await tableCounts(rows);
  } catch (err) {
    return [...problems, { table: null, problem: 'unreadable', error: (err as Error).message }];
  }
  if (recorded)
    for (const [name, n] of Object.entries(recorded)) {
      if (!(name in counts)) problems.push({ table: name, problem: 'missing' });
      else if (counts[name] !== n)
        problems.push({ table: name, problem: 'rows', rows: counts[name]!, recorded: n });
    }
  return problems;
}

/** A problem in words. */
export function describeTableProblem(p: TableProblem): string {
  switch (p.problem) {
    case 'shorter':
      return `${p.table} is shorter on disk (${p.bytes} bytes) than its ${p.pages} pages`;
    case 'missing':
      return `table ${p.table} is missing`;
    case 'rows':
      return `${p.table} has ${p.rows} rows; ${p.recorded} when last stopped cleanly`;
    case 'unreadable':
      return `a table cannot be read (${p.error})`;
  }
}
