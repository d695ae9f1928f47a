// Request body limits. Forms are parsed once, app-wide, with a size limit, so
// no router can forget one; the CSV upload has its own (larger) limit. A body
// announced too large is refused with 413 before a byte of it is read. Only form
// bodies are accepted (urlencoded, and multipart where a route reads a file): a JSON,
// text/plain or any other body is refused with 415 before it is parsed, and a
// multipart body that cannot be read is a 400.
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
    express.urlencoded({ extended: false, limit: limits.FORM_BODY_LIMIT, parameterLimit: 1000 }),
  ];
}

/** One CSV file in field `field`, held in memory, at most UPLOAD_LIMIT bytes. */
export function csvUpload(limits: Limits, field = 'file'): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: limits.UPLOAD_LIMIT,
      files: 1,
      fields: 20,
      fieldSize: limits.FORM_BODY_LIMIT,
      parts: 25,
    },
  }).single(field);
  // A body with no boundary, the wrong one, cut short or garbage: multer passes the
  // parser's error on without a status; it is the client's, so it becomes a 400.
  return (req, res, next) => {
    if (isMultipartType(req.get('content-type')) && !/boundary=/i.test(req.get('content-type') ?? ''))
      return next(malformedUpload());
    upload(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      next(uploadError(err) ?? malformedUpload());
    });
  };
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
