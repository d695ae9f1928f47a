// Use case: sign in. Attempts are limited per account (every attempt counts; a success
// resets it) and per client address (failures only, so an office signing in all day is
// never refused), with counters in the database under keyed hashes; every refusal looks
// the same whether or not the account exists (same error, and a dummy hash is checked
// to equalise timing).
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Database } from '../../store/database.ts';
import { pruneCounters } from '../../store/repositories/rate-limits.ts';
import { deleteEndedSessions } from '../../store/repositories/sessions.ts';
import { findUserByEmail } from '../../store/repositories/users.ts';
import { clearLimit, consumeLimit, enforceLimits, limitKey, peekLimit, rateLimited } from '../rate-limit.ts';
import { verifyPassword } from './passwords.ts';
import { startSession } from './sessions.ts';

export type SignInConfig = Pick<
  Config,
  | 'SIGNIN_MAX_PER_ACCOUNT'
  | 'SIGNIN_MAX_PER_ADDRESS'
  | 'SIGNIN_WINDOW_MINUTES'
  | 'SESSION_IDLE_MINUTES'
  | 'SESSION_ABSOLUTE_HOURS'
  | 'RATE_LIMIT_KEY'
>;

// Ended sessions stay listed (who signed in from where) for this long.
const KEEP_ENDED_MS = 30 * 86_400_000;

export type SignInInput = { email: string; password: string; ip: string; userAgent: string | null };

type KeyDeps = { database: Database; config: Pick<Config, 'RATE_LIMIT_KEY'> };

/** The account lock's key: an admin lifts the lock by deleting it (npm run user:unlock). */
export const accountLimitKey = (deps: KeyDeps, email: string) =>
  limitKey(deps, 'signin:account', email.trim().toLowerCase());
export const addressLimitKey = (deps: KeyDeps, ip: string) => limitKey(deps, 'signin:address', ip);

export const badCredentials = () =>
  new AppError('unauthenticated', 'The email or password is not correct.', { email: 'signin.failed' });

export async function signIn(
  deps: { database: Database; config: SignInConfig; now: Date },
  input: SignInInput,
) {
  const windowMs = deps.config.SIGNIN_WINDOW_MINUTES * 60_000;
  const email = input.email.trim().toLowerCase();
  const limits = { database: deps.database, now: deps.now };
  const address = {
    key: await addressLimitKey(deps, input.ip),
    max: deps.config.SIGNIN_MAX_PER_ADDRESS,
    windowMs,
  };
  const accountKey = await accountLimitKey(deps, email);
  const fromAddress = await peekLimit(limits, address);
  if (!fromAddress.allowed) throw rateLimited(fromAddress.retryAfterSeconds);
  await enforceLimits(limits, [{ key: accountKey, max: deps.config.SIGNIN_MAX_PER_ACCOUNT, windowMs }]);
  const user = email ? await findUserByEmail(deps.database.db, email) : undefined;
  const usable = user && !user.disabledAt ? user : undefined;
  const ok = await verifyPassword(usable?.passwordHash, input.password);
  if (!ok || !usable) {
    await consumeLimit(limits, address);
    throw badCredentials();
  }
  await clearLimit({ database: deps.database }, accountKey);
  // Housekeeping on the way in keeps both tables bounded without a job of their own.
  const monthAgo = new Date(deps.now.getTime() - KEEP_ENDED_MS);
  await deleteEndedSessions(deps.database.db, usable.id, monthAgo);
  await pruneCounters(deps.database, new Date(deps.now.getTime() - 2 * windowMs - 86_400_000));
  const session = await startSession(
    { db: deps.database.db, config: deps.config, now: deps.now },
    { userId: usable.id, ip: input.ip, userAgent: input.userAgent },
  );
  return { ...session, user: { id: usable.id, email: usable.email, name: usable.name, role: usable.role } };
}

/**
 * Lift an account's sign-in lock now (the lock otherwise ends with its window). The
 * per-address counter is left alone: it counts failures from a network, not the account.
 */
export async function unlockAccount(deps: KeyDeps, email: string): Promise<void> {
  await clearLimit(deps, await accountLimitKey(deps, email));
}
