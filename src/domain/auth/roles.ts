// Staff roles, from least to most: viewer (read-only, sees staff-only notes),
// officer (movements, counts, notices), admin (users, operations, settings).
export const ROLES = ['viewer', 'officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type StaffUser = { id: number; email: string; name: string; role: Role };

const RANK: Record<Role, number> = { viewer: 1, officer: 2, admin: 3 };

export const isRole = (v: unknown): v is Role =>
  typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** True when `user` has at least the role `least`. */
export function hasRole(user: { role: Role } | undefined, least: Role): boolean {
  return Boolean(user && RANK[user.role] >= RANK[least]);
}
