// npm run bench:as-of — the cost of stateAsOf (src/domain/as-of.ts) for one
// operation of 1,000 movements with 100,000 figure history records, on a fresh
// embedded database. Baseline in the same run: the live snapshot (loadSnapshot),
// which reads the current figures only. Prints the median of a few runs of each
// and the ratio; figures go in docs/benchmarks.md. BENCH_MOVEMENTS / BENCH_HISTORY
// make it smaller for a quick check.
import { sql } from 'drizzle-orm';
import { stateAsOf } from '../src/domain/as-of.ts';
import { loadSnapshot } from '../src/domain/snapshot.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrateDatabase } from '../src/store/migrate.ts';
import { findOperation } from '../src/store/repositories/workspace.ts';

const MOVEMENTS = Number(process.env.BENCH_MOVEMENTS ?? 1_000);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 100_000);
const RUNS = 5;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    value = await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(RUNS / 2)]!, value };
}

async function main() {
  const database = await openDatabase({ kind: 'pglite' });
  await migrateDatabase(database);
  const fill = performance.now();
  const [op] = await database.rows<{ id: number }>(sql`
    INSERT INTO operations (slug, names) VALUES ('bench', '{"en":"Bench"}') RETURNING id`);
  const [route] = await database.rows<{ id: number }>(sql`
    INSERT INTO routes (operation_id, slug, names) VALUES (${op!.id}, 'r', '{"en":"R"}') RETURNING id`);
  await database.rows(sql`
    INSERT INTO movements (route_id, label, kind, status, departed_at)
    SELECT ${route!.id}, 'm' || i, 'flight', CASE WHEN i % 2 = 0 THEN 'departed' ELSE 'planned' END,
      CASE WHEN i % 2 = 0 THEN timestamptz '2026-03-01' + (i || ' minutes')::interval END
    FROM generate_series(1, ${MOVEMENTS}) AS i RETURNING 1`);
  // History: each record sets one figure of one movement, as of a moment in March.
  await database.rows(sql`
    INSERT INTO count_change_sets (movement_id, actor_label, reason, as_of, version_before, version_after)
    SELECT (SELECT min(id) FROM movements) + i % ${MOVEMENTS}, 'bench', 'r',
      timestamptz '2026-03-01' + ((i * 37) % 43200 || ' minutes')::interval, 1, 1
    FROM generate_series(1, ${HISTORY}) AS i RETURNING 1`);
  await database.rows(sql`
    INSERT INTO count_changes (change_set_id, stage, field, new_value)
    SELECT id, (ARRAY['registered','departed'])[1 + id % 2], (ARRAY['total','over60'])[1 + (id / 2) % 2], id % 500
    FROM count_change_sets RETURNING 1`);
  // The current figures' rows, dated as appendChangeSet keeps them (migration 0011).
  await database.rows(sql`
    INSERT INTO passenger_counts (movement_id, figures_as_of, registered_as_of)
    SELECT s.movement_id, max(s.as_of), max(s.as_of) FILTER (WHERE c.stage = 'registered')
    FROM count_change_sets s JOIN count_changes c ON c.change_set_id = s.id
    GROUP BY s.movement_id RETURNING 1`);
  await database.rows(sql`ANALYZE`);
  const fillMs = performance.now() - fill;

  const operation = (await findOperation(database.db, op!.id))!;
  const now = new Date('2026-04-01T00:00:00Z');
  const at = new Date('2026-03-15T12:00:00Z');
  const live = await timed(() => loadSnapshot({ db: database.db, now }, operation));
  const asOf = await timed(() => stateAsOf({ deps: { db: database.db }, operationId: op!.id, at }));
  const shown = asOf.value.routes[0]!.movements.length;
  console.log(
    JSON.stringify(
      {
        movements: MOVEMENTS,
        historyRecords: HISTORY,
        fillMs: Math.round(fillMs),
        liveSnapshotMs: Math.round(live.ms),
        stateAsOfMs: Math.round(asOf.ms),
        ratio: Number((asOf.ms / live.ms).toFixed(2)),
        movementsAsOf: shown,
      },
      null,
      2,
    ),
  );
  await database.close();
}

await main();
