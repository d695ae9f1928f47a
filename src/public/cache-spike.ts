// The public cache's spike policy: telling a crowd from a quiet moment. Under a
// spike (many requests a second, or several already waiting for a build) a reader
// may get the copy being replaced for a short while, and builds are throttled to
// one per SPIKE_BUILD_INTERVAL_MS; at a quiet moment (a person checking their own
// save) the reader waits for the new figures. A burst of changes (a CSV import
// commits a chunk every few tens of milliseconds) is told apart the same way: builds
// are then coalesced to one per BURST_BUILD_INTERVAL_MS, so an import of thousands
// of rows does not rebuild (read, project, render, compress) the page after every
// chunk; the page still shows the import's progress within about that interval plus
// one build. Used by cache.ts.

/**
 * Under a spike, the figures are re-read at most this often: a change shows within this
 * plus one build (about 1.2 s). Each build re-reads the figures and re-renders every output
 * asked for (140–200 ms of CPU with the 18 of bench:status), on the machine that answers the
 * crowd: at 500 ms, staff saving two or three times a second cost up to 0.4 s of CPU each
 * second; at 1 s, half that (docs/public-page.md, "Freshness under a spike").
 */
export const SPIKE_BUILD_INTERVAL_MS = 1_000;
/** …and a crowd is this many requests waiting at once. */
const SPIKE_WAITING = 4;
/** While changes arrive in a burst, the figures are re-read at most this often. */
export const BURST_BUILD_INTERVAL_MS = 2_000;
/** …and a burst is this many changes in a second (staff saving by hand make one or two). */
const BURST_CHANGES = 4;

export type SpikePolicy = {
  /** Counts one request (at `at`, default now); whether the load now is a spike. */
  request(at?: number): boolean;
  /** Whether the load is a spike, without counting a request (a change arrived). */
  spike(): boolean;
  /** A request starts / stops waiting for a build or a rendition. */
  wait(): void;
  done(): void;
  /** Counts one committed change; whether changes now arrive in a burst. */
  change(): boolean;
  /** Whether changes arrive in a burst, without counting one. */
  bursting(): boolean;
};

export function createSpikePolicy(o: { now: () => number; spikeRate: number }): SpikePolicy {
  const load = requestRate(o.now);
  const changes = requestRate(o.now);
  let waiting = 0;
  return {
    request: (at) => load.count(at) >= o.spikeRate || waiting >= SPIKE_WAITING,
    // This second's requests count as request() counts them (a crowd that has just arrived).
    spike: () => Math.max(load.rate(), load.current()) >= o.spikeRate || waiting >= SPIKE_WAITING,
    wait: () => void waiting++,
    done: () => void waiting--,
    change: () => changes.count() >= BURST_CHANGES,
    bursting: () => Math.max(changes.rate(), changes.current()) >= BURST_CHANGES,
  };
}

/** Events (requests, changes) per second, to tell a spike or a burst from a quiet moment. */
function requestRate(now: () => number) {
  let windowStart = 0;
  let windowCount = 0;
  let rate = 0;
  return {
    /** The last full second's count. */
    rate: () => rate,
    /** This second's count so far (0 once the second is over). */
    current: () => (now() - windowStart < 1000 ? windowCount : 0),
    /** Counts one request; returns the load (this second's or the last one's, the larger). */
    count(t = now()): number {
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
