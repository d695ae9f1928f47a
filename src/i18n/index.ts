// Interface text in Kazakh, Russian and English. Every key exists in all three
// languages (a test checks); plural forms follow Intl.PluralRules.
import type { LocalizedText } from '../../db/schema.ts';
import { en } from './en.ts';
import { kk } from './kk.ts';
import { ru } from './ru.ts';
import { staffAuth } from './staff-auth.ts';
import { digestText } from './digest.ts';
import { staffWorkspace } from './staff-workspace.ts';
import { publicPage } from './public-page.ts';
import { staffOps } from './staff-ops.ts';
import { memoiseHeader } from '../memo.ts';

// Each area of the product keeps its text in its own module of the form
// { en, ru, kk }; add a new area to this list. Keys must not collide.
const areas: Record<'en' | 'ru' | 'kk', Messages>[] = [
  { en, ru, kk },
  staffAuth,
  digestText,
  staffWorkspace,
  publicPage,
  staffOps,
];

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'en';

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Messages = Record<string, string | PluralForms>;

export const catalogs: Record<Lang, Messages> = {
  en: Object.assign({}, ...areas.map((a) => a.en)),
  ru: Object.assign({}, ...areas.map((a) => a.ru)),
  kk: Object.assign({}, ...areas.map((a) => a.kk)),
};

const LOCALES: Record<Lang, string> = { en: 'en-GB', ru: 'ru-RU', kk: 'kk-KZ' };
export const localeOf = (lang: Lang) => LOCALES[lang];

const pluralRules = new Map(LANGUAGES.map((l) => [l, new Intl.PluralRules(LOCALES[l])]));
const numberFormats = new Map(LANGUAGES.map((l) => [l, new Intl.NumberFormat(LOCALES[l])]));

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function formatNumber(lang: Lang, n: number): string {
  return numberFormats.get(lang)!.format(n);
}

function interpolate(text: string, vars: Record<string, string | number>, lang: Lang): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) return `{${name}}`;
    return typeof v === 'number' ? formatNumber(lang, v) : v;
  });
}

/** Translate `key`; a `count` var selects the plural form. Missing keys show the key, never crash. */
export function t(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const entry = catalogs[lang][key] ?? catalogs.en[key];
  if (entry === undefined) return key;
  if (typeof entry === 'string') return interpolate(entry, vars, lang);
  const count = typeof vars.count === 'number' ? vars.count : 0;
  const form = pluralRules.get(lang)!.select(count);
  return interpolate(entry[form] ?? entry.other, vars, lang);
}

/** A place, route or operation name in `lang`, falling back to English. */
export function localized(text: LocalizedText, lang: Lang): string {
  return text[lang] || text.en;
}

const rankLanguagesOnce = memoiseHeader(rankLanguages);

/** The best of our languages for an Accept-Language header. */
export function negotiateLang(header: string | undefined): Lang | undefined {
  return header ? rankLanguagesOnce(header) : undefined;
}

function rankLanguages(header: string): Lang | undefined {
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (isLang(base)) return base;
  }
  return undefined;
}
