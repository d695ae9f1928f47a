// Staff sessions, shared by every app process. Only the token's SHA-256 is stored.
import { and, desc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { sessions, users } from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export type SessionRow = typeof sessions.$inferSelect;

export async function insertSession(
  db: Db,
  values: {
    idHash: string;
    userId: number;
    csrfToken: string;
    now: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<SessionRow> {
  const { now, ...rest } = values;
  const [row] = await db
    .insert(sessions)
    .values({ ...rest, createdAt: now, lastSeenAt: now })
    .returning();
  return row!;
}

/** The session and its user, whatever their state (the caller checks expiry). */
export async function findSessionWithUser(db: Db, idHash: string) {
  const [row] = await db
    .select({
      session: sessions,
      user: {
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        disabledAt: users.disabledAt,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.idHash, idHash));
  return row;
}

export async function touchSession(db: Db, idHash: string, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt)))
    .returning({ idHash: sessions.idHash });
}

export async function revokeSession(db: Db, idHash: string, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt)))
    .returning({ idHash: sessions.idHash });
}

/** Revoke every live session of a user (but `keep`); returns how many. */
export async function revokeSessionsOfUser(
  db: Db,
  userId: number,
  now: Date,
  keep?: string,
): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        keep ? ne(sessions.idHash, keep) : sql`true`,
      ),
    )
    .returning({ idHash: sessions.idHash });
  return rows.length;
}

/** Sessions not revoked and not past their absolute expiry (idle is checked by the caller). */
export async function listLiveSessions(db: Db, userId: number, now: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
}

/** Delete a user's sessions that ended (expired or revoked) before `before`. */
export async function deleteEndedSessions(db: Db, userId: number, before: Date): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(
      and(eq(sessions.userId, userId), or(lt(sessions.expiresAt, before), lt(sessions.revokedAt, before))),
    )
    .returning({ idHash: sessions.idHash });
  return rows.length;
}
