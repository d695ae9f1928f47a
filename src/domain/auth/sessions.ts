// Staff sessions: a random token in an httpOnly cookie; the database keeps its
// SHA-256, the CSRF token, idle and absolute expiry, and revocation, so every
// app process sees the same sessions.
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../store/database.ts';
import {
  findSessionWithUser,
  insertSession,
  listLiveSessions,
  revokeSession,
  touchSession,
} from '../../store/repositories/sessions.ts';
import type { Role } from '../../store/repositories/users.ts';

export type SessionConfig = Pick<Config, 'SESSION_IDLE_MINUTES' | 'SESSION_ABSOLUTE_HOURS'>;

export type ResolvedSession = {
  idHash: string;
  csrfToken: string;
  user: { id: number; email: string; name: string; role: Role };
};

// last_seen_at is written at most this often, not on every request.
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const idleMs = (config: SessionConfig) => config.SESSION_IDLE_MINUTES * 60_000;

export async function startSession(
  deps: { db: Db; config: SessionConfig; now: Date },
  input: { userId: number; ip: string | null; userAgent: string | null },
): Promise<{ token: string; idHash: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const idHash = hashToken(token);
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(deps.now.getTime() + deps.config.SESSION_ABSOLUTE_HOURS * 3_600_000);
  await insertSession(deps.db, {
    idHash,
    userId: input.userId,
    csrfToken,
    now: deps.now,
    expiresAt,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  return { token, idHash, csrfToken, expiresAt };
}

/** The live session for a cookie token, or undefined (unknown, revoked, expired, user disabled). */
export async function resolveSession(
  deps: { db: Db; config: SessionConfig; now: Date },
  token: string,
): Promise<ResolvedSession | undefined> {
  if (!/^[\w-]{20,100}$/.test(token)) return undefined;
  const idHash = hashToken(token);
  const found = await findSessionWithUser(deps.db, idHash);
  if (!found) return undefined;
  const { session, user } = found;
  const now = deps.now.getTime();
  if (session.revokedAt || user.disabledAt) return undefined;
  if (session.expiresAt.getTime() <= now) return undefined;
  if (session.lastSeenAt.getTime() + idleMs(deps.config) <= now) return undefined;
  if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await touchSession(deps.db, idHash, deps.now);
  return {
    idHash,
    csrfToken: session.csrfToken,
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
  };
}

export async function endSession(deps: { db: Db; now: Date }, idHash: string): Promise<void> {
  await revokeSession(deps.db, idHash, deps.now);
}

/** A user's sessions that still work (not revoked, not expired, not idle too long). */
export async function activeSessions(deps: { db: Db; config: SessionConfig; now: Date }, userId: number) {
  const rows = await listLiveSessions(deps.db, userId, deps.now);
  const cutoff = deps.now.getTime() - idleMs(deps.config);
  return rows.filter((s) => s.lastSeenAt.getTime() > cutoff);
}
