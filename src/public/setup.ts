// The public cache as configured: rendering with the app's templates, and publishing
// files when PUBLIC_EXPORT_DIR is set. server.ts builds it (and starts it before the
// first request); createApp builds one the same way when a test passes none.
import type { AppDeps } from '../deps.ts';
import { type PublicCache, createPublicCache } from './cache.ts';
import { createPublicExport } from './export.ts';
import { publicPageFormats, publicRenderer } from './render.ts';

export function buildPublicCache(
  deps: Pick<AppDeps, 'config' | 'database' | 'clock' | 'logger' | 'metrics' | 'renderer'>,
): PublicCache {
  const { config, logger } = deps;
  return createPublicCache({
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
