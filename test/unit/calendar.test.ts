// The one calendar: days and wall-clock times in an operation's zone.
import { describe, expect, it } from 'vitest';
import {
  dayBounds,
  daysBetween,
  endOfDay,
  inDay,
  isDay,
  localDateTime,
  localDay,
  parseLocalDateTime,
  shiftDay,
  wallClockOn,
} from '../../src/domain/calendar.ts';

const ALMATY = 'Asia/Almaty';

describe('calendar', () => {
  it('reckons Asia/Almaty days as UTC+5', () => {
    expect(dayBounds('2026-03-03', ALMATY).start.toISOString()).toBe('2026-03-02T19:00:00.000Z');
    expect(dayBounds('2026-03-03', ALMATY).end.toISOString()).toBe('2026-03-03T19:00:00.000Z');
    expect(endOfDay('2026-03-03', ALMATY).toISOString()).toBe('2026-03-03T18:59:59.999Z');
    expect(localDay(new Date('2026-03-03T18:59:59Z'), ALMATY)).toBe('2026-03-03');
    expect(localDay(new Date('2026-03-03T19:00:00Z'), ALMATY)).toBe('2026-03-04');
    expect(inDay(new Date('2026-03-03T18:30:00Z'), '2026-03-03', ALMATY)).toBe(true);
    expect(inDay(new Date('2026-03-03T19:30:00Z'), '2026-03-03', ALMATY)).toBe(false);
    expect(inDay(null, '2026-03-03', ALMATY)).toBe(false);
  });

  it('handles a day with a DST change (Europe/Berlin, 29 March 2026 has 23 hours)', () => {
    const { start, end } = dayBounds('2026-03-29', 'Europe/Berlin');
    expect(end.getTime() - start.getTime()).toBe(23 * 3_600_000);
    expect(wallClockOn('2026-03-29', '20:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T18:00:00.000Z',
    );
  });

  it('does day arithmetic and refuses days that do not exist', () => {
    expect(shiftDay('2026-02-28', 1)).toBe('2026-03-01');
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-03-02', '2026-03-04')).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-3-1')).toBe(false);
    expect(() => shiftDay('2026-02-30', 1)).toThrow(RangeError);
  });

  it('reads and writes wall-clock times in the zone', () => {
    const at = parseLocalDateTime('2026-03-03T12:53', ALMATY)!;
    expect(at.toISOString()).toBe('2026-03-03T07:53:00.000Z');
    expect(localDateTime(at, ALMATY)).toBe('2026-03-03T12:53');
    expect(parseLocalDateTime('2026-02-31T10:00', ALMATY)).toBeNull();
    expect(parseLocalDateTime('2026-03-03T25:00', ALMATY)).toBeNull();
    expect(parseLocalDateTime('2026-03-03', ALMATY)).toBeNull();
  });
});
