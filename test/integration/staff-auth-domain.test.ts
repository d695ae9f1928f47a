// Sessions and accounts at the use-case level, on the real database.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, sessions, users } from '../../db/schema.ts';
import { resolveSession, startSession } from '../../src/domain/auth/sessions.ts';
import { signIn } from '../../src/domain/auth/sign-in.ts';
import { changeRole, disableUser } from '../../src/domain/auth/users.ts';
import type { Database } from '../../src/store/database.ts';
import { countActiveAdmins } from '../../src/store/repositories/users.ts';
import { testConfig } from '../support/app.ts';
import { createTestDatabase, usingPostgres } from '../support/db.ts';
import { createStaffUser } from '../support/staff.ts';

let database: Database;
const config = testConfig({ SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '8' });
const t0 = new Date('2026-03-05T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

beforeAll(async () => {
  database = await createTestDatabase();
});

describe('resolveSession', () => {
  it('refuses unknown, malformed, revoked, idle, expired and disabled-user sessions', async () => {
    const user = await createStaffUser(database.db, 'officer');
    const deps = (now: Date) => ({ db: database.db, config, now });
    const s = await startSession(deps(t0), { userId: user.id, ip: '10.0.0.1', userAgent: 'test' });
    expect((await resolveSession(deps(at(1)), s.token))?.user).toMatchObject({
      id: user.id,
      role: 'officer',
    });
    expect(await resolveSession(deps(at(1)), 'x'.repeat(43))).toBeUndefined();
    expect(await resolveSession(deps(at(1)), "'; drop table sessions; --")).toBeUndefined();
    // Idle: last seen at +1 min (touched), so still alive at +30, gone at +32.
    expect(await resolveSession(deps(at(30)), s.token)).toBeDefined();
    expect(await resolveSession(deps(at(61)), s.token)).toBeUndefined();

    const s2 = await startSession(deps(t0), { userId: user.id, ip: null, userAgent: null });
    await database.db
      .update(sessions)
      .set({ lastSeenAt: at(479) })
      .where(eq(sessions.idHash, s2.idHash));
    expect(await resolveSession(deps(at(479)), s2.token)).toBeDefined();
    expect(await resolveSession(deps(at(480)), s2.token)).toBeUndefined(); // 8 h absolute

    const s3 = await startSession(deps(t0), { userId: user.id, ip: null, userAgent: null });
    await database.db.update(users).set({ disabledAt: t0 }).where(eq(users.id, user.id));
    expect(await resolveSession(deps(at(1)), s3.token)).toBeUndefined();
  });

  it('writes last_seen_at at most once a minute', async () => {
    const user = await createStaffUser(database.db, 'viewer');
    const deps = (now: Date) => ({ db: database.db, config, now });
    const s = await startSession(deps(t0), { userId: user.id, ip: null, userAgent: null });
    const lastSeen = async () =>
      (await database.db.select().from(sessions).where(eq(sessions.idHash, s.idHash)))[0]!.lastSeenAt;
    await resolveSession(deps(new Date(t0.getTime() + 30_000)), s.token);
    expect(await lastSeen()).toEqual(t0);
    await resolveSession(deps(at(2)), s.token);
    expect(await lastSeen()).toEqual(at(2));
  });
});

describe('signIn housekeeping', () => {
  it("deletes the user's sessions that ended over a month ago, keeps recent ones", async () => {
    const user = await createStaffUser(database.db, 'viewer');
    const deps = (now: Date) => ({ db: database.db, config, now });
    const old = await startSession(deps(new Date('2026-01-01T00:00:00Z')), {
      userId: user.id,
      ip: null,
      userAgent: null,
    });
    const recent = await startSession(deps(at(-60 * 24)), { userId: user.id, ip: null, userAgent: null });
    await signIn(
      { database, config, now: t0 },
      { email: user.email, password: user.password, ip: '10.9.9.9', userAgent: null },
    );
    const left = (await database.db.select().from(sessions).where(eq(sessions.userId, user.id))).map(
      (r) => r.idHash,
    );
    expect(left).not.toContain(old.idHash);
    expect(left).toContain(recent.idHash);
    expect(left).toHaveLength(2);
  });
});

describe('the last admin', () => {
  it.runIf(usingPostgres())('survives two admins demoting each other at the same moment', async () => {
    // Make these the only two active admins.
    await database.db.update(users).set({ role: 'viewer' }).where(eq(users.role, 'admin'));
    const a = await createStaffUser(database.db, 'admin');
    const b = await createStaffUser(database.db, 'admin');
    const results = await Promise.allSettled([
      changeRole(
        { db: database.db, now: t0 },
        { actor: { id: a.id, label: a.email }, userId: b.id, role: 'viewer' },
      ),
      changeRole(
        { db: database.db, now: t0 },
        { actor: { id: b.id, label: b.email }, userId: a.id, role: 'viewer' },
      ),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: 'validation_failed' },
    });
    expect(await countActiveAdmins(database.db)).toBe(1);
  });

  it('cannot be disabled; a refused change writes no audit event', async () => {
    await database.db.update(users).set({ role: 'viewer' }).where(eq(users.role, 'admin'));
    const only = await createStaffUser(database.db, 'admin');
    const other = await createStaffUser(database.db, 'officer');
    const before = (await database.db.select().from(auditEvents)).length;
    await expect(
      disableUser(
        { db: database.db, now: t0 },
        { actor: { id: other.id, label: other.email }, userId: only.id },
      ),
    ).rejects.toMatchObject({ code: 'validation_failed', fields: { role: 'staff.field.user.last_admin' } });
    expect((await database.db.select().from(auditEvents)).length).toBe(before);
    expect(await countActiveAdmins(database.db)).toBe(1);
  });
});
