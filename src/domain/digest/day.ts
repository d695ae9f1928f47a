// The digest's own times: when a day's digest is due. Days themselves are the
// calendar module's (src/domain/calendar.ts).
import { type Day, dayBounds, localDay, shiftDay, wallClockOn } from '../calendar.ts';

export { dayBounds, endOfDay, inDay, isDay, localDay, shiftDay } from '../calendar.ts';

/** The instant the digest of `day` is due: `digestTime` (HH:MM) local on that day. */
export function sendTime(day: Day, digestTime: string, timeZone: string): Date {
  return wallClockOn(day, digestTime, timeZone);
}

/**
 * The latest day whose send time has passed. A process that was down at 20:00
 * sends that day's digest when it comes back (until the next day's is due);
 * older missed days are left to the CLI, so nobody gets two digests at once.
 */
export function dueDay(now: Date, digestTime: string, timeZone: string): Day {
  const today = localDay(now, timeZone);
  return now >= sendTime(today, digestTime, timeZone) ? today : shiftDay(today, -1);
}

/**
 * `inDay` for one day, its bounds computed once: the digest tests every movement's
 * times against the same day, and each time-zone conversion costs (a second of CPU
 * at 5,000 movements when done per call).
 */
export function inDayOf(day: Day, timeZone: string): (at: Date | null | undefined) => boolean {
  const { start, end } = dayBounds(day, timeZone);
  const s = start.getTime();
  const e = end.getTime();
  return (at) => !!at && at.getTime() >= s && at.getTime() < e;
}
