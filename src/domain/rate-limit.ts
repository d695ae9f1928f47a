// Use case: count an attempt against a limit shared by every process. Keys never hold
// an address, a network or an email: they hold its keyed hash (HMAC with the rate-limit
// key, src/domain/secrets.ts), so the table says nothing to whoever reads it.
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { hitCounter, readCounter, resetCounter } from '../store/repositories/rate-limits.ts';
import { keyedHash, secretKey } from './secrets.ts';

export type Limit = { key: string; max: number; windowMs: number };

export type LimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };

export type LimitDeps = { database: Database; now: Date };

/** A rate-limit key for `value` (an address, a network, an email) under a kind ("signup:net"). */
export async function limitKey(
  deps: { database: Database; config: Partial<Pick<Config, 'RATE_LIMIT_KEY'>> },
  kind: string,
  value: string,
): Promise<string> {
  const key = await secretKey({ db: deps.database.db, config: deps.config }, 'rate_limit');
  return `${kind}:${keyedHash(key, value)}`;
}

const result = (limit: Limit, hits: number, windowStartedAt: Date, now: Date): LimitResult => {
  const retryAfterMs = windowStartedAt.getTime() + limit.windowMs - now.getTime();
  return {
    allowed: hits <= limit.max,
    remaining: Math.max(0, limit.max - hits),
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  };
};

export async function consumeLimit(deps: LimitDeps, limit: Limit): Promise<LimitResult> {
  const { hits, windowStartedAt } = await hitCounter(deps.database, limit.key, limit.windowMs, deps.now);
  return result(limit, hits, windowStartedAt, deps.now);
}

/** Whether one more attempt would be allowed, counting nothing (limits on failures only). */
export async function peekLimit(deps: LimitDeps, limit: Limit): Promise<LimitResult> {
  const { hits, windowStartedAt } = await readCounter(deps.database, limit.key, limit.windowMs, deps.now);
  return result(limit, hits + 1, windowStartedAt, deps.now);
}

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 'Too many attempts. Try again later.', {}, { retryAfterSeconds });

/** Count an attempt against every limit; throws rate_limited (429) if any is exceeded. */
export async function enforceLimits(deps: LimitDeps, limits: Limit[]): Promise<void> {
  for (const limit of limits) {
    const outcome = await consumeLimit(deps, limit);
    if (!outcome.allowed) throw rateLimited(outcome.retryAfterSeconds);
  }
}

export async function clearLimit(deps: { database: Database }, key: string): Promise<void> {
  await resetCounter(deps.database, key);
}
