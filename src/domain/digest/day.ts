// "The day" of a digest, reckoned in the operation's time zone (DST-safe via TZDate).
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns';
import { yearInWindow } from '../input-rules.ts';

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day YYYY-MM-DD in the years Corridor accepts (2000–2100, src/domain/input-rules.ts). */
export function isDay(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m || !yearInWindow(Number(m[1]))) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function parts(day: string): [number, number, number] {
  const m = DAY_RE.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  return [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(at: Date, timeZone: string): string {
  const z = new TZDate(at.getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`;
}

/** [start, end) of a local day as UTC instants. */
export function dayBounds(day: string, timeZone: string): { start: Date; end: Date } {
  const [y, m, d] = parts(day);
  const start = new TZDate(y, m, d, 0, 0, 0, timeZone);
  const end = addDays(start, 1);
  return { start: new Date(start.getTime()), end: new Date(end.getTime()) };
}

export function inDay(at: Date | null | undefined, day: string, timeZone: string): boolean {
  if (!at) return false;
  const { start, end } = dayBounds(day, timeZone);
  return at >= start && at < end;
}

export function shiftDay(day: string, days: number): string {
  const [y, m, d] = parts(day);
  const at = new Date(Date.UTC(y, m, d + days));
  // toISOString writes years past 9999 as "+010000-01-01": not a day. 9999-12-31 + 1 was
  // such a string, and every formatter downstream threw a RangeError on it.
  const year = at.getUTCFullYear();
  if (year < 1 || year > 9999)
    throw new RangeError(`day out of range: ${day} ${days >= 0 ? '+' : ''}${days}`);
  return at.toISOString().slice(0, 10);
}

/** The instant the digest of `day` is due: `digestTime` (HH:MM) local on that day. */
export function sendTime(day: string, digestTime: string, timeZone: string): Date {
  const [y, m, d] = parts(day);
  const [hh, mm] = digestTime.split(':').map(Number) as [number, number];
  return new Date(new TZDate(y, m, d, hh, mm, 0, timeZone).getTime());
}

/**
 * The latest day whose send time has passed. A process that was down at 20:00
 * sends that day's digest when it comes back (until the next day's is due);
 * older missed days are left to the CLI, so nobody gets two digests at once.
 */
export function dueDay(now: Date, digestTime: string, timeZone: string): string {
  const today = localDay(now, timeZone);
  return now >= sendTime(today, digestTime, timeZone) ? today : shiftDay(today, -1);
}
