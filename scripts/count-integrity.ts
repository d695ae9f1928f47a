// After a crash or a restart: is every saved change complete with its history,
// and does the history explain the current figures? Used by tests and the drill.
import pg from 'pg';

export type IntegrityReport = {
  movements: number;
  changeSets: number;
  problems: string[];
  reasons: Map<string, number>;
};

type Query = <R>(text: string, params: unknown[]) => Promise<{ rows: R[] }>;

/** `target`: a PostgreSQL URL, or a query function (e.g. an embedded PGlite's). */
export async function checkCountIntegrity(
  target: string | { query: Query },
  movementIds: number[],
): Promise<IntegrityReport> {
  const pgClient = typeof target === 'string' ? new pg.Client({ connectionString: target }) : undefined;
  await pgClient?.connect();
  const client: { query: Query } = pgClient
    ? {
        query: <R>(text: string, params: unknown[]) =>
          pgClient.query(text, params).then((result) => ({ rows: result.rows as R[] })),
      }
    : (target as { query: Query });
  const problems: string[] = [];
  const reasons = new Map<string, number>();
  let changeSets = 0;
  try {
    for (const id of movementIds) {
      const { rows: mv } = await client.query<{ version: number; registered_total: number | null }>(
        `SELECT m.version, pc.registered_total FROM movements m
         LEFT JOIN passenger_counts pc ON pc.movement_id = m.id WHERE m.id = $1`,
        [id],
      );
      const { rows: sets } = await client.query<{
        id: string;
        version_before: number;
        version_after: number;
        reason: string;
        n: string;
      }>(
        `SELECT s.id, s.version_before, s.version_after, s.reason,
                (SELECT count(*) FROM count_changes c WHERE c.change_set_id = s.id) AS n
         FROM count_change_sets s WHERE s.movement_id = $1 ORDER BY s.id`,
        [id],
      );
      changeSets += sets.length;
      let version = 1;
      for (const s of sets) {
        reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
        if (Number(s.n) === 0) problems.push(`movement ${id}: change set ${s.id} has no field changes`);
        if (s.version_before !== version || s.version_after !== version + 1)
          problems.push(
            `movement ${id}: change set ${s.id} goes ${s.version_before}→${s.version_after}, expected ${version}→${version + 1}`,
          );
        version = s.version_after;
      }
      if (mv[0]?.version !== version)
        problems.push(`movement ${id}: version ${mv[0]?.version} but its history ends at ${version}`);
      const { rows: last } = await client.query<{ new_value: number | null }>(
        `SELECT c.new_value FROM count_changes c JOIN count_change_sets s ON s.id = c.change_set_id
         WHERE s.movement_id = $1 AND c.stage = 'registered' AND c.field = 'total'
         ORDER BY c.id DESC LIMIT 1`,
        [id],
      );
      if (last[0] && last[0].new_value !== mv[0]?.registered_total)
        problems.push(
          `movement ${id}: registered total ${mv[0]?.registered_total} but the history says ${last[0].new_value}`,
        );
    }
  } finally {
    await pgClient?.end();
  }
  return { movements: movementIds.length, changeSets, problems, reasons };
}
