// The public cache's builds under a stream of changes (issue 20): one build at a time,
// the changes that arrive meanwhile coalesced into one build after it (builds used to
// run side by side, one per CSV chunk, and pile up in memory), and a burst of changes
// told from staff saving by hand. readBuild is replaced by builds the test finishes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Build } from '../../src/public/build.ts';
import { createBuildScheduler } from '../../src/public/cache-scheduler.ts';
import { createSpikePolicy } from '../../src/public/cache-spike.ts';

const reads: { gen: number; finish: () => void; fail: () => void }[] = [];
vi.mock('../../src/public/build.ts', () => ({
  readBuild: (_deps: unknown, o: { gen: number }) =>
    new Promise<Build>((resolve, reject) => {
      const build = {
        gen: o.gen,
        ready: new Map(),
        renditions: new Map(),
        projection: {},
        readAt: new Date(0),
        expiresAt: Date.now() + 60_000,
      } as unknown as Build;
      reads.push({ gen: o.gen, finish: () => resolve(build), fail: () => reject(new Error('read failed')) });
    }),
}));

const tick = () => new Promise((r) => setTimeout(r, 0));
const logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn() };

function scheduler() {
  return createBuildScheduler({
    database: {} as never,
    clock: { now: () => new Date() },
    logger: logger as never,
    metrics: {} as never,
    projector: {} as never,
    maxAgeMs: 60_000,
    retryMs: 2_000,
    listening: () => true,
    publishing: false,
    onBuilt: () => {},
  });
}

afterEach(() => void reads.splice(0));

describe('the build scheduler under a stream of changes', () => {
  it('runs one build at a time and coalesces the changes made meanwhile into one build after it', async () => {
    const builds = scheduler();
    const first = builds.ensure();
    await tick();
    expect(reads.map((r) => r.gen)).toEqual([0]);
    // Three chunks commit while the first build runs: nothing starts beside it.
    const waiting: Promise<Build>[] = [];
    for (let i = 0; i < 3; i++) {
      builds.changed();
      waiting.push(builds.ensure());
    }
    await tick();
    expect(reads.map((r) => r.gen)).toEqual([0]);
    reads[0]!.finish();
    expect((await first).gen).toBe(0);
    await tick();
    // One build for the latest generation, shared by everyone who waited.
    expect(reads.map((r) => r.gen)).toEqual([0, 3]);
    reads[1]!.finish();
    const got = await Promise.all(waiting);
    expect(got.map((b) => b.gen)).toEqual([3, 3, 3]);
    expect(builds.fresh()?.gen).toBe(3);
    builds.close();
  });

  it('starts the coalesced build even when the one before it failed', async () => {
    const builds = scheduler();
    const first = builds.ensure();
    await tick();
    builds.changed();
    const next = builds.ensure();
    reads[0]!.fail();
    await expect(first).rejects.toThrow('read failed');
    await tick();
    expect(reads.map((r) => r.gen)).toEqual([0, 1]);
    reads[1]!.finish();
    expect((await next).gen).toBe(1);
    builds.close();
  });
});

describe('telling a burst of changes from staff saving by hand', () => {
  it('calls four or more changes in a second a burst, and not two a second', () => {
    let t = 10_000;
    const policy = createSpikePolicy({ now: () => t, spikeRate: 100 });
    // Staff saving by hand: two changes a second, for five seconds.
    const byHand: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      byHand.push(policy.change());
      t += 500;
    }
    expect(byHand.every((b) => !b)).toBe(true);
    expect(policy.bursting()).toBe(false);
    // An import: a chunk every 50 ms.
    const chunks: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      chunks.push(policy.change());
      t += 50;
    }
    expect(chunks.slice(3).every(Boolean)).toBe(true);
    expect(policy.bursting()).toBe(true);
    // Two seconds after the import's last chunk, it is over.
    t += 2_000;
    expect(policy.bursting()).toBe(false);
  });
});
