// Sending a cached rendition or a public redirect: validators and preconditions
// (RFC 9110 §8.8, §13), content negotiation of the encoding, headers fit for a shared
// cache. Works on plain node objects: the fast path and express's public router both
// send with it, so their answers are the same. Each rendition's header lists are made
// once and kept beside it; a request only picks one and adds its request id.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { memoiseHeader } from '../memo.ts';
import { PUBLIC_CONTENT_SECURITY_POLICY, securityHeaderList } from '../routes/security-headers.ts';
import type { Rendition } from './rendition.ts';
import type { PublicTarget } from './urls.ts';

export const CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=30, stale-if-error=86400';
/** A degraded copy: do not let caches keep it once the database is back. */
export const DEGRADED_CACHE_CONTROL = 'public, max-age=5, stale-if-error=86400';
/** A negotiated redirect (/ → /ru/): per Accept-Language, for an hour. */
export const NEGOTIATED_REDIRECT_CACHE_CONTROL = 'public, max-age=3600';
/** An old ?lang= URL, or /ru without its slash: moved for good. */
export const MOVED_CACHE_CONTROL = 'public, max-age=86400';
/** Every public output varies by encoding only: its language is in its URL. */
export const VARY = 'Accept-Encoding';

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

/** The representation sent for an encoding: its bytes and its (strong) entity tag. */
export function representation(r: Rendition, encoding: Encoding): { body: Buffer; etag: string } {
  if (encoding === 'br') return { body: r.br, etag: r.etagBr };
  if (encoding === 'gzip') return { body: r.gzip, etag: r.etagGzip };
  return { body: r.identity, etag: r.etag };
}

// An If-Match / If-None-Match field (RFC 9110 §13.1.1–2): "*" alone, or a list of entity
// tags (opaque-tag = DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text), empty
// elements allowed. Header values reach node as Latin-1 text, so obs-text is U+0080–U+00FF.
const ENTITY_TAG_LIST = /^[ \t,]*(?:(?:W\/)?"[\u0021\u0023-\u007E\u0080-\u00FF]*"[ \t]*(?:,[ \t,]*|$))*$/;
const ENTITY_TAGS = /(W\/)?"[^"]*"/g;
const ANY_TAG = /^[ \t]*\*[ \t]*$/;

/**
 * Does an If-Match / If-None-Match field match the selected representation's tag? Weak
 * comparison (If-None-Match) ignores W/; strong comparison (If-Match) never matches a weak
 * tag (RFC 9110 §8.8.3.2). Each encoding is its own representation with its own tag: a gzip
 * tag does not match the brotli or identity bytes. Undefined when the field is absent or not
 * an entity-tag list: it is then ignored, as a field that is not a date is (§13.1.3). A tag
 * found inside garbage ('x"abc"y', '"abc" junk') used to match.
 */
export function matchesEntityTag(
  field: string | undefined,
  etag: string,
  strong: boolean,
): boolean | undefined {
  if (field === undefined) return undefined;
  // The usual revalidation sends back the one tag it was given: no list to parse (matchAll
  // makes a new RegExp and an array per tag, on every 304 of a crowd refreshing the page).
  if (field === etag && !(strong && etag.startsWith('W/'))) return true;
  if (!strong && field.length === etag.length + 2 && field.startsWith('W/') && field.endsWith(etag))
    return true;
  if (ANY_TAG.test(field)) return true;
  if (!ENTITY_TAG_LIST.test(field)) return undefined;
  for (const [tag, weak] of field.matchAll(ENTITY_TAGS)) {
    if (strong && weak) continue;
    if ((weak ? tag.slice(2) : tag) === etag) return true;
  }
  return false;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
// The three forms of HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, RFC 850, asctime; always GMT.
const IMF_FIXDATE = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850 = /^[A-Z][a-z]{5,8}, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * An HTTP-date as milliseconds, or NaN when the field is not one: then it is ignored (RFC
 * 9110 §13.1.3), as are several values. Date.parse took anything it could read ("9999",
 * "1e3", "Tue 5"): a garbage If-Modified-Since made a 304 of a page never seen.
 */
export function httpDate(value: string | string[] | undefined): number {
  if (typeof value !== 'string') return NaN;
  let parts: (string | undefined)[] | undefined;
  let m = IMF_FIXDATE.exec(value);
  if (m) parts = [m[3], m[2], m[1], m[4], m[5], m[6]];
  else if ((m = RFC_850.exec(value))) {
    // A two-digit year: 70–99 are 19xx, the rest 20xx (what browsers have long done).
    const yy = Number(m[3]);
    const year = yy + (yy >= 70 ? 1900 : 2000);
    parts = [String(year), m[2], m[1], m[4], m[5], m[6]];
  } else if ((m = ASCTIME.exec(value))) parts = [m[6], m[1], m[2], m[3], m[4], m[5]];
  if (!parts) return NaN;
  const [year, month, day, hour, minute, second] = parts as string[];
  const monthIndex = MONTHS.indexOf(month!) / 3;
  if (!Number.isInteger(monthIndex)) return NaN;
  const n = [year, day, hour, minute, second].map((x) => Number(x!.trim()));
  const at = Date.UTC(n[0]!, monthIndex, n[1], n[2], n[3], n[4]);
  const back = new Date(at);
  // 31 Feb or 25:00 would roll over into another moment: not a date.
  const exact =
    back.getUTCDate() === n[1] && back.getUTCHours() === n[2] && back.getUTCMinutes() === n[3] && n[4]! < 60;
  return exact && back.getUTCMonth() === monthIndex ? at : NaN;
}

/**
 * RFC 9110 §13.2.2, for GET and HEAD: If-Match, else If-Unmodified-Since (412 when
 * false); then If-None-Match, else If-Modified-Since (304 when false); else 200.
 */
export function evaluatePreconditions(
  req: IncomingMessage,
  etag: string,
  lastModified: Date,
): 200 | 304 | 412 {
  const { headers } = req;
  // A field that is not an entity-tag list counts as absent (matchesEntityTag).
  const ifMatch = matchesEntityTag(headers['if-match'], etag, true);
  if (ifMatch !== undefined) {
    if (!ifMatch) return 412;
  } else {
    const since = httpDate(headers['if-unmodified-since']);
    if (!Number.isNaN(since) && lastModified.getTime() > since) return 412;
  }
  const ifNoneMatch = matchesEntityTag(headers['if-none-match'], etag, false);
  if (ifNoneMatch !== undefined) return ifNoneMatch ? 304 : 200;
  const since = httpDate(headers['if-modified-since']);
  if (!Number.isNaN(since) && lastModified.getTime() <= since) return 304;
  return 200;
}

/** Per rendition, its header lists by slot: encoding × status × secure (slotOf). */
const headerLists = new WeakMap<Rendition, (string[] | undefined)[]>();
const ENCODING_SLOT = { br: 0, gzip: 6, identity: 12 } as const;
const STATUS_SLOT = { 200: 0, 304: 2, 412: 4 } as const;
/** A number, not a string key: nothing is joined or hashed per request. */
const slotOf = (encoding: Encoding, status: 200 | 304 | 412, secure: boolean) =>
  ENCODING_SLOT[encoding] + STATUS_SLOT[status] + (secure ? 1 : 0);
const SECURITY = [
  securityHeaderList(false, PUBLIC_CONTENT_SECURITY_POLICY),
  securityHeaderList(true, PUBLIC_CONTENT_SECURITY_POLICY),
];

/** The header list of one answer, made once per rendition (it is the same for every request). */
function headersOf(r: Rendition, encoding: Encoding, status: 200 | 304 | 412, secure: boolean): string[] {
  let lists = headerLists.get(r);
  if (!lists) headerLists.set(r, (lists = new Array<string[] | undefined>(18).fill(undefined)));
  const key = slotOf(encoding, status, secure);
  const found = lists[key];
  if (found) return found;
  const { body, etag } = representation(r, encoding);
  // A 304 carries what a cache needs to update its copy (RFC 9110 §15.4.5); a 412 is not cached.
  const list =
    status === 412
      ? ['Cache-Control', 'no-store', 'Content-Length', '0']
      : [
          'ETag',
          etag,
          'Last-Modified',
          r.lastModifiedHttp,
          'Cache-Control',
          r.degraded ? DEGRADED_CACHE_CONTROL : CACHE_CONTROL,
          'Vary',
          VARY,
          ...(status === 304
            ? []
            : [
                'Content-Type',
                r.contentType,
                ...(encoding === 'identity' ? [] : ['Content-Encoding', encoding]),
                'Content-Length',
                String(body.length),
              ]),
        ];
  list.push(...SECURITY[secure ? 1 : 0]!);
  lists[key] = list;
  return list;
}

/** writeHead with a shared list plus this request's id, without copying the list. */
function writeHead(res: ServerResponse, status: number, list: string[], requestId: string) {
  list.push('X-Request-Id', requestId);
  try {
    res.writeHead(status, list);
  } finally {
    list.length -= 2;
  }
}

export type SendContext = { requestId: string; secure: boolean };

export function sendRendition(req: IncomingMessage, res: ServerResponse, r: Rendition, ctx: SendContext) {
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const { body, etag } = representation(r, encoding);
  const status = evaluatePreconditions(req, etag, r.lastModified);
  writeHead(res, status, headersOf(r, encoding, status, ctx.secure), ctx.requestId);
  if (status !== 200 || req.method === 'HEAD') res.end();
  else res.end(body);
}

type Redirect = Extract<PublicTarget, { kind: 'redirect' }>;
const redirectLists = new Map<string, string[]>();

/** 302 to the negotiated language (Vary: Accept-Language) or 301 for a moved URL; no body. */
export function sendRedirect(res: ServerResponse, target: Redirect, ctx: SendContext) {
  const key = `${target.status} ${target.location} ${ctx.secure ? 1 : 0}`;
  let list = redirectLists.get(key);
  if (!list) {
    list = [
      'Location',
      target.location,
      'Cache-Control',
      target.negotiated ? NEGOTIATED_REDIRECT_CACHE_CONTROL : MOVED_CACHE_CONTROL,
      ...(target.negotiated ? ['Vary', 'Accept-Language'] : []),
      'Content-Length',
      '0',
      ...SECURITY[ctx.secure ? 1 : 0]!,
    ];
    redirectLists.set(key, list); // bounded: a few statuses × locations × 2
  }
  writeHead(res, target.status, list, ctx.requestId);
  res.end();
}
