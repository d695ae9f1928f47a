// GET /api/v1/status?asOf=…: the public JSON as of the end of a past local day
// (docs/public-api.md, "As of a moment"). Thin: the service parses, checks and caches;
// this sends its answer like every public output (src/public/http.ts), or the error
// with its stable code (invalid_as_of 400, as_of_in_future / as_of_before_operation 404).
import type { RequestHandler } from 'express';
import type { AsOfService } from '../public/as-of.ts';
import { sendRendition } from '../public/http.ts';

export const AS_OF_PATH = '/api/v1/status';

/** Whether a request URL asks the JSON for a moment (the fast path leaves those to express). */
export function asksAsOf(url: string): boolean {
  const q = url.indexOf('?');
  return q >= 0 && url.slice(0, q) === AS_OF_PATH && /(?:^|&)asOf=/.test(url.slice(q + 1));
}

export function publicAsOfRouter(service: AsOfService): RequestHandler {
  return async (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !asksAsOf(req.url)) return next();
    res.locals.route = `${AS_OF_PATH}?asOf`;
    res.locals.publicRead = true;
    const ctx = { requestId: res.locals.requestId as string, secure: req.secure };
    sendRendition(req, res, await service.get(req.query.asOf), ctx);
  };
}
