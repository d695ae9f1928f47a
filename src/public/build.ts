// One build of the public cache: the projection of every public operation, read
// in one transaction, and the renditions made from it. A failed read with a good
// build behind it gives a degraded build of the last good figures, marked as such.
import type { Clock } from '../clock.ts';
import { type PublicProjection, toPublicProjection } from '../domain/privacy.ts';
import { loadPublicSnapshots } from '../domain/public-status.ts';
import { AppError } from '../errors.ts';
import type { Lang } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Database } from '../store/database.ts';
import type { Rendition } from './rendition.ts';

/**
 * Each output's format; where each is served is src/public/urls.ts. A page with a
 * parameter is its path under /{lang}/: `routes/<slug>[/<n>]`, `timeline[/<n>]`.
 */
export type PublicFormat =
  | 'html'
  | 'json'
  | 'atom'
  | 'csv'
  | 'hxl'
  | 'methodology'
  | `routes/${string}`
  | 'timeline'
  | `timeline/${string}`;

export type Rendered = { body: string; contentType: string };
export type RenderFn = (
  projection: PublicProjection,
  lang: Lang,
  format: PublicFormat,
  meta: { degradedAsOf?: Date },
) => Rendered;

export type Build = {
  gen: number;
  /** Renditions finished (served without waiting) and in progress. */
  ready: Map<string, Rendition>;
  projection: PublicProjection;
  /** When the figures were read from the database. */
  readAt: Date;
  expiresAt: number;
  degradedAsOf?: Date;
  renditions: Map<string, Promise<Rendition>>;
};

export async function readBuild(
  deps: { database: Database; clock: Clock; logger: Logger; metrics: Metrics },
  o: { gen: number; ttlMs: number; retryMs: number; lastGood: Build | undefined },
): Promise<Build> {
  const at = deps.clock.now();
  try {
    const snapshots = await loadPublicSnapshots({ db: deps.database.db, now: at });
    const projection = toPublicProjection(snapshots, at);
    const until = projection.validUntil ? projection.validUntil.getTime() : Infinity;
    deps.metrics.publicCache.inc({ outcome: 'rebuild' });
    return {
      gen: o.gen,
      projection,
      readAt: at,
      expiresAt: Math.min(at.getTime() + o.ttlMs, until),
      ready: new Map(),
      renditions: new Map(),
    };
  } catch (err) {
    if (!o.lastGood)
      throw err instanceof AppError ? err : new AppError('db_unavailable', 'Figures unavailable.');
    deps.logger.warn(
      { err: (err as Error).message },
      'public cache: rebuild failed; serving the last good copy',
    );
    return {
      gen: o.gen,
      projection: o.lastGood.projection,
      readAt: o.lastGood.readAt,
      expiresAt: at.getTime() + o.retryMs,
      degradedAsOf: o.lastGood.readAt,
      ready: new Map(),
      renditions: new Map(),
    };
  }
}
