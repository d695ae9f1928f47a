// The public state as of a past moment (GET /api/v1/status?asOf=, docs/public-api.md).
//
// Privacy (docs/privacy.md, "As-of points"): a reader who can ask for any moment could
// subtract two states a minute apart and recover a small change. So the points that can
// be asked for are coarsened to the ends of whole local days that have ended — the same
// states the daily digests describe — and every such state goes through the same
// suppression and audit as the live page, chained day after day: each day's state is
// audited jointly with every day end before it (any two as-of points: docs/privacy.md) and
// against the memory of every exact value printed at an earlier day's end. A day whose audit fails
// shows the last day that passed.
//
// Built from the history by as-of and event times (as-of.ts), never by write time: the
// history is read once per change (src/public/as-of.ts caches it) and replayed in memory
// (public-as-of-history.ts); the days are audited in order by `DayChain` (day-chain.ts).
import { AppError } from '../errors.ts';
import { type Day, endOfDay, isDay, localDay, shiftDay } from './calendar.ts';
import type { PublicProjection } from './privacy.ts';
import type { OperationHistory } from './public-as-of-history.ts';

export { DayChain, type DayLedger } from './day-chain.ts';
export { type OperationHistory, loadOperationHistories } from './public-as-of-history.ts';

/** What ?asOf= asked for: a local day, or an instant (with its offset). */
export type AsOfRequest = { kind: 'day'; day: Day } | { kind: 'instant'; at: Date };

const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** "2026-03-03", or an ISO 8601 time with its offset ("2026-03-03T12:53+05:00", "…Z"); null if neither. */
export function parseAsOf(raw: string): AsOfRequest | null {
  if (raw.length > 40) return null;
  if (isDay(raw)) return { kind: 'day', day: raw };
  const m = INSTANT.exec(raw);
  if (!m || !isDay(m[1]!)) return null;
  const at = new Date(raw);
  return Number.isNaN(at.getTime()) ? null : { kind: 'instant', at };
}

/** The latest local day whose end is at or before `at`: the point an instant is coarsened to. */
export function lastEndedDay(at: Date, timeZone: string): Day {
  const day = localDay(at, timeZone);
  return endOfDay(day, timeZone).getTime() <= at.getTime() ? day : shiftDay(day, -1);
}

/** What placing an as-of point needs of an operation (kept when its history is dropped). */
export type AsOfOperation = { operationId: number; timeZone: string; firstDay: Day | null };

export function asOfOperations(histories: readonly OperationHistory[]): AsOfOperation[] {
  return histories.map((h) => ({
    operationId: h.live.operation.id,
    timeZone: h.live.operation.timeZone,
    firstDay: h.firstDay,
  }));
}

/** Where each operation's as-of point falls, or why there is none. */
export function asOfDays(
  operations: readonly AsOfOperation[],
  request: AsOfRequest,
  now: Date,
): { operationId: number; day: Day }[] {
  const points: { operationId: number; day: Day }[] = [];
  let future = false;
  let earliest: Day | null = null;
  for (const o of operations) {
    const tz = o.timeZone;
    const day = request.kind === 'day' ? request.day : lastEndedDay(request.at, tz);
    if (day > lastEndedDay(now, tz)) {
      future = true;
      continue;
    }
    if (!o.firstDay) continue;
    if (!earliest || o.firstDay < earliest) earliest = o.firstDay;
    if (day < o.firstDay) continue;
    points.push({ operationId: o.operationId, day });
  }
  if (future)
    throw new AppError(
      'as_of_in_future',
      `No state as of that moment yet: the latest is the end of ${lastEndedDay(now, operations[0]!.timeZone)}; the live figures are /api/v1/status.`,
    );
  if (points.length === 0)
    throw new AppError(
      'as_of_before_operation',
      earliest
        ? `Nothing was known yet at that moment: the first day with figures is ${earliest}.`
        : 'Nothing has been published yet.',
    );
  return points;
}

/** Several operations' projections as one (each was projected at its own day's end). */
export function mergeProjections(parts: PublicProjection[], at: Date): PublicProjection {
  const last = parts.map((p) => p.lastUpdatedAt.getTime());
  return {
    operations: parts.flatMap((p) => p.operations),
    generatedAt: at,
    lastUpdatedAt: new Date(last.length ? Math.max(...last) : 0),
    validUntil: null,
    disclosure: {
      ok: parts.every((p) => p.disclosure.ok),
      releases: parts.flatMap((p) => p.disclosure.releases),
      operations: parts.flatMap((p) => p.disclosure.operations),
    },
  };
}
