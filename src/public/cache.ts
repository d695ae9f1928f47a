// The public cache: the projection of every public operation, read once per
// change, and each (language, format) rendered, compressed and hashed once per
// projection. A request is a Map lookup; nothing per request touches the database.
//
// Four parts behind this one interface:
// - the change subscription (cache-subscription.ts): every process LISTENs for
//   committed changes and drops its copy; a lost listener that comes back rebuilds;
//   while it is down, a copy is trusted only retryMs;
// - the build scheduler (cache-scheduler.ts): one build per change at a time, off
//   the event loop (projector.ts), the last good copy kept when a read fails (served
//   marked "figures as of …") or the disclosure audit refuses (refusal());
// - the rendition store (cache-renditions.ts): each variant rendered, compressed
//   and hashed once per build, the latest kept while a newer one is made;
// - the spike policy (cache-spike.ts): under a crowd, the copy being replaced is
//   served for a moment and builds are throttled.
// Every failure is logged once, with its stack and kind, where it happens.
import type { Clock } from '../clock.ts';
import type { Lang } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Database } from '../store/database.ts';
import type { Build, BuildRefusal, PublicFormat, RenderFn, Rendered } from './build.ts';
import { loggedAlready, createRenditionStore, variantKey } from './cache-renditions.ts';
import { createBuildScheduler } from './cache-scheduler.ts';
import { BURST_BUILD_INTERVAL_MS, createSpikePolicy } from './cache-spike.ts';
import { createChangeSubscription } from './cache-subscription.ts';
import type { PublicExport } from './export.ts';
import { type Projector, inlineProjector } from './projector.ts';
import type { Rendition } from './rendition.ts';

export type { Rendition };

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
  const { clock, metrics, publish } = options;
  const maxWaitMs = options.maxWaitMs ?? MAX_WAIT_MS;
  const maxLagMs = options.maxLagMs ?? 2_000;
  const retryMs = options.retryMs ?? 2_000;
  const projector = options.projector ?? inlineProjector();
  const now = () => clock.now().getTime();
  let closed = false;
  let started = false;
  let starting: Promise<void> | undefined;

  const spikes = createSpikePolicy({ now, spikeRate: options.spikeRate ?? 100 });
  const renditions = createRenditionStore({
    render: options.render,
    projector,
    logger: options.logger,
    clock,
    metrics,
  });
  const subscription = createChangeSubscription({
    database: options.database,
    logger: options.logger,
    now,
    retryMs,
    onChange: () => invalidate(),
  });
  const builds = createBuildScheduler({
    database: options.database,
    clock,
    logger: options.logger,
    metrics,
    projector,
    maxAgeMs: options.maxAgeMs ?? 60_000,
    retryMs,
    listening: () => subscription.listening(),
    publishing: publish !== undefined,
    onAudited: (projection) => renditions.early(projection),
    onBuilt(b) {
      renditions.prerender(b);
      if (publish)
        void publish.publish(b.gen, (lang, format) => renditions.of(b, lang, format), b.projection);
    },
  });

  /** Under a burst of changes (an import), builds are spaced out more (cache-spike.ts). */
  const throttle = () => builds.throttled(spikes.bursting() ? BURST_BUILD_INTERVAL_MS : undefined);

  function invalidate() {
    builds.changed();
    const burst = spikes.change();
    // Nobody asked lately (cache-renditions.ts, HOT_FOR_MS): the next request reads (unless
    // files are published, which must follow).
    if (closed || (renditions.hot.size === 0 && !publish)) return;
    // Read again right away, so the next request finds the new figures ready; under a
    // spike with saves arriving several a second, at most one read per SPIKE_BUILD_INTERVAL_MS.
    // Publishing files, every build writes them all: at most one per SPIKE_BUILD_INTERVAL_MS too.
    // A burst of changes (an import's chunks): at most one per BURST_BUILD_INTERVAL_MS.
    if (publish || burst || spikes.spike()) throttle();
    else void builds.ensure().catch(loggedAlready);
  }

  /** The copy served last has passed one of its time marks (projection.validUntil). */
  const markPassed = () => {
    const until = builds.current()?.projection.validUntil;
    return until !== null && until !== undefined && until.getTime() <= now();
  };

  const start = () => {
    starting ??= subscription.start().then(() => {
      started = true;
      if (publish) builds.refreshIn(0);
    });
    return starting;
  };

  /** A rendition that can be answered now, or what the caller must wait for. */
  function lookup(lang: Lang, format: PublicFormat): Rendition | { fresh: boolean } {
    subscription.retryIfDown();
    const key = variantKey(lang, format);
    const t = now();
    // A page with a parameter (a route's page) is hot once it exists: a made-up slug never is.
    if (!format.includes('/') || renditions.latest(key)) renditions.hot.add(key, t);
    renditions.asked(key, t);
    // A spike: many requests a second, or several already waiting (a closed-loop crowd).
    const spike = spikes.request(t);
    // The listener dropped (the database restarted?): a copy read while listening
    // is trusted only retryMs longer, so a failed re-read says "figures as of …".
    if (!subscription.listening()) builds.trustAtMost(retryMs);
    const current = builds.fresh();
    const ready = current?.ready.get(key);
    if (ready) {
      metrics.publicCacheServed(ready.degraded);
      return ready;
    }
    // Under a spike, while the new copy is being read and rendered, answer with the copy
    // it replaces rather than queue every request behind it: for maxLagMs after the change,
    // and for as long as its replacement is being built (saves several a second on a busy
    // machine can keep a build of thousands of movements running for longer; readers held
    // back would not make it land sooner). Not a copy whose time marks have passed. At a
    // quiet moment (a person checking their own save) the reader waits for the new figures.
    const previous = renditions.latest(key);
    const replacing = builds.pending() && !markPassed();
    const lagging = current !== undefined || replacing || now() - builds.outdatedSince() < maxLagMs;
    if (spike && previous && lagging) {
      if (current) void renditions.of(current, lang, format).catch(loggedAlready);
      else throttle();
      metrics.publicCacheServed(previous.degraded);
      return previous;
    }
    // No copy to answer with (a variant that went cold loses its copy): start its copy of
    // the last build now, which the request about to wait (get) is answered with.
    if (spike && !previous && !current && lagging) void lastBuildCopy(lang, format)?.catch(loggedAlready);
    return { fresh: current !== undefined };
  }

  /**
   * A variant's rendition of the last build made, when the figures changed since and the
   * next build is still to come: what its copy would be had it stayed hot (a hot variant is
   * rendered for every build), so a crowd that comes back to a variant gone cold (a news link
   * after a quiet minute) gets the copy every other variant is answered with meanwhile, not
   * a wait behind the next build — throttled to one per BURST_BUILD_INTERVAL_MS (2 s) while
   * staff save several times a second. Not a copy whose time marks have passed.
   */
  function lastBuildCopy(lang: Lang, format: PublicFormat): Promise<Rendition> | undefined {
    const last = builds.current();
    // A page with a parameter only once it exists (hot): a made-up slug is rendered once, by get.
    if (format.includes('/') && !renditions.hot.has(variantKey(lang, format))) return undefined;
    return last && !markPassed() ? renditions.of(last, lang, format) : undefined;
  }

  return {
    invalidate,
    start,
    async get(lang, format) {
      await start();
      const found = lookup(lang, format);
      if ('identity' in found) return found;
      spikes.wait();
      let rendition: Rendition;
      try {
        const current = builds.fresh();
        const next = (async () => renditions.of(current ?? (await builds.ensure()), lang, format))();
        // A long build (thousands of movements): past maxWaitMs the reader gets the copy
        // it replaces, which stays correct (it was published) until the new one lands.
        // Not when time alone outdated it (a route turned stale, a delay ended): that copy is
        // no longer true, and a reader must not be told its validators still hold.
        const previous = markPassed() ? undefined : renditions.latest(variantKey(lang, format));
        // Under a spike with no copy of this variant: its copy of the last build (above),
        // answered at once, as the fast path answers the copies of every other variant.
        const lastCopy =
          previous || current || !spikes.spike()
            ? undefined
            : await lastBuildCopy(lang, format)?.catch(() => undefined);
        rendition = lastCopy ?? (previous ? await within(next, maxWaitMs, previous) : await next);
        if (rendition === previous || rendition === lastCopy)
          metrics.publicCache.inc({ outcome: 'previous' });
      } finally {
        spikes.done();
      }
      renditions.hot.add(variantKey(lang, format));
      if (rendition.degraded) metrics.publicCache.inc({ outcome: 'stale' });
      return rendition;
    },
    peek(lang, format) {
      if (!started) return undefined;
      const found = lookup(lang, format);
      return 'identity' in found ? found : undefined;
    },
    refusal: () => builds.refusal(),
    async close() {
      closed = true;
      builds.close();
      await subscription.close();
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
