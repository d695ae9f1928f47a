// Sign-in, sign-out and the signed-in person's own sessions.
import { type ErrorRequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { activeSessions, endSession } from '../../domain/auth/sessions.ts';
import { signIn } from '../../domain/auth/sign-in.ts';
import { revokeOwnOtherSessions } from '../../domain/auth/users.ts';
import { AppError } from '../../errors.ts';
import { withoutControlCharacters } from '../../domain/input-rules.ts';
import { presentAccountPage, presentSignInPage } from '../../presenters/staff-sign-in.ts';
import { staffRoute } from './define.ts';
import { controlCharacterFields } from './forms.ts';
import { renderStaff } from './render.ts';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from './session.ts';

const signInForm = z.object({
  email: z.string().max(320).default(''),
  password: z.string().max(4096).default(''),
  next: z.string().max(2000).optional(),
});

/** Only a path inside /staff: never an open redirect. */
export function safeNext(next: string | undefined): string {
  if (!next || !/^\/staff(?:[/?#][^\\]*)?$/.test(next) || next.startsWith('/staff/sign-')) return '/staff';
  return next;
}

export function authRouter(deps: AppDeps): Router {
  const router = Router();

  staffRoute(router, 'get', '/sign-in', 'public', (req, res) => {
    const next = typeof req.query.next === 'string' ? req.query.next : undefined;
    if (res.locals.user) return res.redirect(303, safeNext(next));
    const view = { next: next === undefined ? '' : safeNext(next), signedOut: req.query.signed_out === '1' };
    renderStaff(deps, req, res, 'staff/sign-in', presentSignInPage(res.locals.lang, view));
  });

  staffRoute(router, 'post', '/sign-in', 'public', async (req, res) => {
    const form = signInForm.safeParse(req.body ?? {});
    const input = form.success ? form.data : { email: '', password: '', next: undefined };
    const lang = res.locals.lang;
    // A NUL in the email reached the account lookup (a 500 before anyone signed in): a
    // control character anywhere in the form is a 422 that looks nothing up and counts
    // no attempt (no account can match it, so it guesses nothing).
    const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    if (Object.keys(controlCharacterFields(body)).length > 0) {
      const view = {
        next: safeNext(input.next && withoutControlCharacters(input.next)),
        email: withoutControlCharacters(input.email),
        refused: { code: 'validation_failed' },
      };
      renderStaff(deps, req, res, 'staff/sign-in', presentSignInPage(lang, view), 422);
      return;
    }
    try {
      const now = deps.clock.now();
      const session = await signIn(
        { database: deps.database, config: deps.config, now },
        {
          email: input.email,
          password: input.password,
          ip: req.ip ?? 'unknown',
          userAgent: req.get('user-agent') ?? null,
        },
      );
      // A new session id at every sign-in; the one the browser had (if any) ends.
      if (res.locals.sessionIdHash) await endSession({ db: deps.database.db, now }, res.locals.sessionIdHash);
      setSessionCookie(req, res, session.token, session.expiresAt, now);
      res.redirect(303, safeNext(input.next));
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'unauthenticated' && err.code !== 'rate_limited'))
        throw err;
      const refused = { code: err.code, retryAfterSeconds: Number(err.details.retryAfterSeconds ?? 60) };
      if (refused.code === 'rate_limited') res.set('Retry-After', String(refused.retryAfterSeconds));
      const view = { next: safeNext(input.next), email: input.email, refused };
      renderStaff(deps, req, res, 'staff/sign-in', presentSignInPage(lang, view), err.status);
    }
  });

  staffRoute(router, 'post', '/sign-out', 'viewer', async (req, res) => {
    if (res.locals.sessionIdHash) {
      await endSession({ db: deps.database.db, now: deps.clock.now() }, res.locals.sessionIdHash);
    }
    clearSessionCookie(req, res);
    res.redirect(303, '/staff/sign-in?signed_out=1');
  });

  staffRoute(router, 'get', '/account', 'viewer', async (req, res) => {
    const user = res.locals.user!;
    const now = deps.clock.now();
    const sessions = await activeSessions({ db: deps.database.db, config: deps.config, now }, user.id);
    const data = {
      user,
      sessions,
      thisSession: res.locals.sessionIdHash,
      timeZone: deps.config.STAFF_TIME_ZONE,
    };
    const model = presentAccountPage(res.locals.lang, data, { revoked: req.query.revoked });
    renderStaff(deps, req, res, 'staff/account', model);
  });

  staffRoute(router, 'post', '/account/sessions/revoke', 'viewer', async (_req, res) => {
    const user = res.locals.user!;
    const count = await revokeOwnOtherSessions(
      { db: deps.database.db, now: deps.clock.now() },
      { user, keep: res.locals.sessionIdHash! },
    );
    res.redirect(303, `/staff/account?revoked=${count}`);
  });

  return router;
}

/**
 * A form sent after the session ended (401): show the sign-in form, saying
 * nothing was saved, and come back to the page the form was on.
 */
export function signInAfterUnauthenticated(deps: AppDeps): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (
      !(err instanceof AppError) ||
      err.code !== 'unauthenticated' ||
      !req.accepts('html') ||
      req.path.startsWith('/api/')
    )
      return next(err);
    let back: string | undefined;
    try {
      const referer = new URL(req.get('referer') ?? '');
      if (referer.host === req.get('host')) back = referer.pathname + referer.search;
    } catch {
      back = undefined;
    }
    const view = { next: safeNext(back), refused: { code: err.code, sessionEnded: true } };
    renderStaff(deps, req, res, 'staff/sign-in', presentSignInPage(res.locals.lang, view), 401);
  };
}

export { SESSION_COOKIE };
