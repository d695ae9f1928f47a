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
import { AppError } from '../errors.ts';
import { CHANGE_CHANNEL } from '../store/notify.ts';
import {
  type Build,
  type BuildRefusal,
  type PublicFormat,
  type RenderFn,
  type Rendered,
  readBuild,
} from './build.ts';
import type { PublicExport } from './export.ts';
import { contentChangedAt } from './last-modified.ts';
import { type Projector, inlineProjector } from './projector.ts';
import { type Rendition, encodeRendered, toRendition } from './rendition.ts';

export type { Rendition };

/** Under a spike, the figures are re-read at most this often (changes still show within a second). */
const SPIKE_BUILD_INTERVAL_MS = 500;
/** …and a crowd is this many requests waiting at once. */
const SPIKE_WAITING = 4;

export type { Build, BuildRefusal, PublicFormat, RenderFn, Rendered };

/** A reader waits this long for a build in progress, then gets the copy it replaces. */
const MAX_WAIT_MS = 250;

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
  /** Where projections are computed (default: inline; the server: a worker thread). */
  projector?: Projector;
  /** Longest a reader waits for a build in progress when an older copy exists (default 250 ms). */
  maxWaitMs?: number;
  /** Also write every build out as files (PUBLIC_EXPORT_DIR; src/public/export.ts). */
  publish?: PublicExport;
};

export interface PublicCache {
  get(lang: Lang, format: PublicFormat): Promise<Rendition>;
  /** The rendition if it can be answered now, without waiting (the public fast path). */
  peek(lang: Lang, format: PublicFormat): Rendition | undefined;
  /** The disclosure audit refused the latest figures: the public outputs show an older state. */
  refusal(): BuildRefusal | undefined;
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
  const maxWaitMs = options.maxWaitMs ?? MAX_WAIT_MS;
  const projector = options.projector ?? inlineProjector();
  let refusal: BuildRefusal | undefined;
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
  /** For background builds and renders: the failure was logged where it happened. */
  const logged = () => {
    // Already logged once (readBuild, ensureBuild or renditionOf): nothing more to do.
  };
  const closeListener = () =>
    listener?.close().catch((err: unknown) => {
      logger.warn({ err, kind: 'listen_close_failed' }, 'public cache: closing the listener failed');
    });

  const invalidate = () => {
    if (current?.gen === gen) outdatedSince = now();
    gen++;
    // Nobody asked yet: the next request reads (unless files are published, which must follow).
    if (closed || (hot.size === 0 && !publish)) return;
    // Read again right away, so the next request finds the new figures ready; under a
    // spike with saves arriving several a second, at most one read per SPIKE_BUILD_INTERVAL_MS.
    // Publishing files, every build writes them all: at most one per SPIKE_BUILD_INTERVAL_MS too.
    if (publish || load.rate() >= spikeRate || waiting >= SPIKE_WAITING) scheduleBuild();
    else void ensureBuild().catch(logged);
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
    const delay = Math.max(0, lastBuildAt + SPIKE_BUILD_INTERVAL_MS - now());
    buildTimer = setTimeout(() => {
      buildTimer = undefined;
      if (!closed) void ensureBuild().catch(logged);
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
      logger.warn({ err, kind: 'listen_failed' }, 'public cache: cannot listen for changes yet');
      listener = undefined;
    } finally {
      subscribing = false;
    }
    if (closed) await closeListener();
  }

  async function build(forGen: number): Promise<Build> {
    const ttlMs = listening() ? maxAgeMs : retryMs;
    const b = await readBuild(
      { database, clock, logger, metrics, projector },
      { gen: forGen, ttlMs, retryMs, lastGood },
    );
    if (b.refusedAt) {
      const failing = b.projection.disclosure.operations.filter((d) => !d.ok);
      refusal = {
        at: b.refusedAt,
        operations: failing.map((d) => ({ operationId: d.operationId, failures: d.failures })),
      };
    } else if (!b.degradedAsOf) {
      lastGood = b;
      refusal = undefined;
    }
    return b;
  }

  function ensureBuild(): Promise<Build> {
    if (current && current.gen === gen && now() < current.expiresAt) return Promise.resolve(current);
    if (inflight && inflight.gen === gen) return inflight.promise;
    const forGen = gen;
    lastBuildAt = now();
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
    promise.catch((err: unknown) => {
      if (inflight?.promise === promise) inflight = undefined;
      // Read failures and refusals are logged (and answered) in readBuild; anything else here.
      if (!(err instanceof AppError && err.code === 'db_unavailable'))
        logger.error({ err, kind: 'public_build_failed' }, 'public cache: build failed');
    });
    inflight = { gen: forGen, promise };
    return promise;
  }

  function prerender(b: Build) {
    for (const key of hot) {
      const [lang, format] = key.split(':') as [Lang, PublicFormat];
      void renditionOf(b, lang, format).catch(logged);
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
    promise.catch((err: unknown) => {
      b.renditions.delete(key);
      logger.error({ err, kind: 'public_render_failed', key }, 'public cache: render failed');
    });
    return promise;
  }

  const load = requestRate(now);

  /** The copy served last has passed one of its time marks (projection.validUntil). */
  const markPassed = () => {
    const until = current?.projection.validUntil;
    return until !== null && until !== undefined && until.getTime() <= now();
  };

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
      if (fresh) void renditionOf(current!, lang, format).catch(logged);
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
        const next = (async () => renditionOf(found.fresh ? current! : await ensureBuild(), lang, format))();
        // A long build (thousands of movements): past maxWaitMs the reader gets the copy
        // it replaces, which stays correct (it was published) until the new one lands.
        // Not when time alone outdated it (a route turned stale, a delay ended): that copy is
        // no longer true, and a reader must not be told its validators still hold.
        const previous = markPassed() ? undefined : lastByKey.get(`${lang}:${format}`);
        rendition = previous ? await within(next, maxWaitMs, previous) : await next;
        if (rendition === previous) metrics.publicCache.inc({ outcome: 'previous' });
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
    refusal: () => refusal,
    async close() {
      closed = true;
      if (buildTimer) clearTimeout(buildTimer);
      if (refreshTimer) clearTimeout(refreshTimer);
      await closeListener();
      await projector.close();
    },
  };
}

/** The promise's value if it settles within ms, else the fallback (the promise runs on). */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  // A failure after the fallback was answered is logged where it happened.
  promise.catch(() => undefined);
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
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
