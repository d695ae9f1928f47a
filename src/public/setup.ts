// The public cache as configured: rendering with the app's templates, and publishing
// files when PUBLIC_EXPORT_DIR is set, projecting in a worker thread when asked
// (compose.ts: the server and the benchmarks). server.ts builds it (and starts it before the
// first request); createApp builds one the same way when a test passes none.
import type { AppDeps } from '../deps.ts';
import { type PublicCache, createPublicCache } from './cache.ts';
import { createPublicExport } from './export.ts';
import { type Projector, inlineProjector, workerProjector } from './projector.ts';
import { publicPageFormats, publicRenderer } from './render.ts';

type SetupDeps = Pick<AppDeps, 'config' | 'database' | 'clock' | 'logger' | 'metrics' | 'renderer'>;

/** Connections of the worker's own pool: one build reads at a time (one spare). */
const WORKER_POOL_SIZE = 2;

/**
 * The server projects and renders in a worker thread (the event loop stays free) and, on
 * PostgreSQL, reads the figures there from its own small pool; tests project inline.
 */
function projectorFor({ config, database, logger }: SetupDeps, worker: boolean): Projector {
  if (!worker) return inlineProjector();
  // The same database the app opened (not re-read from the environment).
  const url = database.kind === 'postgres' ? database.connectionString : undefined;
  return workerProjector({
    logger,
    render: { baseUrl: config.PUBLIC_BASE_URL, tagAuthority: config.TAG_AUTHORITY },
    read: url ? { url, poolSize: WORKER_POOL_SIZE } : undefined,
    semiSpaceMb: config.NODE_WORKER_SEMI_SPACE_MB,
  });
}

export function buildPublicCache(deps: SetupDeps, o: { worker?: boolean } = {}): PublicCache {
  const { config, logger } = deps;
  return createPublicCache({
    projector: projectorFor(deps, o.worker ?? false),
    database: deps.database,
    clock: deps.clock,
    logger,
    metrics: deps.metrics,
    render: publicRenderer({
      renderer: deps.renderer,
      baseUrl: config.PUBLIC_BASE_URL,
      tagAuthority: config.TAG_AUTHORITY,
    }),
    publish: config.PUBLIC_EXPORT_DIR
      ? createPublicExport({ dir: config.PUBLIC_EXPORT_DIR, logger, pages: publicPageFormats })
      : undefined,
  });
}
