// Use case: sign in. Attempts are limited per account and per address with
// counters in the database; every refusal looks the same whether or not the
// account exists (same error, and a dummy hash is checked to equalise timing).
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Database } from '../../store/database.ts';
import { pruneCounters } from '../../store/repositories/rate-limits.ts';
import { deleteEndedSessions } from '../../store/repositories/sessions.ts';
import { findUserByEmail } from '../../store/repositories/users.ts';
import { clearLimit, enforceLimits } from '../rate-limit.ts';
import { verifyPassword } from './passwords.ts';
import { startSession } from './sessions.ts';

export type SignInConfig = Pick<
  Config,
  | 'SIGNIN_MAX_PER_ACCOUNT'
  | 'SIGNIN_MAX_PER_ADDRESS'
  | 'SIGNIN_WINDOW_MINUTES'
  | 'SESSION_IDLE_MINUTES'
  | 'SESSION_ABSOLUTE_HOURS'
>;

// Ended sessions stay listed (who signed in from where) for this long.
const KEEP_ENDED_MS = 30 * 86_400_000;

export type SignInInput = { email: string; password: string; ip: string; userAgent: string | null };

export const accountLimitKey = (email: string) => `signin:account:${email.trim().toLowerCase()}`;
export const addressLimitKey = (ip: string) => `signin:address:${ip}`;

export const badCredentials = () =>
  new AppError('unauthenticated', 'The email or password is not correct.', { email: 'signin.failed' });

export async function signIn(
  deps: { database: Database; config: SignInConfig; now: Date },
  input: SignInInput,
) {
  const windowMs = deps.config.SIGNIN_WINDOW_MINUTES * 60_000;
  const email = input.email.trim().toLowerCase();
  await enforceLimits({ database: deps.database, now: deps.now }, [
    { key: addressLimitKey(input.ip), max: deps.config.SIGNIN_MAX_PER_ADDRESS, windowMs },
    { key: accountLimitKey(email), max: deps.config.SIGNIN_MAX_PER_ACCOUNT, windowMs },
  ]);
  const user = email ? await findUserByEmail(deps.database.db, email) : undefined;
  const usable = user && !user.disabledAt ? user : undefined;
  const ok = await verifyPassword(usable?.passwordHash, input.password);
  if (!ok || !usable) throw badCredentials();
  await clearLimit({ database: deps.database }, accountLimitKey(email));
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
