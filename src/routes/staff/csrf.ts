// CSRF: a signed-in request must echo its session's token (form field `_csrf`
// or header X-CSRF-Token). Before sign-in there is no session, so the sign-in
// form echoes a random token kept in its own cookie (double submit).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { AppError } from '../../errors.ts';

export const PRE_SESSION_COOKIE = 'corridor_presession';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export const newToken = () => randomBytes(32).toString('base64url');

export const isStateChanging = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

function submittedToken(req: Request): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = body && typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined;
  return fromBody ?? req.get(CSRF_HEADER) ?? undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Throws csrf_failed (403) unless the request echoes res.locals.csrfToken. */
export function verifyCsrf(req: Request, res: Response): void {
  const expected = res.locals.csrfToken;
  const got = submittedToken(req);
  if (!expected || !got || !same(expected, got)) {
    throw new AppError('csrf_failed', 'The form has expired. Reload the page and try again.');
  }
}
