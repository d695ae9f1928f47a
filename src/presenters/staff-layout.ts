// The staff layout's view model: navigation for the user's role, the language
// links for the current page, the sign-out form's token.
import { type Role, type StaffUser, hasRole } from '../domain/auth/roles.ts';
import { type Lang, LANGUAGES, t } from '../i18n/index.ts';

export type NavEntry = { href: string; key: string; least: Role; exact?: boolean };

// Each staff area adds its entries here (one line each), in display order.
export const STAFF_NAV: NavEntry[] = [
  { href: '/staff', key: 'staff.nav.dashboard', least: 'viewer', exact: true },
  { href: '/staff/operations', key: 'ws.nav.operations', least: 'viewer' },
  { href: '/staff/places', key: 'ws.nav.places', least: 'viewer' },
  { href: '/staff/sources', key: 'ws.nav.sources', least: 'viewer' },
  { href: '/staff/map', key: 'ws.nav.map', least: 'viewer' },
  { href: '/staff/activity', key: 'ws.nav.activity', least: 'viewer' },
  { href: '/staff/digest', key: 'digest.nav', least: 'viewer' },
  { href: '/staff/users', key: 'staff.nav.users', least: 'admin' },
  { href: '/staff/account', key: 'staff.nav.account', least: 'viewer' },
];

export function presentStaffLayout(input: {
  lang: Lang;
  user: StaffUser | undefined;
  path: string;
  /** This page's address (path and query, without lang) for the language links. */
  here?: string;
  csrfToken: string | undefined;
  title: string;
}) {
  const { lang, user, path } = input;
  const isCurrent = (e: NavEntry) =>
    e.exact ? path === e.href : path === e.href || path.startsWith(`${e.href}/`);
  return {
    lang,
    title: `${input.title} — ${t(lang, 'staff.brand')}`,
    heading: input.title,
    csrfToken: input.csrfToken,
    me: user && {
      name: user.name,
      role: t(lang, `staff.role.${user.role}`),
      line: t(lang, 'staff.signed_in_as', { name: user.name, role: t(lang, `staff.role.${user.role}`) }),
    },
    nav: user
      ? STAFF_NAV.filter((e) => hasRole(user, e.least)).map((e) => ({
          href: e.href,
          label: t(lang, e.key),
          current: isCurrent(e),
        }))
      : [],
    languages: LANGUAGES.map((l) => ({
      code: l,
      label: l.toUpperCase(),
      current: l === lang,
      href: `${input.here ?? path}${(input.here ?? path).includes('?') ? '&' : '?'}lang=${l}`,
    })),
  };
}
