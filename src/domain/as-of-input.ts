// The rule on an "as of" typed by staff (count editor, CSV import): when the
// figures were true. Not before the operation's start, at most a day ahead of now
// (a clock or zone slip, not a forecast). Blank means now.
import type { Db } from '../store/database.ts';
import { operationStartedAt } from '../store/repositories/as-of.ts';
import { localDay, startOfDay } from './calendar.ts';

const DAY_MS = 24 * 3_600_000;

/** The error code for `asOf`, or null when it may be stored. */
export async function asOfError(
  db: Db,
  input: { operationId: number; timeZone: string; asOf: Date; now: Date },
): Promise<string | null> {
  if (input.asOf.getTime() > input.now.getTime() + DAY_MS) return 'as_of.too_far_ahead';
  const started = (await operationStartedAt(db, input.operationId)) ?? input.now;
  const earliest = startOfDay(localDay(started, input.timeZone), input.timeZone);
  return input.asOf < earliest ? 'as_of.before_operation_start' : null;
}
