import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { LANGUAGE_REGISTRY, negotiateLang, t } from '../../src/i18n/index.ts';
import { catalogues } from '../../src/i18n/catalogues/index.ts';
import { checkCatalogues } from '../../src/i18n/check.ts';

describe('config', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe('./data');
  });
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PUBLIC_EXPORT_DIR: '' })).toThrow(/PUBLIC_EXPORT_DIR/);
  });
});

describe('i18n', () => {
  it('has every key in all three languages', () => {
    const problems = checkCatalogues({ languages: LANGUAGE_REGISTRY, source: 'en', catalogues });
    expect(problems.filter((p) => p.kind === 'missing' || p.kind === 'extra')).toEqual([]);
  });
  it('uses Russian plural forms', () => {
    expect(t('ru', 'people.count', { count: 1 })).toBe('1 человек');
    expect(t('ru', 'people.count', { count: 3 })).toBe('3 человека');
    expect(t('ru', 'people.count', { count: 5 })).toBe('5 человек');
    expect(t('en', 'people.count', { count: 1 })).toBe('1 person');
  });
  it('negotiates Accept-Language', () => {
    expect(negotiateLang('ru-RU,ru;q=0.9,en;q=0.8')).toBe('ru');
    expect(negotiateLang('de-DE,kk;q=0.5')).toBe('kk');
    expect(negotiateLang('de')).toBeUndefined();
  });
});
