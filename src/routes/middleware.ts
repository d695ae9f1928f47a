// Request-wide middleware: request id, access log, language, errors.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import { monotonicMs } from '../clock.ts';
import { AppError } from '../errors.ts';
import { type Lang, DEFAULT_LANG, isLang, negotiateLang } from '../i18n/index.ts';
import { presentErrorPage } from '../presenters/error-page.ts';
import { loadPublishers } from '../domain/public-status.ts';
// The error handler is where driver errors (SQLSTATE, disk full) become AppErrors; the
// store owns that mapping, and this is its one caller outside the domain.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { normaliseDbError } from '../store/errors.ts';
import { requestLanguage } from '../public/urls.ts';
import { uploadError } from './body-limits.ts';
import { readCookies } from './cookies.ts';

export const LANG_COOKIE = 'lang';

// A new request id is this process's random prefix (72 bits: unique across processes and
// restarts) and a count, e.g. `k3Jx9aQ2bLcE.1f`: a log line is found by it as by a UUID,
// without a random draw per request on the public fast path.
const REQUEST_ID_PREFIX = randomBytes(9).toString('base64url');
let requestCount = 0;
const SANE_REQUEST_ID = /^[\w.-]{1,128}$/;

/** The caller's X-Request-Id when it is sane (nginx sends $request_id), else a new one. */
export function requestIdFrom(incoming: string | undefined): string {
  if (incoming && SANE_REQUEST_ID.test(incoming)) return incoming;
  requestCount = requestCount >= Number.MAX_SAFE_INTEGER ? 1 : requestCount + 1;
  return `${REQUEST_ID_PREFIX}.${requestCount.toString(36)}`;
}

type Finished = { reqId: string; method: string; url: string; route: string; status: number; ms: number };

/** Metrics and the access log for one answered request; shared with the public fast path. */
export function recordRequest(deps: Pick<AppDeps, 'metrics' | 'logger'>, r: Finished, publicRead: boolean) {
  deps.metrics.observeHttp(r.route, r.method, r.status, r.ms / 1000);
  // Public reads answered from the cache would flood the log in a spike (nginx logs them,
  // metrics count them): they are logged at debug; everything else at info.
  const level = publicRead && r.status < 400 ? 'debug' : 'info';
  if (!deps.logger.isLevelEnabled(level)) return;
  deps.logger[level](
    { reqId: r.reqId, method: r.method, url: r.url, status: r.status, ms: Math.round(r.ms * 10) / 10 },
    'request',
  );
}

/**
 * The client's address, for rate limits and the sessions list: express's req.ip (from
 * X-Forwarded-For when TRUST_PROXY trusts the peer) when it is an IP address, else the
 * peer's own. A trusted peer that passes a client's X-Forwarded-For on unchanged made
 * req.ip whatever the client wrote ("<script>", 8 KB of text), stored with a session.
 */
export function clientAddress(req: Request): string {
  const ip = req.ip;
  if (ip !== undefined && isIP(ip) !== 0) return ip;
  return req.socket.remoteAddress ?? 'unknown';
}

export function requestContext(deps: AppDeps): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFrom(req.get('x-request-id'));
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    const started = monotonicMs();
    res.on('finish', () => {
      const ms = monotonicMs() - started;
      const r = { reqId: id, method: req.method, url: req.originalUrl, status: res.statusCode, ms };
      const route = res.locals.route ?? routePattern(req);
      recordRequest(deps, { ...r, route }, res.locals.publicRead === true);
    });
    next();
  };
}

/** The matched route's pattern (bounded label values), never the raw URL. */
function routePattern(req: Request): string {
  // express types req.route as any; a matched route's path is the string it was declared with.
  const path = (req.route as { path?: string } | undefined)?.path;
  if (path === undefined) return 'unmatched';
  return `${req.baseUrl}${path}` || '/';
}

/**
 * Staff pages only: ?lang= (remembered in a cookie) → cookie → Accept-Language → English.
 * `remember` says the ?lang= choice differs from the cookie, so the answer must set it.
 * A value that is not a known language (or not a string at all) is ignored, never an error.
 * (Public pages never read or set a cookie: their language is in their URL, see publicLanguage.)
 */
export function chooseLanguage(
  query: unknown,
  cookieHeader: string | string[] | undefined,
  acceptLanguage: string | undefined,
): { lang: Lang; remember: boolean } {
  const cookie = readCookies(cookieHeader)[LANG_COOKIE];
  if (isLang(query)) return { lang: query, remember: cookie !== query };
  if (isLang(cookie)) return { lang: cookie, remember: false };
  return { lang: negotiateLang(acceptLanguage) ?? DEFAULT_LANG, remember: false };
}

/**
 * Every page outside /staff: the language of the URL (?lang= on the sign-up pages), else
 * Accept-Language, else English. No cookie is read or set, so a shared cache never has to
 * vary on one; an answer chosen by Accept-Language says so in Vary.
 */
export const publicLanguage: RequestHandler = (req, res, next) => {
  const query = req.query.lang;
  const inPath = pathLanguage(req.path);
  res.locals.lang = inPath ?? requestLanguage(query, req.get('accept-language'));
  if (!inPath && !isLang(query)) res.vary('Accept-Language');
  next();
};

/** "/kk/…" → kk: a page under a language's prefix that does not exist is answered in it. */
function pathLanguage(path: string): Lang | undefined {
  const first = /^\/([^/]+)(?:\/|$)/.exec(path)?.[1];
  return isLang(first) ? first : undefined;
}

/** The staff area's language: its own choice, remembered in a cookie scoped to /staff. */
export const languageSelection: RequestHandler = (req, res, next) => {
  const { lang, remember } = chooseLanguage(req.query.lang, req.get('cookie'), req.get('accept-language'));
  // Only when it changes: a response without Set-Cookie stays cacheable by a shared cache.
  if (remember)
    res.cookie(LANG_COOKIE, lang, {
      maxAge: 365 * 24 * 3600 * 1000,
      sameSite: 'lax',
      httpOnly: true,
      path: '/staff',
    });
  res.locals.lang = lang;
  next();
};

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'Not found.'));
};

/** An error raised with a 4xx status by express or a body parser (bad encoding, bad %-escape…). */
function clientError(status: unknown): AppError | undefined {
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (status === 415) return new AppError('unsupported_media_type', 'This body type is not accepted.');
  if (status === 400) return new AppError('bad_request', 'The request could not be read.');
  return new AppError('validation_failed', 'The request could not be read.');
}

/** Any thrown value as the AppError it answers with (a bug is an `internal` one). */
function toAppError(err: unknown): AppError {
  const bodyError = err as { type?: string; status?: number };
  if (bodyError?.type === 'entity.too.large' || bodyError?.status === 413)
    return new AppError('payload_too_large', 'The request is too large.');
  return (
    uploadError(err) ??
    normaliseDbError(err) ??
    clientError(bodyError?.status) ??
    new AppError('internal', 'Internal error.')
  );
}

/** How long an error page reuses the publishers it read (a crawler's 404s cost one query). */
const PUBLISHERS_FOR_MS = 10_000;

export function errorHandler(deps: AppDeps): ErrorRequestHandler {
  let publishers: { at: number; list: Awaited<ReturnType<typeof loadPublishers>> } | undefined;
  // The header's publisher, as on the public pages; none when the database cannot say.
  const publishersNow = async (code: string) => {
    const now = deps.clock.now().getTime();
    if (publishers && now - publishers.at < PUBLISHERS_FOR_MS) return publishers.list;
    if (code === 'db_unavailable' || code === 'disk_full') return publishers?.list ?? [];
    try {
      publishers = { at: now, list: await loadPublishers({ db: deps.database.db }) };
      return publishers.list;
    } catch {
      return publishers?.list ?? [];
    }
  };
  return async (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) deps.logger.error({ err, reqId: res.locals.requestId }, 'request failed');
    if (res.headersSent) return;
    // A public router's refusal (/kk/routes/unknown) comes before publicLanguage has run.
    const lang: Lang =
      res.locals.lang ?? pathLanguage(req.path) ?? negotiateLang(req.get('accept-language')) ?? DEFAULT_LANG;
    res.status(appError.status).set('Cache-Control', 'no-store');
    if (appError.code === 'db_unavailable' || appError.code === 'disk_full') res.set('Retry-After', '5');
    if (appError.code === 'disk_full') deps.database.disk.noteFull(); // for /readyz
    const wantsJson =
      req.path.startsWith('/api/') || (req.accepts(['html', 'json']) === 'json' && !req.accepts('html'));
    if (wantsJson) {
      // A field-level conflict (staff forms) names each field both changed: value, who and when.
      const conflicts = appError.code === 'conflict' ? appError.details.fields : undefined;
      res.json({
        error: { code: appError.code, message: appError.message, fields: appError.fields, conflicts },
      });
      return;
    }
    const operations = await publishersNow(appError.code);
    if (res.headersSent) return;
    const model = presentErrorPage(lang, appError.code, res.locals.requestId, operations);
    res.type('html').send(deps.renderer.render('error', model));
  };
}
