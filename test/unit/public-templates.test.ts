// Every interface string of the public page comes from the i18n catalogues:
// no literal text in the public templates, and every key they (and the public
// presenters) use exists in Kazakh, Russian and English, with the plural forms
// each language needs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, LANGUAGE_REGISTRY, isMessageKey, messageSource, t } from '../../src/i18n/index.ts';
import { catalogues } from '../../src/i18n/catalogues/index.ts';
import { checkCatalogues } from '../../src/i18n/check.ts';
import { viewsDir } from '../../src/views.ts';

const TEMPLATES = [
  'layouts/main.hbs',
  'error.hbs',
  'partials/route-diagram.hbs',
  ...fs.readdirSync(path.join(viewsDir, 'public')).map((f) => `public/${f}`),
];
const PRESENTERS = [
  'status-page.ts',
  'public-data.ts',
  'public-format.ts',
  'route-diagram.ts',
  'arrivals-chart.ts',
];
const read = (file: string) => fs.readFileSync(file, 'utf8');

describe('public templates', () => {
  it.each(TEMPLATES)('%s has no untranslated literal text', (name) => {
    const source = read(path.join(viewsDir, name))
      .replace(/<style>[\s\S]*?<\/style>/g, '')
      .replace(/\{\{!--[\s\S]*?--\}\}/g, '')
      .replace(/\{\{\{?[\s\S]*?\}?\}\}/g, '');
    const texts = source.replace(/<[^>]*>/g, '\n').split('\n');
    const attributes = [...source.matchAll(/\b(title|alt|aria-label|placeholder)="([^"]*)"/g)].map(
      (m) => m[2]!,
    );
    for (const piece of [...texts, ...attributes]) {
      // Punctuation and symbols (→ · — :) may stand between translated parts; words may not.
      expect(piece.trim(), `literal text in ${name}`).not.toMatch(/\p{L}/u);
    }
  });

  it('uses only keys that exist in all three languages', () => {
    const used = new Set<string>();
    for (const name of TEMPLATES)
      for (const m of read(path.join(viewsDir, name)).matchAll(/\{\{t "([^"]+)"/g)) used.add(m[1]!);
    for (const file of PRESENTERS) {
      const src = read(path.resolve('src/presenters', file));
      for (const m of src.matchAll(/\bt\(\s*lang,\s*'([^'`]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(40);
    for (const key of used) {
      expect(isMessageKey(key), key).toBe(true);
      for (const lang of LANGUAGES)
        if (isMessageKey(key)) expect(messageSource(lang, key), `${lang}: ${key}`).toBeDefined();
    }
  });

  it('has every key of the public catalogue in Russian and Kazakh, with their plural forms', () => {
    const problems = checkCatalogues({ languages: LANGUAGE_REGISTRY, source: 'en', catalogues }).filter(
      (p) => p.key in catalogues.en.public,
    );
    expect(problems).toEqual([]);
  });

  it('picks Russian and Kazakh plural forms through Intl.PluralRules', () => {
    expect(t('ru', 'route.stale', { count: 1 })).toBe('Не обновлялось более 1 часа');
    expect(t('ru', 'route.stale', { count: 3 })).toBe('Не обновлялось более 3 часов');
    expect(t('ru', 'headline.more_departures', { count: 2 })).toBe('и ещё 2 выезда');
    expect(t('ru', 'headline.more_departures', { count: 5 })).toBe('и ещё 5 выездов');
    expect(t('ru', 'headline.more_departures', { count: 21 })).toBe('и ещё 21 выезд');
    expect(t('en', 'headline.more_departures', { count: 1 })).toBe('and 1 more departure');
    expect(t('kk', 'route.stale', { count: 12 })).toBe('12 сағаттан астам жаңартылмаған');
    expect(t('ru', 'figure.fewer_than', { count: 5 })).toBe('менее 5');
    expect(t('kk', 'groups.progress', { arrived: 1200, total: 1500 })).toBe(
      '1\u00a0500 адамның 1\u00a0200 елде',
    );
  });
});
