// Driver errors from PGlite and node-postgres, normalised to AppError. drizzle
// wraps the driver error, so the SQLSTATE may sit on the error or its cause.
import { AppError } from '../errors.ts';
import { diskFullError } from './disk.ts';

type DriverError = { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown };

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);

function findSqlState(err: unknown, depth = 0): DriverError | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as DriverError;
  if (typeof e.code === 'string') return e;
  return findSqlState(e.cause, depth + 1);
}

function isConnectionFailure(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as DriverError;
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const msg = typeof e.message === 'string' ? e.message : '';
  if (
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
      msg,
    )
  )
    return true;
  return isConnectionFailure(e.cause, depth + 1);
}

/** No space left: PostgreSQL's 53100 (disk_full), or the operating system's ENOSPC. */
export function isDiskFull(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as DriverError;
  if (e.code === '53100' || e.code === 'ENOSPC' || e.code === 'disk_full') return true;
  if (typeof e.message === 'string' && /No space left on device/i.test(e.message)) return true;
  return isDiskFull(e.cause, depth + 1);
}

/** The SQLSTATE of a database error, wherever drizzle put it. */
export function sqlState(err: unknown): string | undefined {
  const e = findSqlState(err);
  return typeof e?.code === 'string' ? e.code : undefined;
}

/** Map a database error to the AppError a user may see; never leaks SQL. */
export function normaliseDbError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (isConnectionFailure(err)) {
    return new AppError(
      'db_unavailable',
      'The database is not reachable. Nothing was saved; try again shortly.',
    );
  }
  if (isDiskFull(err)) return diskFullError();
  const e = findSqlState(err);
  const constraint = typeof e?.constraint === 'string' ? e.constraint : undefined;
  switch (e?.code) {
    case '23514': // check_violation
      return new AppError('validation_failed', 'The figures break a rule of the data.', {}, { constraint });
    case '23503': // foreign_key_violation
      return new AppError('validation_failed', 'A referenced record does not exist.', {}, { constraint });
    case '23505': // unique_violation
      return new AppError('conflict', 'A record with the same key already exists.', {}, { constraint });
    case '23502': // not_null_violation
      return new AppError('validation_failed', 'A required value is missing.', {}, { constraint });
    case '22P02': // invalid_text_representation
    case '22003': // numeric_value_out_of_range
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
      return new AppError('validation_failed', 'A value has the wrong form.');
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new AppError('conflict', 'Another change happened at the same time. Reload and try again.');
    default:
      return undefined;
  }
}
