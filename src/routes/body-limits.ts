// Request body limits. Forms are parsed once, app-wide, with a size limit, so
// no router can forget one; the CSV upload has its own (larger) limit. A body
// announced too large is refused with 413 before a byte of it is read. Only form
// bodies are accepted (urlencoded, and multipart where a route reads a file): a JSON,
// text/plain or any other body is refused with 415 before it is parsed, and a
// multipart body that cannot be read is a 400. A urlencoded body must be UTF-8 twice
// over: its bytes, and each name and value once %-decoded; otherwise it is a 400
// (bad_request) before any handler runs (the parser used to store U+FFFD for a bad byte,
// and a field with a bad %-escape as the literal "%ff%fe"). A multipart upload's text
// parts are held to the same rule: each name and value must be UTF-8 (utf8Multipart).
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import multer from 'multer';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

type Limits = Pick<Config, 'FORM_BODY_LIMIT' | 'UPLOAD_LIMIT'>;

// Multipart framing (boundaries, part headers, the _csrf field) on top of the file.
const MULTIPART_OVERHEAD = 64 * 1024;

/** Refuse by Content-Length, so a huge upload never streams in just to be dropped. */
export function bodySizeGuard(limits: Limits): RequestHandler {
  return (req, res, next) => {
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)
      return next();
    const length = Number(req.get('content-length') ?? 0);
    const multipart = req.is('multipart/form-data') === 'multipart/form-data';
    const max = multipart ? limits.UPLOAD_LIMIT + MULTIPART_OVERHEAD : limits.FORM_BODY_LIMIT;
    if (Number.isFinite(length) && length > max) {
      // The unread body would otherwise be the next "request" on this connection.
      res.set('Connection', 'close');
      next(new AppError('payload_too_large', 'The request is too large.', {}, { limit: max }));
      return;
    }
    next();
  };
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** A request that carries a body (a length above 0, or chunked). */
const hasBody = (req: { headers: Record<string, string | string[] | undefined> }) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** Refuse a body that is not a form: 415, nothing read (a form route never takes JSON). */
export const formBodiesOnly: RequestHandler = (req, _res, next) => {
  if (!hasBody(req)) return next();
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (FORM_TYPES.includes(type)) return next();
  next(
    new AppError('unsupported_media_type', 'Only forms are accepted (application/x-www-form-urlencoded).'),
  );
};

/** urlencoded bodies, bounded (a chunked body over the limit gets 413 too); nothing else. */
export function formBodies(limits: Limits): RequestHandler[] {
  return [
    formBodiesOnly,
    express.urlencoded({
      extended: false,
      limit: limits.FORM_BODY_LIMIT,
      parameterLimit: 1000,
      verify: verifyFormEncoding,
    }),
  ];
}

const PERCENT = 0x25;
const hexValue = (byte: number | undefined): number => {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
};

/**
 * The body with every %XX replaced by its byte, or null when a "%" is not followed by two
 * hex digits (the parser then keeps the whole value undecoded). Decoding the body at once
 * is as good as field by field: "&" and "=" are never part of a multi-byte character, so
 * a character cut by one is invalid either way.
 */
export function percentDecoded(body: Buffer): Buffer | null {
  if (!body.includes(PERCENT)) return body;
  const out = Buffer.allocUnsafe(body.length);
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== PERCENT) {
      out[n++] = body[i]!;
      continue;
    }
    const high = hexValue(body[i + 1]);
    const low = hexValue(body[i + 2]);
    if (high < 0 || low < 0) return null;
    out[n++] = high * 16 + low;
    i += 2;
  }
  return out.subarray(0, n);
}

/** body-parser's verify hook: a UTF-8 form whose %-escapes decode to UTF-8, or a 400. */
export function verifyFormEncoding(
  _req: IncomingMessage,
  _res: ServerResponse,
  body: Buffer,
  encoding: string,
): void {
  // iso-8859-1 (the only other charset the parser takes): every byte is a character.
  if (encoding !== 'utf-8') return;
  const decoded = isUtf8(body) ? percentDecoded(body) : null;
  if (decoded === null || !isUtf8(decoded))
    throw new AppError('bad_request', 'The form is not valid UTF-8 (or has a malformed %-escape).');
}

/** One CSV file in field `field`, held in memory, at most UPLOAD_LIMIT bytes. */
export function csvUpload(limits: Limits, field = 'file'): RequestHandler {
  // multer 2 takes the charsets; its type definitions do not list them yet.
  const options: multer.Options & { defCharset: string; defParamCharset: string } = {
    storage: multer.memoryStorage(),
    // Text parts and names as their bytes (latin1 is one character per byte), so
    // utf8Multipart can hold them to the urlencoded form's rule: busboy's UTF-8 decoder
    // put U+FFFD for a bad byte, and names and file names were read as latin1 (mojibake).
    defCharset: 'latin1',
    defParamCharset: 'latin1',
    limits: {
      fileSize: limits.UPLOAD_LIMIT,
      files: 1,
      fields: 20,
      fieldSize: limits.FORM_BODY_LIMIT,
      parts: 25,
    },
  };
  const upload = multer(options).single(field);
  // A body with no boundary, the wrong one, cut short or garbage: multer passes the
  // parser's error on without a status; it is the client's, so it becomes a 400.
  return (req, res, next) => {
    if (isMultipartType(req.get('content-type')) && !/boundary=/i.test(req.get('content-type') ?? ''))
      return next(malformedUpload());
    upload(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) return next(uploadError(err) ?? malformedUpload());
      try {
        req.body = utf8Multipart(req.body);
        if (req.file) req.file.originalname = fileName(req.file.originalname);
      } catch (refused) {
        return next(refused);
      }
      next();
    });
  };
}

// eslint-disable-next-line no-control-regex -- a range of all one-byte characters
const WIDE = /[^\u0000-\u00FF]/;
/** A character wider than a byte: the text is not bytes read as latin1. */
export const hasWideCharacter = (text: string): boolean => WIDE.test(text);

/**
 * A text part's name or value, read as bytes (defCharset above), as UTF-8; a 400 when it is
 * not. A part that declared its own charset was decoded with it by busboy (its text may be
 * wider than a byte): it is kept, unless that decoder had to put U+FFFD for a bad byte.
 */
export function utf8Part(text: string): string {
  const wide = hasWideCharacter(text);
  const bytes = wide ? undefined : Buffer.from(text, 'latin1');
  if (wide ? text.includes('\uFFFD') : !isUtf8(bytes!))
    throw new AppError('bad_request', 'The form is not valid UTF-8.');
  return bytes ? bytes.toString('utf8') : text;
}

/** Multer's fields (append-field nests `a[b]`) with every name and value made UTF-8. */
export function utf8Multipart(body: unknown): unknown {
  if (typeof body === 'string') return utf8Part(body);
  if (Array.isArray(body)) return body.map(utf8Multipart);
  if (!body || typeof body !== 'object') return body;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(body)) out[utf8Part(name)] = utf8Multipart(value);
  return out;
}

/** The browser's name for the file: its bytes as UTF-8 when they are (not typed text: never refused). */
function fileName(name: string): string {
  if (hasWideCharacter(name)) return name;
  const bytes = Buffer.from(name, 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : name;
}

const isMultipartType = (type: string | undefined) => /^multipart\/form-data/i.test(type ?? '');

const malformedUpload = () =>
  new AppError('bad_request', 'The upload could not be read.', { file: 'upload.invalid' });

/** Multer's limit errors carry no HTTP status: map them for the error middleware. */
export function uploadError(err: unknown): AppError | undefined {
  const e = err as { name?: string; code?: string } | undefined;
  if (e?.name !== 'MulterError') return undefined;
  if (e.code === 'LIMIT_FILE_SIZE' || e.code === 'LIMIT_FIELD_VALUE' || e.code === 'LIMIT_PART_COUNT')
    return new AppError('payload_too_large', 'The file is too large.');
  return new AppError('validation_failed', 'The upload could not be read.', { file: 'upload.invalid' });
}
