// The process tests against a PostgreSQL that the test itself stops, restarts or
// freezes: a throwaway cluster (scripts/pg-cluster.ts), migrated, with one
// operation, one route and one departed movement, and the app serving it
// in-process with its log captured.
import { type ThrowawayPostgres, startThrowawayPostgres } from '../../scripts/pg-cluster.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { type TestServer, startTestServer } from './app.ts';
import { counts, makeMovement, makeOperation, makeRoute } from './factories.ts';
import { capturedLogger } from './log-capture.ts';

export type ThrowawayApp = {
  cluster: ThrowawayPostgres;
  /** The app's database's URL (for a raw client of the test's own). */
  url: string;
  database: Database;
  server: TestServer;
  slug: string;
  movementId: number;
  /** The app's log lines so far. */
  logLines: string[];
  /** The operation's registered total on the public JSON now. */
  registered(): Promise<number | null | undefined>;
  close(): Promise<void>;
};

export type PublicStatus = {
  degraded: boolean;
  figuresAsOf: string | null;
  operations: { slug: string; totals: { registered: { value: number | null } } }[];
};

export async function startThrowawayApp(options: { registered: number }): Promise<ThrowawayApp> {
  const cluster = await startThrowawayPostgres();
  const url = await cluster.createDatabase('corridor');
  const { logger, lines } = capturedLogger();
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 5, logger });
  await migrateDatabase(database);
  const op = await makeOperation(database.db);
  const { route } = await makeRoute(database.db, op.id);
  const movement = await makeMovement(
    database.db,
    route.id,
    { status: 'departed', departedAt: new Date(Date.now() - 3_600_000) },
    // No departed figure: everyone on the list counts in the total (stage not reported).
    counts({ registered: { total: options.registered } }),
  );
  const server = await startTestServer(database, { deps: { logger } });
  return {
    cluster,
    url,
    database,
    server,
    slug: op.slug,
    movementId: movement.id,
    logLines: lines,
    async registered() {
      const s = (await (await fetch(`${server.url}/api/v1/status`)).json()) as PublicStatus;
      return s.operations.find((o) => o.slug === op.slug)?.totals.registered.value;
    },
    async close() {
      await server.close();
      await database.close().catch(() => {}); // the cluster may be stopped or frozen
      cluster.destroy();
    },
  };
}
