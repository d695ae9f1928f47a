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
import type { Clock } from '../clock.ts';
import type { Lang } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Database } from '../store/database.ts';
import type { Listener } from '../store/listener.ts';
import { CHANGE_CHANNEL } from '../store/notify.ts';
import { type Build, type PublicFormat, type RenderFn, type Rendered, readBuild } from './build.ts';
import type { PublicExport } from './export.ts';
import { contentChangedAt } from './last-modified.ts';
import { type Rendition, encodeRendered, toRendition } from './rendition.ts';

export type { Rendition };

/** Under a spike, the figures are re-read at most this often (changes still show within a second). */
const SPIKE_BUILD_INTERVAL_MS = 500;
/** …and a crowd is this many requests waiting at once. */
const SPIKE_WAITING = 4;

export type { Build, PublicFormat, RenderFn, Rendered };

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
  /** Also write every build out as files (PUBLIC_EXPORT_DIR; src/public/export.ts). */
  publish?: PublicExport;
};

export interface PublicCache {
  get(lang: Lang, format: PublicFormat): Promise<Rendition>;
  /** The rendition if it can be answered now, without waiting (the public fast path). */
  peek(lang: Lang, format: PublicFormat): Rendition | undefined;
  /** Drop the copy in this process (the signal does it in every process). */
  invalidate(): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createPublicCache(options: PublicCacheOptions): PublicCache {
  const { database, clock, logger, metrics, render, publish } = options;
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
    // Nobody asked yet: the next request reads (unless files are published, which must follow).
    if (closed || (hot.size === 0 && !publish)) return;
    // Read again right away, so the next request finds the new figures ready; under a
    // spike with saves arriving several a second, at most one read per SPIKE_BUILD_INTERVAL_MS.
    // Publishing files, every build writes them all: at most one per SPIKE_BUILD_INTERVAL_MS too.
    if (publish || load.rate() >= spikeRate || waiting >= SPIKE_WAITING) scheduleBuild();
    else void ensureBuild().catch(() => {});
  };

  let refreshTimer: NodeJS.Timeout | undefined;
  /** With files published, a build is due even if no request comes (a failed one retries). */
  function refreshIn(ms: number) {
    if (closed) return;
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(
      () => {
        refreshTimer = undefined;
        ensureBuild().catch(() => refreshIn(retryMs));
      },
      Math.max(0, ms) + 5,
    );
    refreshTimer.unref();
  }

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
    const ttlMs = listening() ? maxAgeMs : retryMs;
    const b = await readBuild(
      { database, clock, logger, metrics },
      { gen: forGen, ttlMs, retryMs, lastGood },
    );
    if (!b.degradedAsOf) lastGood = b;
    return b;
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
        if (publish) {
          void publish.publish(b.gen, (lang, format) => renditionOf(b, lang, format), b.projection);
          // Nothing may ask again (nginx serves the files): re-read when this copy expires.
          refreshIn(b.expiresAt - now());
        }
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
      const encoded = await encodeRendered(
        render(b.projection, lang, format, { degradedAsOf: b.degradedAsOf }),
      );
      // Read after the await: another build may have replaced this variant meanwhile.
      const previous = lastByKey.get(key);
      const rendition = toRendition(encoded, {
        previous,
        changedAt: contentChangedAt(b.projection, format, b.readAt),
        // A degraded copy's banner appeared now; a fresh one's content dates from its read.
        readAt: b.degradedAsOf ? new Date(now()) : b.readAt,
        degraded: b.degradedAsOf !== undefined,
      });
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

  const load = requestRate(now);

  let lastSubscribeAt = 0;
  let started = false;
  const start = () => {
    if (!starting) {
      lastSubscribeAt = now();
      starting = subscribe().then(() => {
        started = true;
        if (publish) refreshIn(0);
      });
    }
    return starting;
  };

  /** A rendition that can be answered now, or what the caller must wait for. */
  function lookup(lang: Lang, format: PublicFormat): Rendition | { fresh: boolean } {
    if (!listener && !closed && now() - lastSubscribeAt > retryMs) {
      // Not listening (the database was down at start): keep trying, in the background.
      lastSubscribeAt = now();
      void subscribe();
    }
    const key = `${lang}:${format}`;
    // A page with a parameter (a route's page) is hot once it exists: a made-up slug never is.
    if (!format.includes('/') || lastByKey.has(key)) hot.add(key);
    const requests = load.count();
    // The listener dropped (the database restarted?): a copy read while listening
    // is trusted only retryMs longer, so a failed re-read says "figures as of …".
    if (current && !listening() && current.expiresAt > now() + retryMs) current.expiresAt = now() + retryMs;
    const fresh = current !== undefined && current.gen === gen && now() < current.expiresAt;
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
    const spike = requests >= spikeRate || waiting >= SPIKE_WAITING;
    if (spike && previous && (fresh || now() - outdatedSince < maxLagMs)) {
      if (fresh) void renditionOf(current!, lang, format).catch(() => {});
      else scheduleBuild();
      metrics.publicCache.inc({ outcome: previous.degraded ? 'stale' : 'hit' });
      return previous;
    }
    return { fresh };
  }

  return {
    invalidate,
    start,
    async get(lang, format) {
      await start();
      const found = lookup(lang, format);
      if ('identity' in found) return found;
      waiting++;
      let rendition: Rendition;
      try {
        const b = found.fresh ? current! : await ensureBuild();
        rendition = await renditionOf(b, lang, format);
      } finally {
        waiting--;
      }
      hot.add(`${lang}:${format}`);
      if (rendition.degraded) metrics.publicCache.inc({ outcome: 'stale' });
      return rendition;
    },
    peek(lang, format) {
      if (!started) return undefined;
      const found = lookup(lang, format);
      return 'identity' in found ? found : undefined;
    },
    async close() {
      closed = true;
      if (buildTimer) clearTimeout(buildTimer);
      if (refreshTimer) clearTimeout(refreshTimer);
      await listener?.close().catch(() => {});
    },
  };
}

/** Requests per second, to tell a spike from a quiet moment. */
function requestRate(now: () => number) {
  let windowStart = 0;
  let windowCount = 0;
  let rate = 0;
  return {
    /** The last full second's count. */
    rate: () => rate,
    /** Counts one request; returns the load (this second's or the last one's, the larger). */
    count(): number {
      const t = now();
      if (t - windowStart >= 1000) {
        rate = t - windowStart < 2000 ? windowCount : 0;
        windowStart = t;
        windowCount = 0;
      }
      windowCount++;
      return Math.max(rate, windowCount);
    },
  };
}
