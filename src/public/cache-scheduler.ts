// The public cache's build scheduler: which build is current, which is being made,
// and when the next one starts. A change bumps the generation; one build runs at a
// time (callers share it; changes that arrive meanwhile are coalesced into one build
// after it, so builds never pile up in memory), right away at a quiet moment, at most
// once per SPIKE_BUILD_INTERVAL_MS under a spike or while files are published, and at
// most once per BURST_BUILD_INTERVAL_MS while changes arrive in a burst (a CSV import's
// chunks: cache-spike.ts); with files published a build is also due when the copy
// expires, even if no request comes. It keeps the last good build (served when a
// read fails or the audit refuses: build.ts) and the refusal, for the staff
// dashboard. Failures other than those build.ts logs are logged once here.
import type { Clock } from '../clock.ts';
import type { PublicProjection } from '../domain/privacy.ts';
import { createSnapshotReader } from '../domain/snapshot-reader.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Database } from '../store/database.ts';
import { type Build, type BuildRefusal, readBuild } from './build.ts';
import { SPIKE_BUILD_INTERVAL_MS } from './cache-spike.ts';
import { loggedAlready } from './cache-renditions.ts';
import { DisclosureLedger } from './disclosure-ledger.ts';
import type { Projector } from './projector.ts';

export type BuildScheduler = {
  /** The build of the current generation, if made and not expired. */
  fresh(): Build | undefined;
  /** The latest build made (possibly of an older generation). */
  current(): Build | undefined;
  /** When the current build stopped being the latest figures (0: it is). */
  outdatedSince(): number;
  /** A change committed: the current build is outdated. */
  changed(): void;
  /** A build is running or due (a timer is set): the current copy is about to be replaced. */
  pending(): boolean;
  /** The build of the current generation: the one made, the one in progress, or a new one. */
  ensure(): Promise<Build>;
  /** A build soon, at most one per `intervalMs` (default SPIKE_BUILD_INTERVAL_MS). */
  throttled(intervalMs?: number): void;
  /** With files published: a build due in `ms` even if nobody asks. */
  refreshIn(ms: number): void;
  /** Trust the current build at most `ms` longer (the listener dropped). */
  trustAtMost(ms: number): void;
  refusal(): BuildRefusal | undefined;
  close(): void;
};

export function createBuildScheduler(o: {
  database: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  projector: Projector;
  maxAgeMs: number;
  retryMs: number;
  listening: () => boolean;
  /** Files are published: every build is followed by a refresh when it expires. */
  publishing: boolean;
  /** A build landed and is the newest. */
  onBuilt: (b: Build) => void;
  /** A build's projection passed the audit and is being recorded (build.ts). */
  onAudited?: (projection: PublicProjection) => void;
}): BuildScheduler {
  const { logger } = o;
  const now = () => o.clock.now().getTime();
  let gen = 0;
  let current: Build | undefined;
  let lastGood: Build | undefined;
  let inflight: { gen: number; promise: Promise<Build> } | undefined;
  let outdatedSince = 0;
  let refusal: BuildRefusal | undefined;
  let closed = false;
  let buildTimer: NodeJS.Timeout | undefined;
  let refreshTimer: NodeJS.Timeout | undefined;
  let lastBuildAt = 0;
  // The states every process published, and what they printed (docs/privacy.md).
  const ledger = new DisclosureLedger(o.database);
  // Where this thread reads the snapshots (PGlite; PostgreSQL: the projector's worker does).
  const reader = createSnapshotReader();

  async function build(forGen: number): Promise<Build> {
    const ttlMs = o.listening() ? o.maxAgeMs : o.retryMs;
    const b = await readBuild(
      {
        database: o.database,
        clock: o.clock,
        logger,
        metrics: o.metrics,
        projector: o.projector,
        ledger,
        reader,
      },
      { gen: forGen, ttlMs, retryMs: o.retryMs, lastGood, onAudited: o.onAudited },
    );
    if (b.refusedAt) {
      // (b.projection is the last safe copy's: the refused operations come with the build.)
      refusal = {
        at: b.refusedAt,
        since: refusal?.since ?? b.refusedAt,
        operations: b.refusedOperations ?? [],
      };
    } else if (!b.degradedAsOf) {
      lastGood = b;
      refusal = undefined;
    }
    return b;
  }

  const fresh = () => (current && current.gen === gen && now() < current.expiresAt ? current : undefined);

  function ensure(): Promise<Build> {
    const made = fresh();
    if (made) return Promise.resolve(made);
    if (inflight && inflight.gen === gen) return inflight.promise;
    // A build of an older generation is running: the next starts when it ends (one
    // build's rows, projection and renditions in memory at a time, not one per change).
    if (inflight) return inflight.promise.then(ensure, ensure);
    const forGen = gen;
    lastBuildAt = now();
    const promise = build(forGen).then((b) => {
      if (!current || b.gen >= current.gen) {
        current = b;
        o.onBuilt(b);
        // Nothing may ask again (nginx serves the files): re-read when this copy expires.
        if (o.publishing) refreshIn(b.expiresAt - now());
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

  function refreshIn(ms: number) {
    if (closed) return;
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(
      () => {
        refreshTimer = undefined;
        // A failed build (logged in ensure/readBuild) is retried after retryMs.
        ensure().catch(() => refreshIn(o.retryMs));
      },
      Math.max(0, ms) + 5,
    );
    refreshTimer.unref();
  }

  return {
    fresh,
    current: () => current,
    outdatedSince: () => outdatedSince,
    changed() {
      if (current?.gen === gen) outdatedSince = now();
      gen++;
    },
    ensure,
    pending: () => inflight !== undefined || buildTimer !== undefined,
    throttled(intervalMs = SPIKE_BUILD_INTERVAL_MS) {
      if (closed || buildTimer || (inflight && inflight.gen === gen)) return;
      const delay = Math.max(0, lastBuildAt + intervalMs - now());
      buildTimer = setTimeout(() => {
        buildTimer = undefined;
        if (!closed) void ensure().catch(loggedAlready);
      }, delay);
      buildTimer.unref();
    },
    refreshIn,
    trustAtMost(ms) {
      if (current && current.expiresAt > now() + ms) current.expiresAt = now() + ms;
    },
    refusal: () => refusal,
    close() {
      closed = true;
      if (buildTimer) clearTimeout(buildTimer);
      if (refreshTimer) clearTimeout(refreshTimer);
    },
  };
}
