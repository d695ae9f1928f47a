// The public cache as configured: rendering with the app's templates, and publishing
// files when PUBLIC_EXPORT_DIR is set, projecting in a worker thread when asked
// (compose.ts: the server and the benchmarks). server.ts builds it (and starts it before the
// first request); createApp builds one the same way when a test passes none.
import type { AppDeps } from '../deps.ts';
import { type PublicCache, createPublicCache } from './cache.ts';
import { createPublicExport } from './export.ts';
import { inlineProjector, workerProjector } from './projector.ts';
import { publicPageFormats, publicRenderer } from './render.ts';

export function buildPublicCache(
  deps: Pick<AppDeps, 'config' | 'database' | 'clock' | 'logger' | 'metrics' | 'renderer'>,
  o: { worker?: boolean } = {},
): PublicCache {
  const { config, logger } = deps;
  return createPublicCache({
    // The server projects and renders in a worker thread (the event loop stays free); tests inline.
    projector: o.worker
      ? workerProjector({
          logger,
          render: { baseUrl: config.PUBLIC_BASE_URL, tagAuthority: config.TAG_AUTHORITY },
        })
      : inlineProjector(),
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
