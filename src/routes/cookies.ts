// The one cookie reader. Every place that reads a cookie (language, staff session,
// CSRF pre-session token) goes through readCookies, so a hostile Cookie header is
// handled in one guarded place: a value that does not percent-decode is kept as sent
// (never thrown), an oversized header or a name like __proto__ is ignored, and any
// surprise yields "no cookies" instead of an exception.
import type { IncomingMessage } from 'node:http';
import { parse } from 'cookie';

/** Browsers send at most ~4 KB per cookie; a longer header is not one we set. */
export const MAX_COOKIE_HEADER = 16_384;

export type Cookies = Readonly<Record<string, string>>;

const EMPTY: Cookies = Object.freeze(Object.create(null) as Record<string, string>);

/** Cookies of a header (or of the repeated headers node joins): never throws. */
export function readCookies(header: string | string[] | undefined): Cookies {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text || text.length > MAX_COOKIE_HEADER) return EMPTY;
  try {
    const parsed = parse(text);
    const out = Object.create(null) as Record<string, string>;
    for (const name of Object.keys(parsed)) {
      const value = parsed[name];
      if (typeof value === 'string') out[name] = value;
    }
    return out;
  } catch {
    // The parser is guarded already; this is the last line, so a cookie never ends a request.
    return EMPTY;
  }
}

/** One cookie of a request (plain node or express), or undefined. */
export function requestCookie(req: Pick<IncomingMessage, 'headers'>, name: string): string | undefined {
  return readCookies(req.headers.cookie)[name];
}
