// The attributive form of a date (src/presenters/format.ts): what a Kazakh date becomes before
// a noun or postposition ("2026 жылғы 4 наурыздағы жағдай бойынша"), and that Russian and
// English keep their bare forms there. Wording is the point here, so the strings are asserted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asOfLine } from '../../src/presenters/public-as-of.ts';
import {
  formatDateTime,
  formatDateTimeAttributive,
  formatDay,
  formatDayAttributive,
} from '../../src/presenters/format.ts';

const ALMATY = 'Asia/Almaty';

describe('the Kazakh attributive date', () => {
  it.each([
    ['2026-01-04', '2026 жылғы 4 қаңтардағы'],
    ['2026-02-04', '2026 жылғы 4 ақпандағы'],
    ['2026-03-04', '2026 жылғы 4 наурыздағы'],
    ['2026-04-04', '2026 жылғы 4 сәуірдегі'],
    ['2026-05-04', '2026 жылғы 4 мамырдағы'],
    ['2026-06-04', '2026 жылғы 4 маусымдағы'],
    ['2026-07-04', '2026 жылғы 4 шілдедегі'],
    ['2026-08-04', '2026 жылғы 4 тамыздағы'],
    ['2026-09-04', '2026 жылғы 4 қыркүйектегі'],
    ['2026-10-04', '2026 жылғы 4 қазандағы'],
    ['2026-11-04', '2026 жылғы 4 қарашадағы'],
    ['2026-12-04', '2026 жылғы 4 желтоқсандағы'],
  ])('%s → %s', (day, expected) => {
    expect(formatDayAttributive('kk', day)).toBe(expected);
  });

  it('gives the last and first day of a year their own year', () => {
    expect(formatDayAttributive('kk', '2026-12-31')).toBe('2026 жылғы 31 желтоқсандағы');
    expect(formatDayAttributive('kk', '2027-01-01')).toBe('2027 жылғы 1 қаңтардағы');
  });

  it('shows a string that is not a day as the bare form does, without throwing', () => {
    for (const bad of ['2026-02-30', 'soon', ''])
      expect(formatDayAttributive('kk', bad)).toBe(formatDay('kk', bad));
  });
});

describe('the Kazakh attributive date and time', () => {
  // 16:00 UTC is 21:00 in Almaty (UTC+5).
  const at = (iso: string) => new Date(iso);

  it('names the day, the zone and the time, the suffix on the time as it is read', () => {
    expect(formatDateTimeAttributive('kk', at('2026-03-04T16:00:00Z'), ALMATY)).toBe(
      '2026 жылғы 4 наурыз, GMT+5 уақытымен сағат 21:00-дегі',
    );
  });

  it.each([
    // minutes → their last spoken number → suffix
    ['00', 'дегі'], // нөл
    ['01', 'дегі'], // бір
    ['02', 'дегі'], // екі
    ['03', 'тегі'], // үш
    ['04', 'тегі'], // төрт
    ['05', 'тегі'], // бес
    ['06', 'дағы'], // алты
    ['07', 'дегі'], // жеті
    ['08', 'дегі'], // сегіз
    ['09', 'дағы'], // тоғыз
    ['10', 'дағы'], // он
    ['20', 'дағы'], // жиырма
    ['30', 'дағы'], // отыз
    ['40', 'тағы'], // қырық
    ['50', 'дегі'], // елу
    ['45', 'тегі'], // қырық бес
    ['59', 'дағы'], // елу тоғыз
  ])('minutes %s take -%s', (minutes, suffix) => {
    expect(formatDateTimeAttributive('kk', at(`2026-03-04T12:${minutes}:00Z`), ALMATY)).toBe(
      `2026 жылғы 4 наурыз, GMT+5 уақытымен сағат 17:${minutes}-${suffix}`,
    );
  });

  it('every month, in its nominative before the time', () => {
    const months = 'қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан';
    months.split(' ').forEach((name, i) => {
      const instant = new Date(Date.UTC(2026, i, 10, 4, 30));
      expect(formatDateTimeAttributive('kk', instant, ALMATY)).toBe(
        `2026 жылғы 10 ${name}, GMT+5 уақытымен сағат 09:30-дағы`,
      );
    });
  });

  it('takes the day and year of the zone across a year boundary', () => {
    // 31 December 19:30 UTC is already 1 January in Almaty.
    const instant = at('2026-12-31T19:30:00Z');
    expect(formatDateTimeAttributive('kk', instant, ALMATY)).toBe(
      '2027 жылғы 1 қаңтар, GMT+5 уақытымен сағат 00:30-дағы',
    );
    expect(formatDateTimeAttributive('kk', instant, 'UTC')).toBe(
      '2026 жылғы 31 желтоқсан, UTC уақытымен сағат 19:30-дағы',
    );
  });

  it('is made for any instant and zone, ending in one of the four suffixes', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2060-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(ALMATY, 'Asia/Kathmandu', 'Europe/Berlin', 'UTC'),
        (instant, zone) => {
          expect(formatDateTimeAttributive('kk', instant, zone)).toMatch(
            /^\d{4} жылғы \d{1,2} [а-яәіңғүұқөһ]+, \S+ уақытымен сағат \d\d:\d\d-(дағы|дегі|тағы|тегі)$/,
          );
        },
      ),
    );
  });
});

describe('Russian and English', () => {
  it('keep the bare forms, which already read right before "на" and "as of"', () => {
    const instant = new Date('2026-03-04T16:00:00Z');
    for (const lang of ['ru', 'en'] as const) {
      expect(formatDayAttributive(lang, '2026-03-04')).toBe(formatDay(lang, '2026-03-04'));
      expect(formatDateTimeAttributive(lang, instant, ALMATY)).toBe(formatDateTime(lang, instant, ALMATY));
    }
  });
});

describe('the "as of" line', () => {
  const timed = { figuresAsOf: new Date('2026-03-04T16:00:00Z'), figuresAsOfTimeKnown: true };
  const dayOnly = { figuresAsOf: new Date('2026-03-03T19:00:00Z'), figuresAsOfTimeKnown: false };

  it('in Kazakh puts the attributive date before "жағдай бойынша", the missing time last', () => {
    expect(asOfLine('kk', ALMATY, timed).text).toBe(
      '2026 жылғы 4 наурыз, GMT+5 уақытымен сағат 21:00-дегі жағдай бойынша',
    );
    expect(asOfLine('kk', ALMATY, dayOnly).text).toBe(
      '2026 жылғы 4 наурыздағы жағдай бойынша (уақыты хабарланбаған)',
    );
    expect(asOfLine('kk', ALMATY, { ...dayOnly, final: true }).text).toBe(
      'Қорытынды деректер 2026 жылғы 4 наурыздағы жағдай бойынша (уақыты хабарланбаған)',
    );
    expect(
      asOfLine('kk', ALMATY, { figuresAsOf: null, figuresAsOfTimeKnown: false }, '2026-03-03').text,
    ).toBe('2026 жылғы 3 наурыздағы хабар бойынша');
  });

  it('in Russian and English reads as before', () => {
    expect(asOfLine('en', ALMATY, timed).text).toBe(
      `Figures as of ${formatDateTime('en', timed.figuresAsOf, ALMATY)}`,
    );
    expect(asOfLine('en', ALMATY, dayOnly).text).toBe('Figures as of 4 March 2026 (time not reported)');
    expect(asOfLine('ru', ALMATY, { ...dayOnly, final: true }).text).toBe(
      `Итоговые данные на ${formatDay('ru', '2026-03-04')} (время не сообщалось)`,
    );
  });
});
