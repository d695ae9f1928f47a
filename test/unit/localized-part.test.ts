// The one helper for staff-written text: the reader's language, or the text in the
// language it exists in, marked; quotations with their original one click away.
import { describe, expect, it } from 'vitest';
import {
  languageMark,
  localizedPart,
  optionalPart,
  partText,
  quotePart,
} from '../../src/presenters/localized-part.ts';

describe('localizedPart', () => {
  it('gives the reader’s language when it is written', () => {
    expect(localizedPart({ en: 'Dubai', ru: 'Дубай' }, 'ru')).toEqual({ text: 'Дубай' });
  });

  it('falls back to the working language first, then the registry order, marked', () => {
    const text = { en: 'Flights', ru: 'Рейсы' };
    expect(localizedPart(text, 'kk', ['en'])).toEqual({ text: 'Flights', lang: 'en', mark: '(ағылшынша)' });
    expect(localizedPart(text, 'kk')).toEqual({ text: 'Рейсы', lang: 'ru', mark: '(орысша)' });
    expect(localizedPart({ kk: 'Рейстер', ru: ' ' }, 'ru')).toEqual({
      text: 'Рейстер',
      lang: 'kk',
      mark: '(на казахском)',
    });
  });

  it('has nothing to show for a text in no language', () => {
    expect(localizedPart({}, 'en')).toEqual({ text: '' });
    expect(optionalPart({ en: '  ' }, 'en')).toBeNull();
    expect(optionalPart(null, 'en')).toBeNull();
  });

  it('writes the mark after the text in plain-text outputs', () => {
    expect(partText(localizedPart({ en: 'Flights' }, 'ru'))).toBe('Flights (на английском)');
    expect(partText(localizedPart({ ru: 'Рейсы' }, 'ru'))).toBe('Рейсы');
  });

  it('names a language outside the registry by Intl', () => {
    expect(languageMark('en', 'ar')).toBe('(in Arabic)');
    expect(languageMark('ru', 'ar')).toBe('(язык: арабский)');
  });
});

describe('quotePart', () => {
  const quote = {
    lang: 'en',
    text: 'We are not taking sides.',
    translations: { ru: 'Мы не занимаем ничью сторону.' },
  };

  it('shows the words themselves to a reader of their language', () => {
    expect(quotePart(quote, 'en')).toEqual({ text: 'We are not taking sides.' });
  });

  it('shows the translation, with the original behind it, marked with its language', () => {
    expect(quotePart(quote, 'ru')).toEqual({
      text: 'Мы не занимаем ничью сторону.',
      original: { text: 'We are not taking sides.', lang: 'en', summary: 'Оригинал на английском' },
    });
  });

  it('shows the original, marked, where no translation is written yet', () => {
    expect(quotePart(quote, 'kk')).toEqual({
      text: 'We are not taking sides.',
      lang: 'en',
      mark: '(ағылшынша)',
    });
  });
});
