// Use cases: staff accounts. Every write appends its audit event in the same
// transaction. At least one active admin always remains.
import { validationError } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import { sqlState } from '../../store/errors.ts';
import { appendAccountAudit } from '../../store/repositories/account-audit.ts';
import { revokeSessionsOfUser } from '../../store/repositories/sessions.ts';
import {
  type UserRow,
  findUserByEmail,
  insertUser,
  lockActiveAdmins,
  lockUser,
  updateUser,
} from '../../store/repositories/users.ts';
import { notFound } from '../../errors.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { type Actor, accountLabel } from './actor.ts';
import { type Role, type StaffUser, isRole } from './roles.ts';

/** Who makes the change: a signed-in admin, or the CLI (actor.ts). */
export type AccountActor = Actor;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const publicView = (u: UserRow) => ({
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: Boolean(u.disabledAt),
});

export type NewUser = { email: string; name: string; role: string; password: string };

export async function createUser(deps: { db: Db; now: Date }, input: NewUser & { actor: AccountActor }) {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const fields: Record<string, string> = {};
  if (!EMAIL.test(email) || email.length > 320) fields.email = 'staff.field.email.invalid';
  if (!name || name.length > 200) fields.name = 'staff.field.name.required';
  if (!isRole(input.role)) fields.role = 'staff.field.role.invalid';
  const pw = passwordProblem(input.password);
  if (pw) fields.password = `staff.field.${pw}`;
  if (Object.keys(fields).length) throw validationError(fields);
  if (await findUserByEmail(deps.db, email)) throw validationError({ email: 'staff.field.email.taken' });
  const passwordHash = await hashPassword(input.password);
  try {
    return await deps.db.transaction(async (tx) => {
      const user = await insertUser(tx, { email, name, role: input.role as Role, passwordHash });
      await appendAccountAudit(tx, {
        actorId: input.actor.id,
        actorLabel: accountLabel(input.actor),
        entity: 'user',
        entityId: user.id,
        action: 'user.create',
        after: publicView(user),
        at: deps.now,
      });
      return user;
    });
  } catch (err) {
    if (sqlState(err) === '23505') throw validationError({ email: 'staff.field.email.taken' });
    throw err;
  }
}

// Every change that could remove an admin locks the active admins' rows first,
// always in id order, so two such changes queue instead of deadlocking.
function guardLastAdmin(admins: number[], target: UserRow) {
  if (target.role !== 'admin' || target.disabledAt) return;
  if (admins.length <= 1) throw validationError({ role: 'staff.field.user.last_admin' });
}

async function changeAccount(
  deps: { db: Db; now: Date },
  input: { actor: AccountActor; userId: number; action: string },
  change: (admins: number[], user: UserRow) => Partial<Pick<UserRow, 'role' | 'disabledAt' | 'passwordHash'>>,
  afterWrite?: (tx: Db, user: UserRow) => Promise<Record<string, unknown>>,
) {
  return deps.db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    const before = await lockUser(tx, input.userId);
    if (!before) throw notFound('User');
    const values = change(admins, before);
    const after = (await updateUser(tx, before.id, values))!;
    const extra = afterWrite ? await afterWrite(tx, after) : {};
    await appendAccountAudit(tx, {
      actorId: input.actor.id,
      actorLabel: accountLabel(input.actor),
      entity: 'user',
      entityId: before.id,
      action: input.action,
      before: publicView(before),
      after: { ...publicView(after), ...extra },
      at: deps.now,
    });
    return after;
  });
}

export async function changeRole(
  deps: { db: Db; now: Date },
  input: { actor: AccountActor; userId: number; role: string },
) {
  const role = input.role;
  if (!isRole(role)) throw validationError({ role: 'staff.field.role.invalid' });
  return changeAccount(deps, { ...input, action: 'user.role' }, (admins, user) => {
    if (role !== 'admin') guardLastAdmin(admins, user);
    return { role };
  });
}

/** Disable an account; its sessions end at once. */
export async function disableUser(
  deps: { db: Db; now: Date },
  input: { actor: AccountActor; userId: number },
) {
  if (input.actor.id === input.userId) throw validationError({ user: 'staff.field.user.self' });
  return changeAccount(
    deps,
    { ...input, action: 'user.disable' },
    (admins, user) => {
      guardLastAdmin(admins, user);
      return { disabledAt: user.disabledAt ?? deps.now };
    },
    async (tx, user) => ({ sessionsRevoked: await revokeSessionsOfUser(tx, user.id, deps.now) }),
  );
}

export async function enableUser(
  deps: { db: Db; now: Date },
  input: { actor: AccountActor; userId: number },
) {
  return changeAccount(deps, { ...input, action: 'user.enable' }, () => ({ disabledAt: null }));
}

/** Set a new password (CLI reset); every session of the account ends. */
export async function setPassword(
  deps: { db: Db; now: Date },
  input: { actor: AccountActor; userId: number; password: string },
) {
  const passwordHash = await hashPassword(input.password);
  return changeAccount(
    deps,
    { ...input, action: 'user.password' },
    () => ({ passwordHash }),
    async (tx, user) => ({ sessionsRevoked: await revokeSessionsOfUser(tx, user.id, deps.now) }),
  );
}

/** An admin ends every session of a user; returns how many ended. */
export async function revokeUserSessions(
  deps: { db: Db; now: Date },
  input: { actor: AccountActor; userId: number },
): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    if (!user) throw notFound('User');
    const count = await revokeSessionsOfUser(tx, user.id, deps.now);
    await appendAccountAudit(tx, {
      actorId: input.actor.id,
      actorLabel: accountLabel(input.actor),
      entity: 'user',
      entityId: user.id,
      action: 'user.revoke_sessions',
      after: { sessionsRevoked: count },
      at: deps.now,
    });
    return count;
  });
}

/** A staff member ends their own other sessions ("sign out elsewhere"). */
export async function revokeOwnOtherSessions(
  deps: { db: Db; now: Date },
  input: { user: StaffUser; keep: string },
): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const count = await revokeSessionsOfUser(tx, input.user.id, deps.now, input.keep);
    await appendAccountAudit(tx, {
      actorId: input.user.id,
      actorLabel: input.user.email,
      entity: 'user',
      entityId: input.user.id,
      action: 'user.revoke_own_sessions',
      after: { sessionsRevoked: count },
      at: deps.now,
    });
    return count;
  });
}
