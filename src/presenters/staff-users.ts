// Accounts, sessions and account history → view models for the admin pages.
import { ROLES, type Role } from '../domain/auth/roles.ts';
import { type Lang, t } from '../i18n/index.ts';
import type { AuditEventRow } from '../store/repositories/account-audit.ts';
import type { SessionRow } from '../store/repositories/sessions.ts';
import type { UserRow } from '../store/repositories/users.ts';
import { formatDateTime } from './format.ts';

// Staff work in Kazakhstan: their own pages show Almaty time.
const STAFF_TIME_ZONE = 'Asia/Almaty';

const when = (lang: Lang, d: Date) => formatDateTime(lang, d, STAFF_TIME_ZONE);

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

export function presentSessions(lang: Lang, rows: SessionRow[], currentIdHash?: string) {
  return rows.map((s) => ({
    started: when(lang, s.createdAt),
    lastSeen: when(lang, s.lastSeenAt),
    ip: s.ip ?? '—',
    browser: s.userAgent ? s.userAgent.slice(0, 80) : '—',
    current: s.idHash === currentIdHash,
  }));
}

export function presentAccountHistory(lang: Lang, rows: AuditEventRow[]) {
  return rows.map((e) => ({
    at: when(lang, e.createdAt),
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
