// Sending a cached rendition: validators, 304, content negotiation of the
// encoding, headers fit for a shared cache. No per-request work beyond that.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { memoiseHeader } from '../memo.ts';
import type { Rendition } from './rendition.ts';

export const CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=30, stale-if-error=86400';
/** A degraded copy: do not let caches keep it once the database is back. */
export const DEGRADED_CACHE_CONTROL = 'public, max-age=5, stale-if-error=86400';

type Encoding = 'br' | 'gzip' | 'identity';

const rankEncodingsOnce = memoiseHeader(rankEncodings);

/** The best encoding the client accepts (q=0 refuses; no header means identity). */
export function chooseEncoding(header: string | undefined): Encoding {
  return header ? rankEncodingsOnce(header) : 'identity';
}

function rankEncodings(header: string): Encoding {
  let br = -1;
  let gzip = -1;
  let star = -1;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qp = params.find((p) => p.trim().startsWith('q='));
    const q = qp ? Number(qp.trim().slice(2)) : 1;
    if (Number.isNaN(q)) continue;
    if (name === 'br') br = q;
    else if (name === 'gzip' || name === 'x-gzip') gzip = q;
    else if (name === '*') star = q;
  }
  if (br < 0) br = star;
  if (gzip < 0) gzip = star;
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}

const etagBase = (tag: string) => tag.replace(/^W\//, '').replace(/-(br|gz)"$/, '"');

/** If-None-Match (weak comparison, any encoding's tag) wins over If-Modified-Since. */
export function isNotModified(req: IncomingMessage, r: Rendition): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) {
    if (inm.trim() === '*') return true;
    return inm.split(',').some((tag) => etagBase(tag.trim()) === r.etag);
  }
  const ims = req.headers['if-modified-since'];
  if (ims) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && r.lastModified.getTime() <= since;
  }
  return false;
}

/** Works on plain node objects: express's routes and the public fast path both send with it. */
export function sendRendition(req: IncomingMessage, res: ServerResponse, r: Rendition, vary: string): void {
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  res.setHeader('Content-Type', r.contentType);
  res.setHeader('ETag', encoding === 'br' ? r.etagBr : encoding === 'gzip' ? r.etagGzip : r.etag);
  res.setHeader('Last-Modified', r.lastModifiedHttp);
  res.setHeader('Cache-Control', r.degraded ? DEGRADED_CACHE_CONTROL : CACHE_CONTROL);
  res.setHeader('Vary', vary);
  if (isNotModified(req, r)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const body = encoding === 'br' ? r.br : encoding === 'gzip' ? r.gzip : r.identity;
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', body.length);
  res.statusCode = 200;
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}
