import fs from 'node:fs';
import path from 'node:path';
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
  it('refuses a database or mail URL its client cannot read, and takes what pg takes', () => {
    // Each was retried for a minute as "database not reachable yet" before (audit, 6 December).
    for (const url of [
      'postgres://nouser:@127.0.0.1:99999/x',
      'postgres://u:p#w@127.0.0.1/x',
      'postgres://127.0.0.1:abc/x',
    ])
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail:70000' })).toThrow(/SMTP_URL/);
    for (const url of [
      'postgres://postgres@127.0.0.1:5432/corridor',
      'postgresql://[::1]:5432/corridor',
      'postgres:///corridor?host=/var/run/postgresql',
      'postgres://u:p%23w@127.0.0.1/x',
      'postgres://user:a b@127.0.0.1/x',
    ])
      expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL, url).toBe(url);
  });
});

describe('the configuration documents', () => {
  // Twenty variables were missing from .env.example and seven from the table (audit, 6 December).
  const root = path.resolve(import.meta.dirname, '../..');
  const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
  const variables = [...read('src/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!);
  it('name every variable src/config.ts reads', () => {
    expect(variables.length).toBeGreaterThan(50);
    const example = read('.env.example');
    const table = read('docs/operations.md');
    expect(variables.filter((v) => !new RegExp(`^# ${v}=`, 'm').test(example))).toEqual([]);
    expect(variables.filter((v) => !table.includes(`\`${v}\``))).toEqual([]);
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
