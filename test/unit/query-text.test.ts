// The query-string rule (src/routes/query-text.ts queryProblem): %-escapes of two hex
// digits, decoding to UTF-8 without a control character; otherwise a named problem.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryProblem } from '../../src/routes/query-text.ts';
import { propertyRuns } from '../support/runs.ts';

// eslint-disable-next-line no-control-regex -- the point is to leave control characters out
const noControl = (s: string) => !/[\u0000-\u001F\u007F-\u009F]/.test(s);
const text = fc.string({ unit: 'grapheme', maxLength: 20 }).filter(noControl);

describe('a query string', () => {
  it('passes whenever a browser encoded it (property: any text without controls, as name and value)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 4 }), (pairs) => {
        const query = new URLSearchParams(pairs).toString();
        expect(queryProblem(`/staff/?${query}`)).toBeUndefined();
        const encoded = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
        expect(queryProblem(`/x?${encoded.join('&')}`)).toBeUndefined();
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('has a control character when one is escaped anywhere in it (property)', () => {
    const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }));
    fc.assert(
      fc.property(text, text, control, fc.boolean(), (before, after, c, inName) => {
        const piece = encodeURIComponent(`${before}${String.fromCharCode(c)}${after}`);
        const query = inName ? `${piece}=1` : `page=${piece}`;
        expect(queryProblem(`/staff/?${query}`), query).toBe('control_character');
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('is malformed when an escape is cut, not hex, or decodes to bytes that are not UTF-8', () => {
    for (const bad of [
      '%',
      'a%',
      '%4',
      '%zz',
      '%E0%A4%A',
      '%ff',
      '%c0%af',
      '%ED%A0%80',
      '%F4%90%80%80',
      '%C3',
    ])
      expect(queryProblem(`/x?q=${bad}`), bad).toBe('encoding');
    for (const good of ['', '?', 'q=%25', 'q=%C3%A9', 'q=a+b', 'q=%F0%9F%98%80', 'a[b]=1', 'q=%EF%BF%BD'])
      expect(queryProblem(`/x?${good}`), good).toBeUndefined();
    expect(queryProblem('/x')).toBeUndefined();
    // C1 controls are C2 80–C2 9F; Cyrillic's continuation bytes in that range are letters.
    for (const c1 of ['%C2%80', '%c2%85', '%C2%9F'])
      expect(queryProblem(`/x?q=${c1}`), c1).toBe('control_character');
    for (const letter of ['%D1%91', '%D2%9B', '%C2%A0', '%D0%81%C2%A9'])
      expect(queryProblem(`/x?q=${letter}`), letter).toBeUndefined();
    expect(queryProblem('/x%ff')).toBeUndefined(); // the path is the router's, not this rule's
  });
});
