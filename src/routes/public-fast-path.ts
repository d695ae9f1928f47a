// The hottest path, in front of express: every public URL (src/public/urls.ts) is
// answered here, on the plain node request — the outputs whose rendition is ready in
// the cache, the redirects of the language-less and old ?lang= URLs, robots.txt; GET
// and HEAD, every encoding, conditional requests. Express costs more per request than
// everything else such a read does (it re-prototypes req and res, which slows every
// later property access), and in a spike almost every request is one of these.
//
// What is left to express: other URLs and methods, a copy not ready yet (a request that
// must wait for it), and any exception raised here. Its public router answers the same
// way (src/routes/public.ts): both send with src/public/http.ts and record the same metrics.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { monotonicMs } from '../clock.ts';
import type { AppDeps } from '../deps.ts';
import type { PublicCache } from '../public/cache.ts';
import { sendRedirect, sendRendition } from '../public/http.ts';
import { ROBOTS_PATH, type StaticRendition } from '../public/robots.ts';
import { resolvePublicUrl } from '../public/urls.ts';
import { recordRequest, requestIdFrom } from './middleware.ts';
import { asksAsOf } from './public-as-of.ts';

/** Express's compiled TRUST_PROXY: (address, hop) → is that proxy trusted. */
export type TrustProxy = (address: string | undefined, hop: number) => boolean;

export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

export function publicFastPath(
  deps: Pick<AppDeps, 'metrics' | 'logger'>,
  cache: PublicCache,
  trustProxy: TrustProxy,
  robots?: StaticRendition,
): FastPath {
  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const started = monotonicMs();
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '';
    const { headers } = req;
    let route: string;
    const requestId = requestIdFrom(headers['x-request-id'] as string | undefined);
    if (robots && (url === ROBOTS_PATH || url.startsWith(`${ROBOTS_PATH}?`))) {
      route = ROBOTS_PATH;
      sendRendition(req, res, robots, { requestId, secure: isSecure(req, trustProxy) });
    } else {
      const target = resolvePublicUrl(url, headers['accept-language']);
      // The JSON as of a moment is express's (src/routes/public-as-of.ts).
      if (!target || asksAsOf(url)) return false;
      route = target.route;
      if (target.kind === 'redirect') {
        sendRedirect(res, target, { requestId, secure: isSecure(req, trustProxy) });
      } else {
        const rendition = cache.peek(target.lang, target.output.format);
        if (!rendition) return false;
        sendRendition(req, res, rendition, { requestId, secure: isSecure(req, trustProxy) });
      }
    }
    // Measured to the hand-over to the socket: the bytes are in memory, nothing is awaited.
    const ms = monotonicMs() - started;
    recordRequest(
      deps,
      { reqId: requestId, method: req.method, url, route, status: res.statusCode, ms },
      true,
    );
    return true;
  };
  // Anything unexpected here means "not mine": express answers the request (and its
  // error handler, if it fails there too). Nothing raised on a request reaches the process.
  return (req, res) => {
    try {
      return serve(req, res);
    } catch (err) {
      deps.logger.warn({ err, url: req.url }, 'public fast path declined a request after an error');
      if (!res.headersSent) return false;
      res.destroy();
      return true;
    }
  };
}

/** req.secure as express reckons it: TLS here, or X-Forwarded-Proto from a trusted proxy. */
export function isSecure(req: IncomingMessage, trustProxy: TrustProxy): boolean {
  const socket = req.socket as { encrypted?: boolean; remoteAddress?: string };
  if (socket.encrypted) return true;
  const header = req.headers['x-forwarded-proto'];
  if (header === undefined || !trustProxy(socket.remoteAddress, 0)) return false;
  const proto = (Array.isArray(header) ? header[0] : header) ?? '';
  return proto.split(',')[0]!.trim() === 'https';
}
