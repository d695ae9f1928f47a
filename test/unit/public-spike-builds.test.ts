// Builds under a spike (issue 16.2): while a crowd reads, saves arriving a few times a
// second re-read the figures at most once per SPIKE_BUILD_INTERVAL_MS (1 s), not after
// every save: each build re-renders every output asked for, on the machine answering the
// crowd. readBuild is replaced by builds the test finishes; the clock is vitest's.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Build } from '../../src/public/build.ts';
import { createBuildScheduler } from '../../src/public/cache-scheduler.ts';
import { SPIKE_BUILD_INTERVAL_MS, createSpikePolicy } from '../../src/public/cache-spike.ts';

const reads: { gen: number; at: number; finish: () => void }[] = [];
vi.mock('../../src/public/build.ts', () => ({
  readBuild: (_deps: unknown, o: { gen: number }) =>
    new Promise<Build>((resolve) => {
      const build = {
        gen: o.gen,
        ready: new Map(),
        renditions: new Map(),
        projection: {},
        readAt: new Date(0),
        expiresAt: Date.now() + 60_000,
      } as unknown as Build;
      reads.push({ gen: o.gen, at: Date.now(), finish: () => resolve(build) });
    }),
}));

function scheduler() {
  return createBuildScheduler({
    database: {} as never,
    clock: { now: () => new Date() },
    logger: { error: vi.fn(), warn: vi.fn(), info: vi.fn() } as never,
    metrics: {} as never,
    projector: {} as never,
    maxAgeMs: 60_000,
    retryMs: 2_000,
    listening: () => true,
    publishing: false,
    onBuilt: () => {},
  });
}

beforeEach(() => void vi.useFakeTimers({ now: 100_000 }));
afterEach(() => {
  vi.useRealTimers();
  reads.splice(0);
});

describe('builds while a crowd reads and staff save a few times a second', () => {
  it('re-reads the figures at most once a second', async () => {
    expect(SPIKE_BUILD_INTERVAL_MS).toBe(1_000);
    const builds = scheduler();
    const spikes = createSpikePolicy({ now: () => Date.now(), spikeRate: 100 });
    // A crowd: 200 requests in the last second.
    for (let i = 0; i < 200; i++) spikes.request();
    await vi.advanceTimersByTimeAsync(1_000);
    for (let i = 0; i < 200; i++) spikes.request();
    expect(spikes.spike()).toBe(true);
    void builds.ensure();
    await vi.advanceTimersByTimeAsync(0);
    reads[0]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    // Two or three saves a second for 3.2 s (not a burst: staff by hand), each followed
    // by what cache.ts does under a spike: a throttled build.
    const start = Date.now();
    for (let i = 0; i < 8; i++) {
      expect(spikes.change()).toBe(false);
      builds.changed();
      builds.throttled();
      await vi.advanceTimersByTimeAsync(400);
      for (const r of reads) r.finish();
      await vi.advanceTimersByTimeAsync(0);
    }
    const during = reads.slice(1).map((r) => r.at - start);
    // 8 saves in 3.2 s: three builds (at 500 ms it was six), each a second after the one before.
    expect(during.length).toBe(3);
    const gaps = [reads[1]!.at - reads[0]!.at, ...during.slice(1).map((t, i) => t - during[i]!)];
    expect(gaps.every((g) => g >= SPIKE_BUILD_INTERVAL_MS)).toBe(true);
    // The last save is in the build that follows it, at most a second later.
    builds.changed();
    builds.throttled();
    await vi.advanceTimersByTimeAsync(SPIKE_BUILD_INTERVAL_MS);
    expect(reads.at(-1)!.gen).toBe(9);
    builds.close();
  });
});
