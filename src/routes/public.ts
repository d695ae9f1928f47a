// The public outputs through express: every public URL (src/public/urls.ts) whose answer
// the fast path (src/routes/public-fast-path.ts) could not give at once — mostly a copy
// not ready yet, which this router waits for. It answers exactly as the fast path does:
// both send with src/public/http.ts.
import type { RequestHandler } from 'express';
import type { PublicCache } from '../public/cache.ts';
import { sendRedirect, sendRendition } from '../public/http.ts';
import { ROBOTS_PATH, type StaticRendition } from '../public/robots.ts';
import { resolvePublicUrl } from '../public/urls.ts';

export function publicRouter(cache: PublicCache, robots: StaticRendition): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const ctx = { requestId: res.locals.requestId as string, secure: req.secure };
    if (req.path === ROBOTS_PATH) {
      res.locals.route = ROBOTS_PATH;
      res.locals.publicRead = true;
      return sendRendition(req, res, robots, ctx);
    }
    const target = resolvePublicUrl(req.url, req.get('accept-language'));
    if (!target) return next();
    res.locals.route = target.route;
    res.locals.publicRead = true;
    if (target.kind === 'redirect') return sendRedirect(res, target, ctx);
    sendRendition(req, res, await cache.get(target.lang, target.output.format), ctx);
  };
}
