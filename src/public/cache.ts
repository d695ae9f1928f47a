// The public cache: the projection of every public operation, read once per
// change, and each (language, format) rendered, compressed and hashed once per
// projection. A request is a Map lookup; nothing per request touches the database.
//
// Invalidation goes through PostgreSQL: every write transaction sends
// notifyChange, and every process LISTENs (PGlite: its embedded listen), so
// all processes drop their copy when a change commits. After a lost listener
// comes back we rebuild (signals may have been missed); while it is down we
// rebuild every few seconds instead of trusting the copy. If a rebuild fails
// because the database is down, the last good copy is served, marked with the
// time its figures are from.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Clock } from '../clock.ts';
import { loadPublicSnapshots } from '../domain/public-status.ts';
import { type PublicProjection, toPublicProjection } from '../domain/privacy.ts';
import { AppError } from '../errors.ts';
import type { Lang } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Database } from '../store/database.ts';
import type { Listener } from '../store/listener.ts';
import { CHANGE_CHANNEL } from '../store/notify.ts';

/** Under a spike, the figures are re-read at most this often (changes still show within a second). */
const SPIKE_BUILD_INTERVAL_MS = 500;
/** …and a crowd is this many requests waiting at once. */
const SPIKE_WAITING = 4;

const gzipAsync = promisify(zlib.gzip);
const brotliAsync = promisify(zlib.brotliCompress);

export type PublicFormat = 'html' | 'json' | 'atom' | 'csv';

export type Rendered = { body: string; contentType: string };
export type RenderFn = (
  projection: PublicProjection,
  lang: Lang,
  format: PublicFormat,
  meta: { degradedAsOf?: Date },
) => Rendered;

export type Rendition = {
  contentType: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Strong validator of the identity bytes; the encoded ones get a suffix. */
  etag: string;
  lastModified: Date;
  degraded: boolean;
};

type Build = {
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

export type PublicCacheOptions = {
  database: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  render: RenderFn;
  /** Longest a copy is trusted without a signal (a safety net; signals do the real work). */
  maxAgeMs?: number;
  /** How often to re-read while the listener is down, or while serving a degraded copy. */
  retryMs?: number;
  /** Requests per second from which a request may get the copy being replaced (default 100). */
  spikeRate?: number;
  /** …for at most this long after the change (default 2 s). */
  maxLagMs?: number;
};

export interface PublicCache {
  get(lang: Lang, format: PublicFormat): Promise<Rendition>;
  /** Drop the copy in this process (the signal does it in every process). */
  invalidate(): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createPublicCache(options: PublicCacheOptions): PublicCache {
  const { database, clock, logger, metrics, render } = options;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const retryMs = options.retryMs ?? 2_000;
  const spikeRate = options.spikeRate ?? 100;
  const maxLagMs = options.maxLagMs ?? 2_000;
  let outdatedSince = 0;
  /** Requests waiting for a build or a rendition right now. */
  let waiting = 0;
  let gen = 0;
  let current: Build | undefined;
  let lastGood: Build | undefined;
  let inflight: { gen: number; promise: Promise<Build> } | undefined;
  let listener: Listener | undefined;
  let starting: Promise<void> | undefined;
  let closed = false;
  /** Variants asked for recently: re-rendered as soon as a new build lands. */
  const hot = new Set<string>();
  const lastByKey = new Map<string, Rendition>();
  const lastGen = new Map<string, number>();

  const now = () => clock.now().getTime();

  const invalidate = () => {
    if (current?.gen === gen) outdatedSince = now();
    gen++;
    if (closed || hot.size === 0) return;
    // Read again right away, so the next request finds the new figures ready; under a
    // spike with saves arriving several a second, at most one read per SPIKE_BUILD_INTERVAL_MS.
    if (rate >= spikeRate || waiting >= SPIKE_WAITING) scheduleBuild();
    else void ensureBuild().catch(() => {});
  };

  let buildTimer: NodeJS.Timeout | undefined;
  let lastBuildAt = 0;
  function scheduleBuild() {
    if (buildTimer || (inflight && inflight.gen === gen)) return;
    const delay = Math.max(0, lastBuildAt + SPIKE_BUILD_INTERVAL_MS - Date.now());
    buildTimer = setTimeout(() => {
      buildTimer = undefined;
      if (!closed) void ensureBuild().catch(() => {});
    }, delay);
    buildTimer.unref();
  }

  const listening = () => listener?.connected() ?? false;

  let subscribing = false;
  async function subscribe(): Promise<void> {
    if (subscribing || listener) return;
    subscribing = true;
    try {
      listener = await database.listen(CHANGE_CHANNEL, invalidate, () => {
        logger.info('public cache: change listener back; re-reading the figures');
        invalidate();
      });
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'public cache: cannot listen for changes yet');
      listener = undefined;
    } finally {
      subscribing = false;
    }
    if (closed) await listener?.close().catch(() => {});
  }

  async function build(forGen: number): Promise<Build> {
    const at = clock.now();
    try {
      const snapshots = await loadPublicSnapshots({ db: database.db, now: at });
      const projection = toPublicProjection(snapshots, at);
      const ttl = listening() ? maxAgeMs : retryMs;
      const until = projection.validUntil ? projection.validUntil.getTime() : Infinity;
      const b: Build = {
        gen: forGen,
        projection,
        readAt: at,
        expiresAt: Math.min(at.getTime() + ttl, until),
        ready: new Map(),
        renditions: new Map(),
      };
      metrics.publicCache.inc({ outcome: 'rebuild' });
      lastGood = b;
      return b;
    } catch (err) {
      if (!lastGood)
        throw err instanceof AppError ? err : new AppError('db_unavailable', 'Figures unavailable.');
      logger.warn(
        { err: (err as Error).message },
        'public cache: rebuild failed; serving the last good copy',
      );
      return {
        gen: forGen,
        projection: lastGood.projection,
        readAt: lastGood.readAt,
        expiresAt: at.getTime() + retryMs,
        degradedAsOf: lastGood.readAt,
        ready: new Map(),
        renditions: new Map(),
      };
    }
  }

  function ensureBuild(): Promise<Build> {
    if (current && current.gen === gen && now() < current.expiresAt) return Promise.resolve(current);
    if (inflight && inflight.gen === gen) return inflight.promise;
    const forGen = gen;
    lastBuildAt = Date.now();
    const promise = build(forGen).then((b) => {
      if (!current || b.gen >= current.gen) {
        current = b;
        prerender(b);
      }
      if (inflight?.promise === promise) inflight = undefined;
      return b;
    });
    promise.catch(() => {
      if (inflight?.promise === promise) inflight = undefined;
    });
    inflight = { gen: forGen, promise };
    return promise;
  }

  function prerender(b: Build) {
    for (const key of hot) {
      const [lang, format] = key.split(':') as [Lang, PublicFormat];
      void renditionOf(b, lang, format).catch(() => {});
    }
  }

  /** Rendered and compressed once per build; compression runs off the event loop. */
  function renditionOf(b: Build, lang: Lang, format: PublicFormat): Promise<Rendition> {
    const key = `${lang}:${format}`;
    const existing = b.renditions.get(key);
    if (existing) return existing;
    const promise = (async () => {
      const { body, contentType } = render(b.projection, lang, format, { degradedAsOf: b.degradedAsOf });
      const identity = Buffer.from(body, 'utf8');
      const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 32)}"`;
      const [gzip, br] = await Promise.all([
        gzipAsync(identity, { level: 9 }),
        brotliAsync(identity, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
          },
        }),
      ]);
      const previous = lastByKey.get(key);
      // First copy: the data's own time (the same in every process); later: when this copy changed.
      const lastModified =
        previous?.etag === etag
          ? previous.lastModified
          : previous
            ? new Date(Math.max(b.readAt.getTime(), b.projection.lastUpdatedAt.getTime()))
            : b.projection.lastUpdatedAt;
      const rendition: Rendition = {
        contentType,
        identity,
        gzip,
        br,
        etag,
        lastModified: new Date(Math.floor(lastModified.getTime() / 1000) * 1000),
        degraded: b.degradedAsOf !== undefined,
      };
      b.ready.set(key, rendition);
      if (!previous || b.gen >= (lastGen.get(key) ?? -1)) {
        lastByKey.set(key, rendition);
        lastGen.set(key, b.gen);
      }
      return rendition;
    })();
    b.renditions.set(key, promise);
    promise.catch(() => b.renditions.delete(key));
    return promise;
  }

  // Requests per second, to tell a spike from a quiet moment (see get()).
  let windowStart = 0;
  let windowCount = 0;
  let rate = 0;
  const countRequest = () => {
    const t = now();
    if (t - windowStart >= 1000) {
      rate = t - windowStart < 2000 ? windowCount : 0;
      windowStart = t;
      windowCount = 0;
    }
    windowCount++;
    return Math.max(rate, windowCount);
  };

  let lastSubscribeAt = 0;
  const start = () => {
    if (!starting) {
      lastSubscribeAt = now();
      starting = subscribe();
    }
    return starting;
  };

  return {
    invalidate,
    start,
    async get(lang, format) {
      await start();
      if (!listener && !closed && now() - lastSubscribeAt > retryMs) {
        // Not listening (the database was down at start): keep trying, in the background.
        lastSubscribeAt = now();
        void subscribe();
      }
      const key = `${lang}:${format}`;
      hot.add(key);
      const load = countRequest();
      // The listener dropped (the database restarted?): a copy read while listening
      // is trusted only retryMs longer, so a failed re-read says "figures as of …".
      if (current && !listening() && current.expiresAt > now() + retryMs) current.expiresAt = now() + retryMs;
      const fresh = current && current.gen === gen && now() < current.expiresAt;
      const ready = fresh ? current!.ready.get(key) : undefined;
      if (ready) {
        metrics.publicCache.inc({ outcome: ready.degraded ? 'stale' : 'hit' });
        return ready;
      }
      // Under a spike, while the new copy is being read and rendered, answer with the copy
      // it replaces (for at most maxLagMs) rather than queue every request behind it. At a
      // quiet moment (a person checking their own save) the reader waits for the new figures.
      const previous = lastByKey.get(key);
      // A spike: many requests a second, or several already waiting (a closed-loop crowd).
      const spike = load >= spikeRate || waiting >= SPIKE_WAITING;
      if (spike && previous && (fresh || now() - outdatedSince < maxLagMs)) {
        if (fresh) void renditionOf(current!, lang, format).catch(() => {});
        else scheduleBuild();
        metrics.publicCache.inc({ outcome: previous.degraded ? 'stale' : 'hit' });
        return previous;
      }
      waiting++;
      let rendition: Rendition;
      try {
        const b = fresh ? current! : await ensureBuild();
        rendition = await renditionOf(b, lang, format);
      } finally {
        waiting--;
      }
      if (rendition.degraded) metrics.publicCache.inc({ outcome: 'stale' });
      return rendition;
    },
    async close() {
      closed = true;
      if (buildTimer) clearTimeout(buildTimer);
      await listener?.close().catch(() => {});
    },
  };
}
