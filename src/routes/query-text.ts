// The one rule for query strings: every %-escape is two hex digits, the decoded bytes are
// UTF-8, and no name or value holds a control character (U+0000–U+001F, U+007F–U+009F: no
// query parameter is multi-line, so tab, CR and LF are refused too). Anything else is a 400
// (bad_request) before a route reads req.query. express's query parser (the "simple" one,
// node's querystring) turned %ff into U+FFFD, kept "%E0%A4%A" half-decoded and passed
// %00 on as a NUL, to a use case, a page or a log line.
//
// Mounted after the public outputs (src/app.ts): they ignore their query string, as nginx
// does when it serves their published files (deploy/nginx.conf), so the fast path and the
// express public router answer `/ru/?utm=%ff` alike and the fast path does no extra work.
// The JSON as of a day (`/api/v1/status?asOf=`) reads only asOf, strictly: any other value
// is its documented invalid_as_of (400).
import { isUtf8 } from 'node:buffer';
import type { RequestHandler } from 'express';
import { hasControlCharacter } from '../domain/input-rules.ts';
import { AppError } from '../errors.ts';
import { hasWideCharacter, percentDecoded } from './body-limits.ts';

export type QueryProblem = 'encoding' | 'control_character';

// A control character is the one every input refuses (src/domain/input-rules.ts); no query
// parameter is multi-line, so tab, LF and CR, which a form's notes may hold, are refused too.
const TAB_OR_LINE_BREAK = /[\t\n\r]/;
const hasQueryControl = (text: string) => hasControlCharacter(text) || TAB_OR_LINE_BREAK.test(text);

/** What is wrong with the query string of a request URL (path and query), if anything. */
export function queryProblem(url: string): QueryProblem | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const query = url.slice(q + 1);
  // Node's parser refuses a raw control character or non-ASCII byte in the request line, so
  // a query without "%" is plain printable ASCII: only an escape can bring anything else.
  if (!query.includes('%')) return hasQueryControl(query) ? 'control_character' : undefined;
  // Every character is one byte here (see above); a wider one cannot be an escape's byte.
  if (hasWideCharacter(query)) return 'encoding';
  const decoded = percentDecoded(Buffer.from(query, 'latin1'));
  if (decoded === null || !isUtf8(decoded)) return 'encoding';
  return hasQueryControl(decoded.toString('utf8')) ? 'control_character' : undefined;
}

/** 400 for a malformed query string, before any route reads req.query. */
export const wellFormedQuery: RequestHandler = (req, _res, next) => {
  const problem = queryProblem(req.originalUrl);
  if (!problem) return next();
  next(
    new AppError(
      'bad_request',
      problem === 'encoding'
        ? 'The query string is not valid UTF-8 (or has a malformed %-escape).'
        : 'The query string has a control character.',
      {},
      { query: problem },
    ),
  );
};
