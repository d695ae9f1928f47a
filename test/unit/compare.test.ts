// byCodeUnits replaced `localeCompare` (ICU's root collator) on machine text: ids such as
// `movement/12/departed`, ISO dates, language and country codes. These properties pin
// that it gives the same order there, so feeds, timelines and exports did not reorder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byCodeUnits } from '../../src/compare.ts';

const sign = (n: number) => Math.sign(n);
const from = (chars: string) => fc.string({ unit: fc.constantFrom(...chars), maxLength: 24 });

describe('byCodeUnits', () => {
  it('orders ids (lower-case letters, digits, "/", "-") as localeCompare did', () => {
    fc.assert(
      fc.property(from('abcmnrtvz0123456789/-'), from('abcmnrtvz0123456789/-'), (a, b) => {
        expect(sign(byCodeUnits(a, b))).toBe(sign(a.localeCompare(b)));
      }),
      { numRuns: 2000 },
    );
  });

  it('orders ISO dates and upper-case codes as localeCompare did', () => {
    const day = fc.date({ min: new Date('1990-01-01'), max: new Date('2099-12-31'), noInvalidDate: true });
    fc.assert(
      fc.property(day, day, (x, y) => {
        const [a, b] = [x.toISOString().slice(0, 10), y.toISOString().slice(0, 10)];
        expect(sign(byCodeUnits(a, b))).toBe(sign(a.localeCompare(b)));
        expect(sign(byCodeUnits(a, '9999'))).toBe(-1);
      }),
    );
    fc.assert(
      fc.property(from('ABKQRSTUZ'), from('ABKQRSTUZ'), (a, b) => {
        expect(sign(byCodeUnits(a, b))).toBe(sign(a.localeCompare(b)));
      }),
    );
  });

  it('is a total order: equal only for the same string, antisymmetric', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(byCodeUnits(a, b) === 0).toBe(a === b);
        expect(sign(byCodeUnits(a, b)) + sign(byCodeUnits(b, a))).toBe(0);
      }),
    );
  });
});
