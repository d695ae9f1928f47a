// The catalogue check (CI runs it here), the ICU message format, typed keys and
// the plural forms of the messages that count things.
import { describe, expect, it } from 'vitest';
import { checkRepository } from '../../scripts/check-i18n.ts';
import { checkCatalogues, formatProblems } from '../../src/i18n/check.ts';
import { t } from '../../src/i18n/index.ts';
import { type Formatter, formatParts, parseMessage, printMessage } from '../../src/i18n/message-format.ts';

describe('the catalogues', () => {
  it('pass the catalogue check: nothing missing, unused, mismatched or without its plural forms', () => {
    const problems = checkRepository();
    expect(formatProblems(problems)).toBe('');
  });

  it('refuse an unknown key at typecheck time', () => {
    // @ts-expect-error: not a key of the catalogues
    expect(t('en', 'no.such.key')).toBe('no.such.key');
    const stage = 'departed' as 'departed' | 'arrived';
    expect(t('en', `stage.${stage}`)).toBe('Departed');
  });

  it('count legs, errors and rows with real plural forms', () => {
    expect(t('en', 'ws.routes.legs', { count: 1 })).toBe('1 leg');
    expect(t('en', 'ws.routes.legs', { count: 3 })).toBe('3 legs');
    expect(t('ru', 'ws.routes.legs', { count: 1 })).toBe('1 участок');
    expect(t('ru', 'ws.routes.legs', { count: 3 })).toBe('3 участка');
    expect(t('ru', 'ws.routes.legs', { count: 5 })).toBe('5 участков');
    expect(t('ru', 'ws.routes.legs', { count: 21 })).toBe('21 участок');
    expect(t('ru', 'ws.csv.rejected', { count: 2 })).toBe('Файл отклонён, ничего не записано: 2 ошибки.');
    expect(t('en', 'ws.csv.summary', { rows: 1, changed: 0, unchanged: 1 })).toBe(
      '1 row: 0 would change, 1 unchanged.',
    );
    expect(t('ru', 'csv.too_many_rows', { max: 5000 })).toBe('Не более 5\u00a0000 строк в файле.');
    expect(t('en', 'ws.attention.over_capacity', { movement: 'M', route: 'R', people: 1, seats: 1 })).toBe(
      'M (R): 1 person for 1 seat',
    );
  });

  it('name a departed movement by the word for "departed", never "on the way" (the source says it left, not where it is)', () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const status = t(lang, 'movement.status.departed');
      // The same word as "departed {time}" on the movement's row and as the headline's stage.
      expect(t(lang, 'movement.departed_at', { time: '' }).startsWith(status)).toBe(true);
      expect(t(lang, 'stage.departed').toLowerCase().startsWith(status.toLowerCase().slice(0, 5))).toBe(true);
      // Not the words of the "on the way" bucket or of a route under way.
      expect(status.toLowerCase()).not.toBe(t(lang, 'digest.on_the_way').toLowerCase());
      expect(status.toLowerCase()).not.toBe(t(lang, 'route.state.moving').toLowerCase());
    }
  });

  it('start every Kazakh sentence with a capital letter', () => {
    expect(t('kk', 'privacy.note', { count: 5 })).toContain('. Саны 5 адамға');
  });
});

const f = (locale: string): Formatter => ({
  number: (n) => new Intl.NumberFormat(locale).format(n),
  plural: (n, ordinal) => new Intl.PluralRules(locale, { type: ordinal ? 'ordinal' : 'cardinal' }).select(n),
});
const format = (source: string, params: Record<string, string | number>, locale = 'en') =>
  formatParts(parseMessage(source), params, f(locale));

describe('ICU MessageFormat', () => {
  it('fills arguments and formats numbers for the locale', () => {
    expect(format('{a} of {b}', { a: 1200, b: 'x' }, 'ru')).toBe('1\u00a0200 of x');
    expect(format('{a, number}!', { a: 3 })).toBe('3!');
    expect(format('left {a}', {})).toBe('left {a}');
  });

  it('chooses plural branches by Intl.PluralRules, with exact matches and #', () => {
    const msg = '{n, plural, =0 {none} one {# час} few {# часа} many {# часов} other {# часа}}';
    expect([0, 1, 2, 5, 11, 21, 1.5].map((n) => format(msg, { n }, 'ru'))).toEqual([
      'none',
      '1 час',
      '2 часа',
      '5 часов',
      '11 часов',
      '21 час',
      '1,5 часа',
    ]);
    expect(format('{n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}}', { n: 22 })).toBe('22nd');
    expect(format('{n, plural, offset:1 one {you and # other} other {you and # others}}', { n: 3 })).toBe(
      'you and 2 others',
    );
  });

  it('selects, and nests', () => {
    const msg = '{mode, select, bus {{n, plural, one {# bus} other {# buses}}} other {# is literal here}}';
    expect(format(msg, { mode: 'bus', n: 2 })).toBe('2 buses');
    expect(format(msg, { mode: 'ferry', n: 2 })).toBe('# is literal here');
  });

  it('reads apostrophes as ICU does', () => {
    expect(format("don't {x}", { x: 1 })).toBe("don't 1");
    expect(format("It''s '{literal}' {x}", { x: 1 })).toBe("It's {literal} 1");
    expect(format("{n, plural, other {'#' is # }}", { n: 4 })).toBe('# is 4 ');
  });

  it('refuses malformed messages', () => {
    for (const bad of [
      '{',
      '}',
      '{n, plural, one {x}}',
      '{n, plural, other {x}',
      '{1a}',
      '{n, date}',
      '{n, plural, other {a} other {b}}',
    ])
      expect(() => parseMessage(bad), bad).toThrow();
  });

  it('prints parts back to the same message', () => {
    for (const source of [
      "It''s '{x}' {n, plural, one {# '#'} other {#}} {k, select, a {A} other {B}}",
      '{n, plural, offset:1 =0 {none} other {#}}',
    ]) {
      const parts = parseMessage(source);
      expect(parseMessage(printMessage(parts))).toEqual(parts);
    }
  });
});

describe('the catalogue check', () => {
  const languages = [
    { code: 'en', locale: 'en' },
    { code: 'ru', locale: 'ru' },
  ];
  const run = (ru: Record<string, Record<string, string>>) =>
    checkCatalogues({
      languages,
      source: 'en',
      catalogues: {
        en: { a: { plural: '{n, plural, one {# x} other {# xs}}', named: 'Hello {name}', plain: 'Plain' } },
        ru,
      },
    }).map((p) => `${p.kind} ${p.key}`);

  it('reports missing and extra keys, duplicates across areas, and syntax errors', () => {
    expect(
      run({ a: { plural: '{n, plural, one {#} few {#} many {#} other {#}}', named: '{name}' } }),
    ).toEqual(['missing plain']);
    expect(
      run({
        a: {
          plural: '{n, plural, one {#} few {#} many {#} other {#}}',
          named: '{name}',
          plain: 'x',
          more: 'y',
        },
      }),
    ).toEqual(['extra more']);
    expect(
      run({
        a: { plural: '{n, plural, one {#} few {#} many {#} other {#}}', named: '{name}' },
        b: { plain: '{' },
      }),
    ).toEqual(['syntax plain']);
    expect(
      run({
        a: { plural: '{n, plural, one {#} few {#} many {#} other {#}}', named: '{name}', plain: 'x' },
        b: { plain: 'y' },
      }),
    ).toEqual(['duplicate plain']);
  });

  it('reports placeholders that differ from the source and missing plural categories', () => {
    expect(run({ a: { plural: '{n, plural, one {#} other {#}}', named: '{nom}', plain: '' } })).toEqual([
      'plural_categories plural',
      'placeholders named',
      'empty plain',
    ]);
  });
});
