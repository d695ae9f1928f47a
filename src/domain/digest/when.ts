// Which days a digest may be sent for. The scheduler sends day D at its send
// time (20:00 local by default) on D; the CLI must never get ahead of it: a
// digest of a day whose send time has not come would describe a day not yet
// over, and its claimed run would stop the real one from ever being sent.
import { dueDay, localDay } from './day.ts';

export type DayState = 'due' | 'not_yet_due' | 'future';

export function digestDayState(
  day: string,
  now: Date,
  operation: { digestTime: string; timeZone: string },
): DayState {
  if (day > localDay(now, operation.timeZone)) return 'future';
  return day > dueDay(now, operation.digestTime, operation.timeZone) ? 'not_yet_due' : 'due';
}
