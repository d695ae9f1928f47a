// Typed errors with stable codes. One middleware renders them; tests assert
// the code and status, never the wording.
export type ErrorCode =
  | 'bad_request'
  | 'invalid_as_of'
  | 'as_of_in_future'
  | 'as_of_before_operation'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'rate_limited'
  | 'payload_too_large'
  | 'request_timeout'
  | 'db_unavailable'
  | 'disk_full'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  // GET /api/v1/status?asOf= (docs/public-api.md): not a date or time; no such state (yet).
  invalid_as_of: 400,
  as_of_in_future: 404,
  as_of_before_operation: 404,
  unsupported_media_type: 415,
  validation_failed: 422,
  not_found: 404,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  rate_limited: 429,
  payload_too_large: 413,
  request_timeout: 408,
  db_unavailable: 503,
  disk_full: 503,
  internal: 500,
};

/** Field name → message key; messages are looked up in the user's language. */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldErrors = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

export const validationError = (fields: FieldErrors, message = 'The input is not valid.') =>
  new AppError('validation_failed', message, fields);
export const notFound = (what: string) => new AppError('not_found', `${what} not found.`);
export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new AppError('conflict', message, {}, details);
