// Who is asking: resolves the session cookie to res.locals.user, provides
// res.locals.csrfToken, checks CSRF on every state-changing signed-in request,
// and keeps every staff response out of caches.
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../../deps.ts';
import { resolveSession } from '../../domain/auth/sessions.ts';
import { readCookies } from '../cookies.ts';
import { PRE_SESSION_COOKIE, isStateChanging, newToken, verifyCsrf } from './csrf.ts';
import { isMultipart } from './define.ts';

export const SESSION_COOKIE = 'corridor_session';

export function cookieOptions(req: Request, maxAgeMs?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/staff',
    ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
  };
}

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date, now: Date) {
  res.cookie(SESSION_COOKIE, token, cookieOptions(req, Math.max(0, expiresAt.getTime() - now.getTime())));
  res.clearCookie(PRE_SESSION_COOKIE, cookieOptions(req));
}

export function clearSessionCookie(req: Request, res: Response) {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

export function staffSession(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    const cookies = readCookies(req.headers.cookie);
    const token = cookies[SESSION_COOKIE];
    if (token) {
      const session = await resolveSession(
        { db: deps.database.db, config: deps.config, now: deps.clock.now() },
        token,
      );
      if (session) {
        res.locals.user = session.user;
        res.locals.csrfToken = session.csrfToken;
        res.locals.sessionIdHash = session.idHash;
      } else {
        clearSessionCookie(req, res);
      }
    }
    if (!res.locals.user) {
      const pre = cookies[PRE_SESSION_COOKIE];
      if (pre && /^[\w-]{20,100}$/.test(pre)) res.locals.csrfToken = pre;
      else {
        // A fresh token cannot match anything this request submitted; it is for the next form.
        res.locals.csrfToken = newToken();
        res.locals.csrfFresh = true;
        res.cookie(PRE_SESSION_COOKIE, res.locals.csrfToken, cookieOptions(req));
      }
    } else if (isStateChanging(req.method)) {
      // Multipart bodies are read by the route's own parser: staffRoute checks after it.
      if (isMultipart(req)) res.locals.csrfDeferred = true;
      else verifyCsrf(req, res);
    }
    next();
  };
}
