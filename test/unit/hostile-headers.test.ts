// Request headers a client can fill with anything, read by pure functions: the one cookie
// reader, Accept-Language negotiation and the HTTP-date of a conditional request. Each is
// a property: never throws, and garbage beside a well-formed value gives the well-formed
// value's answer (a malformed q-value outranked every real language; Date.parse took
// "3000" as a date, so a garbage If-Modified-Since was a 304).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { negotiateLang } from '../../src/i18n/index.ts';
import { httpDate } from '../../src/public/http.ts';
import { readCookies } from '../../src/routes/cookies.ts';
import { chooseLanguage } from '../../src/routes/middleware.ts';
import { headerValue } from '../fuzz/arbitraries.ts';
import { propertyRuns } from '../support/runs.ts';

const RUNS = propertyRuns(300);
const lang = fc.constantFrom('kk', 'ru', 'en');

describe('a hostile Cookie header', () => {
  it('never throws, and a lang cookie among garbage is read as it is alone (property)', () => {
    // Garbage pairs: any header text without ";" (which separates pairs) named anything but lang.
    const garbage = headerValue
      .map((v) => v.replace(/;/g, ''))
      .filter((v) => !/^\s*lang\s*=/.test(v) && !v.includes('lang='));
    fc.assert(
      fc.property(fc.array(garbage, { maxLength: 6 }), lang, fc.nat(), (pieces, chosen, at) => {
        expect(() => readCookies(pieces.join('; '))).not.toThrow();
        const list = [...pieces];
        list.splice(at % (list.length + 1), 0, `lang=${chosen}`);
        const header = list.join('; ');
        fc.pre(header.length <= 16_384); // a longer header is ignored whole (cookies.ts)
        expect(readCookies(header).lang, header).toBe(chosen);
        expect(chooseLanguage(undefined, header, undefined).lang).toBe(chosen);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('a hostile Accept-Language header', () => {
  const q = fc
    .integer({ min: 1, max: 1000 })
    .map((n) => (n === 1000 ? '1' : `0.${String(n).padStart(3, '0')}`));
  const wellFormed = fc.array(
    fc.tuple(fc.constantFrom('kk', 'ru', 'en', 'de', 'en-GB', 'ru-KZ', 'zh-Hant-TW', '*'), q),
    { minLength: 1, maxLength: 5 },
  );
  // Entries a browser never sends: a weight out of range or not a number, or no tag at all.
  const badWeight = fc.constantFrom('2', '1e309', '0x1', '1.5', '-1', 'NaN', 'abc', '', '1.0001', ' 1');
  const malformed = fc.oneof(
    fc.tuple(lang, badWeight).map(([t, w]) => `${t};q=${w}`),
    fc.constantFrom(';q=1', '', ' ', ';', '=', 'q=1', 'ru<script>', '"ru"'),
  );

  it('ranks the well-formed entries alone, whatever malformed ones are mixed in (property)', () => {
    fc.assert(
      fc.property(wellFormed, fc.array(malformed, { maxLength: 6 }), fc.nat(), (good, bad, seed) => {
        const entries = good.map(([t, w]) => `${t};q=${w}`);
        const expected = negotiateLang(entries.join(', '));
        const mixed = [...entries];
        for (const [i, b] of bad.entries()) mixed.splice((seed + i * 7) % (mixed.length + 1), 0, b);
        expect(negotiateLang(mixed.join(', ')), mixed.join(', ')).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers a huge header (thousands of entries) as its well-formed part, quickly', () => {
    const huge = `${Array.from({ length: 3000 }, (_, i) => `x${i};q=2`).join(',')},kk;q=0.1`;
    const started = performance.now();
    expect(negotiateLang(huge)).toBe('kk');
    expect(negotiateLang(huge.replace(/;q=2/g, ';q=1e309'))).toBe('kk');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('the HTTP-date of If-Modified-Since', () => {
  it('is read in each of its three forms, as GMT', () => {
    const at = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(httpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(at);
    expect(httpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(at);
    expect(httpDate('Sun Nov  6 08:49:37 1994')).toBe(at);
    expect(httpDate('Thu, 05 Mar 2026 08:00:00 GMT')).toBe(Date.parse('2026-03-05T08:00:00Z'));
  });

  it('is no date when it is anything else (property: what Date.parse would take too)', () => {
    const loose = fc.oneof(
      fc.constantFrom('3000', '9999', '1e3', '0', 'Tue 5 3000', '2026-03-05', '2026-03-05T08:00:00Z'),
      fc.constantFrom(
        'Sun, 31 Feb 2026 08:00:00 GMT',
        'Sun, 06 Nov 1994 25:00:00 GMT',
        'Sun, 06 Foo 1994 08:49:37 GMT',
      ),
      fc.date({ noInvalidDate: true }).map((d) => d.toString()), // local-time form
      fc.date({ noInvalidDate: true }).map((d) => `${d.toUTCString()}, ${d.toUTCString()}`), // a list
      headerValue.filter((v) => !v.endsWith('GMT')),
    );
    fc.assert(
      fc.property(loose, (value) => {
        expect(httpDate(value), value).toBeNaN();
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips every date the app sends (property)', () => {
    const dates = fc.date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true });
    fc.assert(
      fc.property(dates, (d) => {
        const seconds = Math.floor(d.getTime() / 1000) * 1000;
        expect(httpDate(new Date(seconds).toUTCString())).toBe(seconds);
      }),
      { numRuns: RUNS },
    );
  });
});
