// Use case: count an attempt against a limit shared by every process.
import { AppError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { hitCounter, resetCounter } from '../store/repositories/rate-limits.ts';

export type Limit = { key: string; max: number; windowMs: number };

export type LimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };

export async function consumeLimit(
  deps: { database: Database; now: Date },
  limit: Limit,
): Promise<LimitResult> {
  const { hits, windowStartedAt } = await hitCounter(deps.database, limit.key, limit.windowMs, deps.now);
  const retryAfterMs = windowStartedAt.getTime() + limit.windowMs - deps.now.getTime();
  return {
    allowed: hits <= limit.max,
    remaining: Math.max(0, limit.max - hits),
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  };
}

/** Count an attempt against every limit; throws rate_limited (429) if any is exceeded. */
export async function enforceLimits(deps: { database: Database; now: Date }, limits: Limit[]): Promise<void> {
  for (const limit of limits) {
    const result = await consumeLimit(deps, limit);
    if (!result.allowed) {
      throw new AppError(
        'rate_limited',
        'Too many attempts. Try again later.',
        {},
        {
          retryAfterSeconds: result.retryAfterSeconds,
        },
      );
    }
  }
}

export async function clearLimit(deps: { database: Database }, key: string): Promise<void> {
  await resetCounter(deps.database, key);
}
