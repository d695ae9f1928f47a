import { beforeAll, describe, expect, it } from 'vitest';
import { clearLimit, consumeLimit, enforceLimits } from '../../src/domain/rate-limit.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase } from '../support/db.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});

describe('rate limits in the database', () => {
  it('allows up to the limit in a window, then refuses until the window ends', async () => {
    const limit = { key: `test:${Math.random()}`, max: 3, windowMs: 60_000 };
    const t0 = new Date('2026-03-03T10:00:00Z');
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await consumeLimit({ database, now: t0 }, limit));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.retryAfterSeconds).toBe(60);
    const later = new Date(t0.getTime() + 61_000);
    expect((await consumeLimit({ database, now: later }, limit)).allowed).toBe(true);
  });

  it('throws rate_limited (429) from enforceLimits, and clears', async () => {
    const limit = { key: `test:${Math.random()}`, max: 1, windowMs: 60_000 };
    const now = new Date();
    await enforceLimits({ database, now }, [limit]);
    await expect(enforceLimits({ database, now }, [limit])).rejects.toMatchObject({
      code: 'rate_limited',
      status: 429,
    });
    await clearLimit({ database }, limit.key);
    await expect(enforceLimits({ database, now }, [limit])).resolves.toBeUndefined();
  });

  it('counts concurrent hits exactly', async () => {
    const limit = { key: `test:${Math.random()}`, max: 100, windowMs: 60_000 };
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => consumeLimit({ database, now }, limit)),
    );
    expect(results.map((r) => r.remaining).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => 80 + i),
    );
  });
});
