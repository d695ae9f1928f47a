// When the as-of service settles the day that just ended (docs/privacy.md, "Pairs
// audited"): a second after the next local midnight of any operation, or every 5 minutes
// if sooner, so live versions built without the day's end are those of a few seconds.
import { describe, expect, it } from 'vitest';
import { untilNextDayEnd } from '../../src/public/as-of.ts';

const EVERY = 5 * 60_000;

describe('settle time', () => {
  it('settles a second after the last millisecond of a local day when it comes within 5 minutes', () => {
    // 23:58:00 in Asia/Almaty (UTC+5): the day ends in 2 minutes.
    const now = Date.parse('2026-03-04T18:58:00Z');
    expect(untilNextDayEnd(now, ['Asia/Almaty'], EVERY)).toBe(2 * 60_000 + 999);
  });

  it('waits the usual 5 minutes otherwise, and takes the earliest midnight of several zones', () => {
    const now = Date.parse('2026-03-04T12:00:00Z');
    expect(untilNextDayEnd(now, ['Asia/Almaty'], EVERY)).toBe(EVERY);
    // 23:59:00 in Europe/Moscow (UTC+3) at 20:59 UTC; Almaty's midnight was hours ago.
    const later = Date.parse('2026-03-04T20:59:00Z');
    expect(untilNextDayEnd(later, ['Asia/Almaty', 'Europe/Moscow'], EVERY)).toBe(60_000 + 999);
  });

  it('never less than the grace second', () => {
    expect(untilNextDayEnd(Date.parse('2026-03-04T18:59:59.999Z'), ['Asia/Almaty'], EVERY)).toBe(1_000);
  });
});
