// Accounts, sessions and account history → view models for the admin pages.
// Times are shown in the staff time zone (config STAFF_TIME_ZONE), passed in.
import type { AccountPage } from '../domain/auth/account-pages.ts';
import type { Permissions } from '../domain/auth/permissions.ts';
import { ROLES, type Role } from '../domain/auth/roles.ts';
import { type Lang, t } from '../i18n/index.ts';
import type { AuditEventRow } from '../store/repositories/account-audit.ts';
import type { SessionRow } from '../store/repositories/sessions.ts';
import type { UserRow } from '../store/repositories/users.ts';
import { formatDateTime } from './format.ts';

const when = (lang: Lang, d: Date, timeZone: string) => formatDateTime(lang, d, timeZone);

/** The list of accounts. */
export function presentUsersPage(lang: Lang, rows: UserRow[], _permissions: Permissions) {
  return { title: t(lang, 'staff.users.title'), users: presentUsers(lang, rows) };
}

/** The new-account form, blank or refused (422) with what was typed. */
export function presentNewUserPage(
  lang: Lang,
  values: Record<string, string>,
  errors?: Record<string, string>,
) {
  return {
    title: t(lang, 'staff.users.new'),
    values: { email: values.email ?? '', name: values.name ?? '' },
    roles: roleOptions(lang, values.role ?? 'viewer'),
    errors: errors ? fieldMessages(lang, errors) : undefined,
  };
}

export type AccountNotice = { done?: unknown; revoked?: unknown };

/** One account: its role form, sessions and history; `notice` says what was just done. */
export function presentUserPage(
  lang: Lang,
  page: AccountPage,
  _permissions: Permissions,
  view: {
    timeZone: string;
    selfId?: number;
    sessionIdHash?: string;
    notice?: AccountNotice;
    errors?: Record<string, string>;
  },
) {
  return {
    title: page.user.name,
    user: presentUsers(lang, [page.user])[0],
    roles: roleOptions(lang, page.user.role),
    sessions: presentSessions(lang, page.sessions, view.sessionIdHash, view.timeZone),
    history: presentAccountHistory(lang, page.history, view.timeZone),
    isSelf: view.selfId === page.user.id,
    errors: view.errors ? fieldMessages(lang, view.errors) : undefined,
    notice: view.notice ? noticeText(lang, view.notice) : undefined,
  };
}

function noticeText(lang: Lang, { done, revoked }: AccountNotice): string | undefined {
  if (done === 'created') return t(lang, 'staff.users.created');
  if (done === 'updated') return t(lang, 'staff.users.updated');
  if (typeof revoked === 'string') return t(lang, 'staff.users.revoked', { count: Number(revoked) || 0 });
  return undefined;
}

export function roleOptions(lang: Lang, selected?: string) {
  return ROLES.map((r) => ({ value: r, label: t(lang, `staff.role.${r}`), selected: r === selected }));
}

export function presentUsers(lang: Lang, rows: UserRow[]) {
  return rows.map((u) => ({
    id: u.id,
    href: `/staff/users/${u.id}`,
    email: u.email,
    name: u.name,
    role: t(lang, `staff.role.${u.role}`),
    disabled: Boolean(u.disabledAt),
    status: t(lang, u.disabledAt ? 'staff.users.disabled' : 'staff.users.active'),
  }));
}

export function presentSessions(
  lang: Lang,
  rows: SessionRow[],
  currentIdHash: string | undefined,
  timeZone: string,
) {
  return rows.map((s) => ({
    started: when(lang, s.createdAt, timeZone),
    lastSeen: when(lang, s.lastSeenAt, timeZone),
    ip: s.ip ?? '—',
    browser: s.userAgent ? s.userAgent.slice(0, 80) : '—',
    current: s.idHash === currentIdHash,
  }));
}

export function presentAccountHistory(lang: Lang, rows: AuditEventRow[], timeZone: string) {
  return rows.map((e) => ({
    at: when(lang, e.createdAt, timeZone),
    actor: e.actorLabel,
    action: t(lang, `staff.audit.${e.action}`),
    change: describe(lang, e),
  }));
}

function describe(lang: Lang, e: AuditEventRow): string {
  const before = (e.before ?? {}) as { role?: Role; disabled?: boolean };
  const after = (e.after ?? {}) as { role?: Role; disabled?: boolean; sessionsRevoked?: number };
  const role = (r?: Role) => (r ? t(lang, `staff.role.${r}`) : '—');
  if (e.action === 'user.role') return `${role(before.role)} → ${role(after.role)}`;
  if (e.action === 'user.disable') return t(lang, 'staff.users.disabled');
  if (e.action === 'user.enable') return t(lang, 'staff.users.active');
  if (e.action === 'user.create') return role(after.role);
  if (typeof after.sessionsRevoked === 'number')
    return t(lang, 'staff.users.revoked', { count: after.sessionsRevoked });
  return '';
}

/** Field errors (message keys) → messages in `lang`. */
export function fieldMessages(lang: Lang, fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, t(lang, v)]));
}
