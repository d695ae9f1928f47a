// Whole-page view models of the signed-in person's own pages: the sign-in page
// (first visit, after signing out, after a refused attempt) and their account with
// its sessions. The routes (routes/staff/auth.ts) only sign in and render these.
import type { StaffUser } from '../domain/auth/roles.ts';
import { type Lang, t } from '../i18n/index.ts';
import { presentSessions } from './staff-users.ts';

/**
 * Why the sign-in page shows an error: a wrong email or password, too many attempts
 * (retry after), a form the form pipeline refused (validation_failed, with the message key
 * of its first field: a control character, a field sent twice), or a form posted after the
 * session ended. `code` is the error code.
 */
export type SignInRefusal = {
  code: string;
  retryAfterSeconds?: number;
  sessionEnded?: boolean;
  field?: string;
};

export function presentSignInPage(
  lang: Lang,
  view: { next: string; signedOut?: boolean; email?: string; refused?: SignInRefusal },
) {
  const { refused } = view;
  return {
    title: t(lang, 'staff.signin.title'),
    next: view.next,
    signedOut: view.signedOut,
    email: view.email,
    error: !refused
      ? undefined
      : refused.sessionEnded
        ? t(lang, 'staff.signin.session_ended')
        : refused.code === 'rate_limited'
          ? t(lang, 'staff.signin.limited', { minutes: Math.ceil((refused.retryAfterSeconds ?? 60) / 60) })
          : refused.code === 'validation_failed'
            ? t(lang, refused.field ?? 'field.invalid')
            : t(lang, 'staff.signin.failed'),
    errorCode: refused?.code,
  };
}

export function presentAccountPage(
  lang: Lang,
  data: {
    user: StaffUser;
    sessions: Parameters<typeof presentSessions>[1];
    thisSession: string | undefined;
    timeZone: string;
  },
  view: { revoked: unknown },
) {
  const { user, sessions } = data;
  return {
    title: t(lang, 'staff.account.title'),
    email: user.email,
    role: t(lang, `staff.role.${user.role}`),
    sessions: presentSessions(lang, sessions, data.thisSession, data.timeZone),
    hasOthers: sessions.length > 1,
    revoked:
      typeof view.revoked === 'string'
        ? t(lang, 'staff.users.revoked', { count: Number(view.revoked) || 0 })
        : undefined,
  };
}
