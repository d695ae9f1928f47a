// What a public build works out thousands of times is remembered (src/memo.ts `memoised`):
// a day's bounds in a zone (calendar.ts), a language's mark (localized-part.ts), and the
// formatters themselves (format.ts dateFormat, found by nested maps). Remembering must never
// change an answer: each is checked against the direct computation on any input
// (fast-check), and the memory stays bounded whatever the inputs.
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayBounds } from '../../src/domain/calendar.ts';
import { LANGUAGES, localeOf, t } from '../../src/i18n/index.ts';
import { memoised } from '../../src/memo.ts';
import { DATE_TIME_OPTIONS, dateFormat, formatDateTime } from '../../src/presenters/format.ts';
import { languageMark } from '../../src/presenters/localized-part.ts';

const ZONES = ['Asia/Almaty', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Asia/Tehran', 'UTC'];
const day = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const instant = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2040-01-01T00:00:00Z'),
  noInvalidDate: true,
});

describe('remembered formatting and calendar answers', () => {
  it("gives a day's bounds as TZDate works them out, twice in a row, in any zone", () => {
    fc.assert(
      fc.property(day, fc.constantFrom(...ZONES), (d, zone) => {
        const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
        const start = new TZDate(y, m - 1, dd, 0, 0, 0, zone);
        const expected = { start: start.getTime(), end: addDays(start, 1).getTime() };
        for (let i = 0; i < 2; i++) {
          const b = dayBounds(d, zone);
          expect({ start: b.start.getTime(), end: b.end.getTime() }).toEqual(expected);
        }
      }),
    );
  });

  it('hands out new Date objects: a caller changing one does not change the next answer', () => {
    const first = dayBounds('2026-03-03', 'Asia/Almaty');
    first.start.setTime(0);
    first.end.setTime(0);
    expect(dayBounds('2026-03-03', 'Asia/Almaty').start.toISOString()).toBe('2026-03-02T19:00:00.000Z');
  });

  it('still refuses what is not a day', () => {
    expect(() => dayBounds('2026-02-30', 'Asia/Almaty')).toThrow(RangeError);
    expect(() => dayBounds('2026-02-30', 'Asia/Almaty')).toThrow(RangeError);
  });

  it('formats an instant as ICU does, in every language and zone', () => {
    fc.assert(
      fc.property(
        fc.array(instant, { minLength: 1, maxLength: 20 }),
        fc.constantFrom(...ZONES),
        (ats, zone) => {
          for (const lang of LANGUAGES) {
            const direct = new Intl.DateTimeFormat(localeOf(lang), { ...DATE_TIME_OPTIONS, timeZone: zone });
            for (const at of [...ats, ...ats]) expect(formatDateTime(lang, at, zone)).toBe(direct.format(at));
          }
        },
      ),
    );
  });

  it('makes the formatter of a name once per language and zone', () => {
    const opts = { day: 'numeric', month: 'long' } as const;
    expect(dateFormat('test', 'ru', 'UTC', opts)).toBe(dateFormat('test', 'ru', 'UTC', opts));
    expect(dateFormat('test', 'ru', 'UTC', opts)).not.toBe(dateFormat('test', 'kk', 'UTC', opts));
    expect(dateFormat('test', 'ru', 'UTC', opts)).not.toBe(dateFormat('test', 'ru', 'Asia/Almaty', opts));
  });

  it('marks text in another language as the message catalogue does, for any pair', () => {
    for (const lang of LANGUAGES)
      for (const of of ['en', 'ru', 'kk', 'fa', 'ar', 'tr'])
        for (let i = 0; i < 2; i++)
          expect(languageMark(lang, of)).toBe(
            t(lang, 'content.in_language', {
              language: of,
              name: new Intl.DisplayNames([localeOf(lang)], { type: 'language' }).of(of) ?? of,
            }),
          );
  });

  it('memoised: computes a key once (null too), and empties itself when full', () => {
    let calls = 0;
    const square = memoised(3, (k) => {
      calls++;
      return Number(k) ** 2;
    });
    expect([square('2'), square('2'), square('3')]).toEqual([4, 4, 9]);
    expect(calls).toBe(2);
    square('4');
    square('5'); // full at three: emptied, then 5 kept
    square('2');
    expect(calls).toBe(5);
    const nothing = memoised(10, () => {
      calls++;
      return null;
    });
    nothing('x');
    nothing('x');
    expect(calls).toBe(6);
  });
});
