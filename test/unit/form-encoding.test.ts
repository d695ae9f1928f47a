// The urlencoded body's encoding check (body-limits.ts verifyFormEncoding): its bytes, and
// each name and value once %-decoded, must be UTF-8; a "%" must start a two-digit escape.
// Anything else is bad_request (400) before the parser could store U+FFFD or "%ff%fe".
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { percentDecoded, utf8Multipart, utf8Part, verifyFormEncoding } from '../../src/routes/body-limits.ts';
import { propertyRuns } from '../support/runs.ts';

const verdict = (body: Buffer | string, encoding = 'utf-8'): string => {
  try {
    verifyFormEncoding(
      {} as IncomingMessage,
      {} as ServerResponse,
      Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
      encoding,
    );
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    return (err as AppError).code;
  }
};

describe('a urlencoded body', () => {
  it('passes when a browser encoded it (property: any text, any field names)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 5 }), (fields) => {
        const body = new URLSearchParams(fields).toString();
        expect(verdict(Buffer.from(body, 'utf8'))).toBe('ok');
        // Raw UTF-8 (not %-escaped) is valid too: some clients send it so.
        const raw = Buffer.from(Object.values(fields).join('&').replaceAll('%', ''), 'utf8');
        expect(verdict(raw)).toBe('ok');
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('is refused for bytes, raw or %-escaped, that are not UTF-8, and for a malformed escape', () => {
    expect(verdict('reason=bad\xff\xfe\xc0z')).toBe('bad_request');
    expect(verdict('reason=%ff%fe')).toBe('bad_request');
    expect(verdict('reason=%C3')).toBe('bad_request'); // a character cut short
    expect(verdict('a=%C3&b=%A9')).toBe('bad_request'); // …or cut by the separator
    expect(verdict('reason=%ED%A0%80')).toBe('bad_request'); // a surrogate half
    expect(verdict('reason=%zz')).toBe('bad_request');
    expect(verdict('reason=100%')).toBe('bad_request');
    expect(verdict('reason=%4')).toBe('bad_request');
    expect(verdict('reason=%C3%A9&x=%e2%82%ac+1')).toBe('ok');
    expect(verdict('')).toBe('ok');
  });

  it('is refused exactly when its %-decoded bytes are not UTF-8 (property: random bytes and escapes)', () => {
    const hex = (b: number) => `%${b.toString(16).padStart(2, '0')}`;
    const piece = fc.oneof(
      fc.integer({ min: 0, max: 255 }).map((b) => Buffer.from(hex(b))),
      fc.integer({ min: 0, max: 255 }).map((b) => Buffer.from([b === 0x25 ? 0x41 : b])),
      fc.constantFrom(Buffer.from('&'), Buffer.from('='), Buffer.from('+'), Buffer.from('é')),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const body = Buffer.concat(pieces);
        const valid = isUtf8(body) && isUtf8(percentDecoded(body)!);
        expect(verdict(body)).toBe(valid ? 'ok' : 'bad_request');
      }),
      { numRuns: propertyRuns(500) },
    );
  });

  it('in iso-8859-1 (the only other charset the parser takes) is not checked: every byte is a character', () => {
    expect(verdict('reason=caf\xe9', 'iso-8859-1')).toBe('ok');
  });
});

describe('a multipart text part (read as its bytes, one latin1 character each)', () => {
  const asBytes = (text: string) => Buffer.from(text).toString('latin1');
  const code = (f: () => unknown) => {
    try {
      f();
      return 'ok';
    } catch (err) {
      return (err as AppError).code;
    }
  };

  it('is its text when the bytes are UTF-8 (property: any text)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        expect(utf8Part(asBytes(text))).toBe(text);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('is bad_request when they are not, in a name or a value, however deep', () => {
    for (const bytes of ['\xff', 'a\xc3', '\xc0\xaf', '\xed\xa0\x80', '\xf4\x90\x80\x80'])
      expect(
        code(() => utf8Part(bytes)),
        JSON.stringify(bytes),
      ).toBe('bad_request');
    expect(code(() => utf8Multipart({ 'a\xff': 'x' }))).toBe('bad_request');
    expect(code(() => utf8Multipart({ a: { b: ['ok', '\xff'] } }))).toBe('bad_request');
    expect(utf8Multipart({ [asBytes('имя')]: [asBytes('ё'), { b: asBytes('қ') }] })).toEqual({
      имя: ['ё', { b: 'қ' }],
    });
  });

  it('a part its own charset decoded (wider than a byte) is kept, unless that left U+FFFD', () => {
    expect(utf8Part('Опечатка')).toBe('Опечатка');
    expect(code(() => utf8Part('Опе\uFFFDчатка'))).toBe('bad_request');
  });
});
