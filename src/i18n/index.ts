// Interface text in every language of the registry (languages.ts), from the
// catalogues in src/i18n/catalogues/<lang>/<area>.ts, written in ICU
// MessageFormat with real plural forms (Intl.PluralRules). `t()` only takes
// keys that exist: an unknown key fails the typecheck. docs/translating.md says
// how to add or correct a translation and how to add a language.
import type { LanguageCatalogue, MessageKey } from './catalogue.ts';
import { catalogues } from './catalogues/index.ts';
import { LANGUAGES, type Lang, type LocalizedText, isLang, localeOf } from './languages.ts';
import { type Params, type Part, formatParts, parseMessage } from './message-format.ts';
import { memoiseHeader } from '../memo.ts';

export {
  DEFAULT_LANG,
  LANGUAGES,
  LANGUAGE_REGISTRY,
  type Lang,
  type LocalizedText,
  directionOf,
  isLang,
  languageInfo,
  languagesStartingWith,
  localeOf,
  nativeName,
} from './languages.ts';
export type { MessageKey } from './catalogue.ts';
export type { Params } from './message-format.ts';

/** One language's messages, all areas flattened: key → ICU source. */
function flatten(catalogue: LanguageCatalogue): Map<string, string> {
  return new Map(Object.values(catalogue).flatMap((area) => Object.entries(area as Record<string, string>)));
}

const sources = new Map<Lang, Map<string, string>>(LANGUAGES.map((l) => [l, flatten(catalogues[l])]));
const english = sources.get('en')!;
const parsed = new Map<Lang, Map<string, Part[]>>(LANGUAGES.map((l) => [l, new Map()]));

const numberFormats = new Map(LANGUAGES.map((l) => [l, new Intl.NumberFormat(localeOf(l))]));
const formatters = new Map(
  LANGUAGES.map((l) => {
    const cardinal = new Intl.PluralRules(localeOf(l));
    const ordinal = new Intl.PluralRules(localeOf(l), { type: 'ordinal' });
    const numbers = numberFormats.get(l)!;
    return [
      l,
      {
        number: (n: number) => numbers.format(n),
        plural: (n: number, isOrdinal: boolean) => (isOrdinal ? ordinal : cardinal).select(n),
      },
    ];
  }),
);

export function isMessageKey(key: string): key is MessageKey {
  return english.has(key);
}

/** The ICU source of `key` in `lang` (for the catalogue check and tests). */
export function messageSource(lang: Lang, key: MessageKey): string | undefined {
  return sources.get(lang)!.get(key);
}

/** Every key, in catalogue order. */
export function messageKeys(): MessageKey[] {
  return [...english.keys()] as MessageKey[];
}

export function formatNumber(lang: Lang, n: number): string {
  return numberFormats.get(lang)!.format(n);
}

/**
 * A key `t()` accepts: a literal or a finite union of literals (`stage.${Stage}`)
 * must be catalogue keys, or the typecheck fails. A key that is data (`string`,
 * or an open pattern like `mode.${string}`: error codes an AppError carries,
 * actions read from the database) cannot be checked by types; the catalogue
 * check matches those patterns against the catalogue instead.
 */
export type CheckedKey<K extends string> =
  Record<never, never> extends Record<K, 1> ? K : [K] extends [MessageKey] ? K : MessageKey;

/**
 * The message `key` in `lang`, its {arguments} filled from `params` (numbers
 * formatted for the language; plural and select arguments choose the branch).
 * A language whose catalogue lacks the key (only possible while a new language
 * is being written: the catalogue check fails then) gets the English text.
 */
export function t<K extends string>(lang: Lang, key: CheckedKey<K>, params: Params = {}): string {
  const cache = parsed.get(lang) ?? parsed.get('en')!;
  // A key that is data may be unknown: it shows as itself (the catalogue check looks for these).
  let parts = cache.get(key);
  if (!parts) {
    const source = sources.get(lang)?.get(key) ?? english.get(key);
    if (source === undefined) return key;
    parts = parseMessage(source);
    cache.set(key, parts);
  }
  return formatParts(parts, params, formatters.get(lang) ?? formatters.get('en')!);
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

// A weight is 0 to 1 with at most three decimals (RFC 9110 §12.4.2); Number() took "2",
// "1e309" and "0x1", so a malformed entry outranked every well-formed one.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

function rankLanguages(header: string): Lang | undefined {
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => /^q=/i.test(p));
      const weight = q === undefined ? 1 : QVALUE.test(q.slice(2)) ? Number(q.slice(2)) : NaN;
      return { tag: tag.trim().toLowerCase(), q: weight };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (isLang(base)) return base;
  }
  return undefined;
}
