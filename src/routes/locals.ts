// The typed view of res.locals. Express types res.locals as Record<string, any>,
// so every reader goes through locals(res) (or requireUser(res)) and gets these
// types instead of `any`. Middleware sets them (middleware.ts: requestId, lang;
// staff/session.ts: user, sessionIdHash; staff/csrf.ts: csrfToken…).
// The same fields are declared on Express.Locals (below), so a direct
// res.locals.lang read is typed too and the type-aware lint finds no `any`.
import type { Response } from 'express';
import type { StaffUser } from '../domain/auth/roles.ts';
import { type Permissions, permissionsOf } from '../domain/auth/permissions.ts';
import { AppError } from '../errors.ts';
import { DEFAULT_LANG, type Lang } from '../i18n/index.ts';

export type Locals = {
  /** The page's language (set for every request by the language middleware). */
  lang: Lang;
  /** Set by the request logger for every request. */
  requestId?: string;
  /** The signed-in staff member (absent when anonymous). */
  user?: StaffUser;
  /** Put in every form as <input type="hidden" name="_csrf">, or send as X-CSRF-Token. */
  csrfToken?: string;
  /** The session's id hash (to mark "this session" in lists). */
  sessionIdHash?: string;
  /** Set for a multipart body: CSRF is checked once the route's parser has read it. */
  csrfDeferred?: boolean;
  /** The pre-session token was created by this request (none came with it). */
  csrfFresh?: boolean;
  /** The metrics' route label, when the router knows it better than express. */
  route?: string;
  /** A public read (counted apart in the request metrics). */
  publicRead?: boolean;
  /** What the signed-in user may do, computed once per request (permissionsOf). */
  permissions?: Permissions;
};

type AppLocals = Locals;
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- the only way to extend express's own type
  namespace Express {
    // lang is set before every router runs (publicLanguage, languageSelection); only the
    // health/metrics routers and the error handler may run without it, and they fall
    // back to DEFAULT_LANG (as locals(res) does).
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges into express's declaration
    interface Locals extends AppLocals {}
  }
}

/** res.locals with its types. */
export function locals(res: Response): Locals {
  const l = res.locals as Partial<Locals>;
  l.lang ??= DEFAULT_LANG;
  return l as Locals;
}

/** The signed-in staff member; a route without one is a 401 (staffRoute's guard runs first). */
export function requireUser(res: Response): StaffUser {
  const user = locals(res).user;
  if (!user) throw new AppError('unauthenticated', 'Sign in first.');
  return user;
}

/** What this request's user may do: computed on first use, then kept for the request. */
export function permissions(res: Response): Permissions {
  const l = locals(res);
  l.permissions ??= permissionsOf(l.user);
  return l.permissions;
}
