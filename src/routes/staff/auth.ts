// Sign-in, sign-out and the signed-in person's own sessions.
import { type ErrorRequestHandler, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { activeSessions, endSession } from '../../domain/auth/sessions.ts';
import { signIn } from '../../domain/auth/sign-in.ts';
import { revokeOwnOtherSessions } from '../../domain/auth/users.ts';
import { AppError } from '../../errors.ts';
import { presentAccountPage, presentSignInPage } from '../../presenters/staff-sign-in.ts';
import { handleForm, wantsJson } from '../form-pipeline.ts';
import { clientAddress } from '../middleware.ts';
import { staffRoute } from './define.ts';
import { isCode } from './forms.ts';
import { renderStaff } from './render.ts';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from './session.ts';

/**
 * An over-long value is taken as none, so it fails as a wrong email or password does (401,
 * counted), as it always has: the form is refused (422) only for what the pipeline refuses
 * on every form (a control character, a field sent twice or as an object).
 */
const upTo = (max: number) =>
  z
    .string()
    .default('')
    .transform((v) => (v.length <= max ? v : ''));
const signInForm = z.object({ email: upTo(320), password: upTo(4096), next: upTo(2000) });

/** Only a path inside /staff: never an open redirect. */
export function safeNext(next: string | undefined): string {
  if (!next || !/^\/staff(?:[/?#][^\\]*)?$/.test(next) || next.startsWith('/staff/sign-')) return '/staff';
  return next;
}

export function authRouter(deps: AppDeps): Router {
  const router = Router();
  const signInPage = (
    req: Request,
    res: Response,
    view: Parameters<typeof presentSignInPage>[1],
    status: number,
  ) => renderStaff(deps, req, res, 'staff/sign-in', presentSignInPage(res.locals.lang, view), status);

  staffRoute(router, 'get', '/sign-in', 'public', (req, res) => {
    const next = typeof req.query.next === 'string' ? req.query.next : undefined;
    if (res.locals.user) return res.redirect(303, safeNext(next));
    const view = { next: next === undefined ? '' : safeNext(next), signedOut: req.query.signed_out === '1' };
    renderStaff(deps, req, res, 'staff/sign-in', presentSignInPage(res.locals.lang, view));
  });

  // Through the one form pipeline (form-pipeline.ts): a control character, or a field sent
  // twice, is its 422 before anything is looked up or an attempt counted (a NUL in the
  // email reached the account lookup: a 500); a wrong email or password (401) and too many
  // attempts (429) are answered on the same page whether or not the account exists.
  staffRoute(router, 'post', '/sign-in', 'public', (req, res) =>
    handleForm(req, res, {
      schema: signInForm,
      run: async (input) => {
        try {
          const now = deps.clock.now();
          const session = await signIn(
            { database: deps.database, config: deps.config, now },
            {
              email: input.email,
              password: input.password,
              ip: clientAddress(req),
              userAgent: req.get('user-agent') ?? null,
            },
          );
          // A new session id at every sign-in; the one the browser had (if any) ends.
          if (res.locals.sessionIdHash)
            await endSession({ db: deps.database.db, now }, res.locals.sessionIdHash);
          setSessionCookie(req, res, session.token, session.expiresAt, now);
          return safeNext(input.next);
        } catch (err) {
          if (!isCode(err, 'unauthenticated') && !isCode(err, 'rate_limited')) throw err;
          const refused = { code: err.code, retryAfterSeconds: Number(err.details.retryAfterSeconds ?? 60) };
          if (refused.code === 'rate_limited') res.set('Retry-After', String(refused.retryAfterSeconds));
          if (wantsJson(req)) throw err; // errorHandler: { error: { code } } with its status
          const view = { next: safeNext(input.next), email: input.email, refused };
          return { answer: () => signInPage(req, res, view, err.status) };
        }
      },
      // 422: the form again with the email as typed (its control characters taken out).
      fail: (x) =>
        x.status !== 422
          ? Promise.reject(x.error) // no version, so never a conflict
          : signInPage(
              req,
              res,
              {
                next: safeNext(x.values.next),
                email: x.values.email ?? '',
                refused: { code: 'validation_failed', field: Object.values(x.errors)[0] },
              },
              422,
            ),
    }),
  );

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
