// The hottest path, in front of express: a public read whose rendition is ready in the
// cache is answered here, on the plain node request. Express costs more per request
// than everything else a cached read does (it re-prototypes req and res, which slows
// every later property access), and in a spike almost every request is such a read.
//
// Only the plain cases are taken: GET or HEAD of exactly one of the public paths, with
// no query string or only a ?lang= the cookie already remembers. Everything else —
// other URLs, a new ?lang= (it sets the cookie), a copy not ready yet (a request that
// must wait), errors, any exception raised here — goes to express, whose public router answers the same way
// (src/routes/public.ts). The two share sendRendition, the headers and the metrics.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../deps.ts';
import { isLang } from '../i18n/index.ts';
import type { PublicCache } from '../public/cache.ts';
import { sendRendition } from '../public/http.ts';
import { chooseLanguage, recordRequest, requestIdFrom } from './middleware.ts';
import { PUBLIC_OUTPUTS } from './public.ts';
import { PUBLIC_CONTENT_SECURITY_POLICY, applySecurityHeaders } from './security-headers.ts';

/** Express's compiled TRUST_PROXY: (address, hop) → is that proxy trusted. */
export type TrustProxy = (address: string | undefined, hop: number) => boolean;

export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const outputs = new Map<string, (typeof PUBLIC_OUTPUTS)[number]>(PUBLIC_OUTPUTS.map((o) => [o.path, o]));

export function publicFastPath(
  deps: Pick<AppDeps, 'metrics' | 'logger'>,
  cache: PublicCache,
  trustProxy: TrustProxy,
): FastPath {
  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const started = process.hrtime.bigint();
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const output = outputs.get(q < 0 ? url : url.slice(0, q));
    if (!output) return false;
    const query = q < 0 ? undefined : url.slice(q + 1);
    const queryLang = query?.startsWith('lang=') ? query.slice(5) : undefined;
    if (query && !isLang(queryLang)) return false;
    const { headers } = req;
    const choice = output.perLanguage
      ? chooseLanguage(queryLang, headers.cookie, headers['accept-language'])
      : undefined;
    if (choice?.remember) return false;
    const rendition = cache.peek(choice?.lang ?? 'en', output.format);
    if (!rendition) return false;
    const reqId = requestIdFrom(headers['x-request-id'] as string | undefined);
    res.setHeader('X-Request-Id', reqId);
    applySecurityHeaders(res, isSecure(req, trustProxy), PUBLIC_CONTENT_SECURITY_POLICY);
    sendRendition(req, res, rendition, output.vary);
    // Measured to the hand-over to the socket: the bytes are in memory, nothing is awaited.
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    recordRequest(
      deps,
      { reqId, method: req.method, url, route: output.path, status: res.statusCode, ms },
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
function isSecure(req: IncomingMessage, trustProxy: TrustProxy): boolean {
  const socket = req.socket as { encrypted?: boolean; remoteAddress?: string };
  if (socket.encrypted) return true;
  const header = req.headers['x-forwarded-proto'];
  if (header === undefined || !trustProxy(socket.remoteAddress, 0)) return false;
  const proto = (Array.isArray(header) ? header[0] : header) ?? '';
  return proto.split(',')[0]!.trim() === 'https';
}
