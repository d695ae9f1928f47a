// Request body limits. Forms are parsed once, app-wide, with a size limit, so
// no router can forget one; the CSV upload has its own (larger) limit. A body
// announced too large is refused with 413 before a byte of it is read.
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

/** urlencoded and JSON bodies, each bounded; a chunked body over the limit gets 413 too. */
export function formBodies(limits: Limits): RequestHandler[] {
  return [
    express.urlencoded({ extended: false, limit: limits.FORM_BODY_LIMIT, parameterLimit: 1000 }),
    express.json({ limit: limits.FORM_BODY_LIMIT }),
  ];
}

/** One CSV file in field `field`, held in memory, at most UPLOAD_LIMIT bytes. */
export function csvUpload(limits: Limits, field = 'file'): RequestHandler {
  return multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: limits.UPLOAD_LIMIT,
      files: 1,
      fields: 20,
      fieldSize: limits.FORM_BODY_LIMIT,
      parts: 25,
    },
  }).single(field);
}

/** Multer's limit errors carry no HTTP status: map them for the error middleware. */
export function uploadError(err: unknown): AppError | undefined {
  const e = err as { name?: string; code?: string } | undefined;
  if (e?.name !== 'MulterError') return undefined;
  if (e.code === 'LIMIT_FILE_SIZE' || e.code === 'LIMIT_FIELD_VALUE' || e.code === 'LIMIT_PART_COUNT')
    return new AppError('payload_too_large', 'The file is too large.');
  return new AppError('validation_failed', 'The upload could not be read.', { file: 'upload.invalid' });
}
