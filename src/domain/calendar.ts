// The one calendar of the app: calendar days (YYYY-MM-DD) and wall-clock times
// in a time zone, and the instants they stand for. Days are reckoned in the
// operation's zone (Asia/Almaty, UTC+5, by default); instants are stored in UTC.
// Everything about days and zones goes through here (DST-safe via TZDate).
import { TZDate } from '@date-fns/tz';
// Its own module, not the package's index: that loads all ~300 of date-fns's modules.
import { addDays } from 'date-fns/addDays';
import { memoised } from '../memo.ts';

/** A calendar day, "2026-03-03". */
export type Day = string;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** True for a real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isDay(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function dayParts(day: Day): [number, number, number] {
  const m = DAY_RE.exec(day);
  if (!m || !isDay(day)) throw new RangeError(`not a calendar day: ${day}`);
  return [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
}

/** The calendar day of an instant in a time zone. */
export function localDay(at: Date, timeZone: string): Day {
  const z = new TZDate(at.getTime(), timeZone);
  return `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`;
}

/** The wall-clock reading of an instant in a time zone, "2026-03-03T14:30" (for datetime-local inputs). */
export function localDateTime(at: Date, timeZone: string): string {
  const z = new TZDate(at.getTime(), timeZone);
  return `${localDay(at, timeZone)}T${pad(z.getHours())}:${pad(z.getMinutes())}`;
}

// A day's bounds in a zone never change; working them out (TZDate asks ICU for the zone's
// offset several times) was a tenth of a 1,000-movement build's render. The keys are
// (zone, day): an operation's days, a few hundred at most.
const boundsOf = memoised(10_000, (key): readonly [number, number] => {
  const bar = key.indexOf('|');
  const [y, m, d] = dayParts(key.slice(bar + 1));
  const start = new TZDate(y, m, d, 0, 0, 0, key.slice(0, bar));
  return [start.getTime(), addDays(start, 1).getTime()];
});

/** [start, end) of a local day as UTC instants (new Date objects: the caller may change them). */
export function dayBounds(day: Day, timeZone: string): { start: Date; end: Date } {
  const [start, end] = boundsOf(`${timeZone}|${day}`);
  return { start: new Date(start), end: new Date(end) };
}

export const startOfDay = (day: Day, timeZone: string): Date => dayBounds(day, timeZone).start;

/** The last millisecond of a local day: "as of the end of D" includes everything on D. */
export function endOfDay(day: Day, timeZone: string): Date {
  return new Date(dayBounds(day, timeZone).end.getTime() - 1);
}

export function inDay(at: Date | null | undefined, day: Day, timeZone: string): boolean {
  if (!at) return false;
  const { start, end } = dayBounds(day, timeZone);
  return at >= start && at < end;
}

/** The day `days` after (or before, if negative) `day`: pure calendar arithmetic. */
export function shiftDay(day: Day, days: number): Day {
  const [y, m, d] = dayParts(day);
  const at = new Date(Date.UTC(y, m, d + days));
  // toISOString writes a year past 9999 as "+010000-01-01", which is not a day: 9999-12-31 + 1
  // became such a string and every formatter after it threw (issue 11). Refuse it here.
  const year = at.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new RangeError(`no calendar day ${days} days from ${day}`);
  return at.toISOString().slice(0, 10);
}

/** Every day from `first` to `last`, both included. */
export function daysBetween(first: Day, last: Day): Day[] {
  const out: Day[] = [];
  for (let d = first; d <= last; d = shiftDay(d, 1)) out.push(d);
  return out;
}

/** A local wall-clock time on a day ("20:00") as the instant. */
export function wallClockOn(day: Day, time: string, timeZone: string): Date {
  const [y, m, d] = dayParts(day);
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return new Date(new TZDate(y, m, d, hh, mm, 0, timeZone).getTime());
}

/**
 * "2026-03-03T14:30" (seconds optional) on a zone's wall clock → the instant;
 * null for anything that is not a real wall-clock time (2026-02-31, 25:00 would
 * otherwise roll over silently).
 */
export function parseLocalDateTime(value: string, timeZone: string): Date | null {
  const m = WALL_RE.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Date.UTC and TZDate read years 0–99 as 1900–1999: "0026-03-03" must not become 1926.
  if (y < 1000) return null;
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (
    check.getUTCDate() !== d ||
    check.getUTCHours() !== h ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCMinutes() !== mi ||
    check.getUTCSeconds() !== s
  )
    return null;
  return new Date(new TZDate(y, mo - 1, d, h, mi, s, timeZone).getTime());
}
