// parseForm and the f.* helpers: one value per field unless declared a list, no control
// character (but tab, CR, LF) in any name or value, dates in 2000–2100, http(s) links only;
// every refusal is validation_failed with a field key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasControlCharacter } from '../../src/domain/input-rules.ts';
import { AppError } from '../../src/errors.ts';
import { dateTimeProblem, f, parseForm, typed } from '../../src/routes/staff/forms.ts';
import { propertyRuns } from '../support/runs.ts';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation_failed');
    return (err as AppError).fields;
  }
  throw new Error('expected a refusal');
};

describe('parseForm', () => {
  const form = z.object({ name: f.text(), routes: f.list(5, 10) });

  it('takes single strings and a declared list', () => {
    expect(parseForm(form, { name: ' A ', routes: ['1', '2'] })).toEqual({ name: 'A', routes: ['1', '2'] });
    expect(parseForm(form, { name: 'A', routes: '3' })).toEqual({ name: 'A', routes: ['3'] });
    expect(parseForm(form, { name: 'A' })).toEqual({ name: 'A', routes: [] });
  });

  it('refuses a field sent twice, an object, a number, or a body that is not an object', () => {
    expect(refusal(() => parseForm(form, { name: ['a', 'b'] }))).toEqual({ name: 'field.repeated' });
    expect(refusal(() => parseForm(form, { name: { $ne: 1 } }))).toEqual({ name: 'field.invalid' });
    expect(refusal(() => parseForm(form, { name: 'a', other: ['x', 'y'] }))).toEqual({
      other: 'field.repeated',
    });
    expect(refusal(() => parseForm(form, { name: 1 }))).toEqual({ name: 'field.invalid' });
    expect(refusal(() => parseForm(form, ['a']))).toEqual({ form: 'field.invalid' });
    expect(refusal(() => parseForm(form, 'name=a'))).toEqual({ form: 'field.invalid' });
    expect(refusal(() => parseForm(form, { name: 'a', routes: ['1', { a: 1 }] }))).toHaveProperty('routes.1');
    expect(refusal(() => parseForm(form, { name: 'a', routes: ['1', '2', '3', '4', '5', '6'] }))).toEqual({
      routes: 'field.too_long',
    });
  });

  it('treats a missing body as an empty form', () => {
    expect(refusal(() => parseForm(form, undefined))).toEqual({ name: 'field.required' });
  });
});

describe('control characters', () => {
  const form = z.object({ name: f.text(), note: f.optionalText(), routes: f.list(5, 10) });
  // C0 controls but tab, LF and CR (U+0000 is the one PostgreSQL cannot store at all),
  // DEL, and the C1 controls (U+0093 is a Windows-1252 quote read as Latin-1).
  const control = fc
    .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
    .filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d)
    .map((c) => String.fromCharCode(c));
  const text = fc.string({ unit: 'grapheme', maxLength: 20 });
  /** Any text with a control character somewhere in it. */
  const withControl = fc.tuple(text, control, text).map(([a, c, b]) => `${a}${c}${b}`);
  /** …and one within a list value's 10 characters. */
  const shortWithControl = fc
    .tuple(fc.string({ maxLength: 4 }), control, fc.string({ maxLength: 4 }))
    .map(([a, c, b]) => `${a}${c}${b}`);

  it('refuses one anywhere in a value, a list value or a field name, whatever the schema (property)', () => {
    fc.assert(
      fc.property(withControl, fc.constantFrom('name', 'note', 'other'), (value, field) => {
        const body = { name: 'A', [field]: value };
        expect(refusal(() => parseForm(form, body))).toMatchObject({ [field]: 'field.control_character' });
      }),
      { numRuns: propertyRuns(300) },
    );
    fc.assert(
      fc.property(withControl, shortWithControl, (value, short) => {
        const fields = refusal(() => parseForm(form, { name: 'A', routes: ['1', short] }));
        expect(fields).toEqual({ routes: 'field.control_character' });
        expect(refusal(() => parseForm(form, { name: 'A', [`x${value}`]: 'v' }))).toEqual({
          form: 'field.control_character',
        });
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('refuses DEL and the C1 controls, and keeps the letters beside them', () => {
    for (const c of ['\u007f', '\u0080', '\u0085', '\u0093', '\u009f'])
      expect(
        refusal(() => parseForm(form, { name: `A${c}` })),
        c.charCodeAt(0).toString(16),
      ).toEqual({
        name: 'field.control_character',
      });
    // The first and last characters past the range, and Cyrillic, Kazakh and Arabic letters.
    for (const ok of ['~', '\u00a0', '¡', 'é', 'Ә', 'ғ', 'دبي'])
      expect(parseForm(form, { name: `A${ok}B` }).name).toBe(`A${ok}B`);
  });

  it('never refuses text without one for it, tab, CR and LF included (property)', () => {
    const plain = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((v) => !hasControlCharacter(v));
    fc.assert(
      fc.property(plain, fc.constantFrom('', '\t', '\r\n', '\n'), (value, space) => {
        const body = { name: `A${space}${value}`, note: `${value}${space}b`, routes: [`${space}1`] };
        expect(() => parseForm(form, body)).not.toThrow();
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('takes them out of the values put back on the refused form', () => {
    expect(typed({ name: 'a\u0000b\u001fc\u007f\u0085\u0093', note: 'x\ty\r\nz', _csrf: 't' })).toEqual({
      name: 'abc',
      note: 'x\ty\r\nz',
    });
  });
});

describe('dates and links', () => {
  const dates = z.object({ day: f.optionalDate(), at: f.optionalDateTime(), url: f.optionalUrl() });

  it('keeps dates in 2000–2100 and refuses the rest', () => {
    expect(parseForm(dates, { day: '2026-03-03', at: '2026-03-03T10:00', url: '' })).toEqual({
      day: '2026-03-03',
      at: '2026-03-03T10:00',
      url: null,
    });
    expect(refusal(() => parseForm(dates, { day: '0026-03-03' }))).toEqual({ day: 'field.date_window' });
    expect(refusal(() => parseForm(dates, { at: '0026-03-03T10:00' }))).toEqual({ at: 'field.date_window' });
    expect(refusal(() => parseForm(dates, { at: '2101-01-01T00:00' }))).toEqual({ at: 'field.date_window' });
    expect(refusal(() => parseForm(dates, { at: '2026-02-30T10:00' }))).toEqual({ at: 'field.datetime' });
    expect(dateTimeProblem('2026-03-03T24:00')).toBe('field.datetime');
    expect(dateTimeProblem('2026-03-03T23:59:59')).toBeUndefined();
    expect(dateTimeProblem('9999-12-31T00:00')).toBe('field.date_window');
  });

  it('takes only http(s) links', () => {
    expect(parseForm(dates, { url: 'https://gov.kz/x?a=1' }).url).toBe('https://gov.kz/x?a=1');
    for (const url of ['javascript:alert(1)', ' JAVASCRIPT:x', 'data:,x', 'ftp://a', '//a.kz', 'http://'])
      expect(refusal(() => parseForm(dates, { url }))).toEqual({ url: 'field.url' });
  });
});

describe('calendar days at the edges', () => {
  it('shifts within the calendar and refuses what has no YYYY-MM-DD form', async () => {
    const { parseLocalDateTime, shiftDay } = await import('../../src/domain/calendar.ts');
    const { formatDay } = await import('../../src/presenters/format.ts');
    expect(shiftDay('2100-12-31', 1)).toBe('2101-01-01');
    expect(() => shiftDay('9999-12-31', 1)).toThrow(RangeError);
    expect(parseLocalDateTime('0026-03-03T10:00', 'Asia/Almaty')).toBeNull();
    expect(parseLocalDateTime('2026-03-03T10:00', 'Asia/Almaty')).toEqual(new Date('2026-03-03T05:00:00Z'));
    expect(formatDay('en', 'not-a-day')).toBe('not-a-day');
    expect(formatDay('en', '2026-03-03')).toBe('3 March 2026');
  });
});
