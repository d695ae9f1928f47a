// The one list of the languages Corridor speaks. Everything that enumerates
// languages derives from it: the schema's language columns, the form fields
// and validators, the language switchers, LocalizedText, the digest's language
// list, Accept-Language negotiation, number, date and plural formatting.
// Adding a language is one line here plus its catalogue files
// (src/i18n/catalogues/<code>/, see docs/translating.md).
//
// Imported by db/schema.ts (drizzle-kit loads it), so it imports nothing.

export type TextDirection = 'ltr' | 'rtl';

export type LanguageInfo = {
  /** ISO 639-1 code: URLs, cookies, database values, JSON keys. */
  readonly code: string;
  /** BCP 47 tag for Intl (numbers, dates, plural rules). */
  readonly locale: string;
  /** The language's name in itself, as a switcher shows it. */
  readonly nativeName: string;
  readonly dir: TextDirection;
};

/** In the order the switchers list them: the state language first. */
export const LANGUAGE_REGISTRY = [
  { code: 'kk', locale: 'kk-KZ', nativeName: 'Қазақша', dir: 'ltr' },
  { code: 'ru', locale: 'ru-RU', nativeName: 'Русский', dir: 'ltr' },
  { code: 'en', locale: 'en-GB', nativeName: 'English', dir: 'ltr' },
] as const satisfies readonly LanguageInfo[];

export type Lang = (typeof LANGUAGE_REGISTRY)[number]['code'];

/** What the rest of the code asks of a registry (a test builds one with a throwaway language). */
export function defineLanguages(registry: readonly LanguageInfo[]) {
  const byCode = new Map<string, LanguageInfo>(registry.map((l) => [l.code, l]));
  const codes = registry.map((l) => l.code as Lang);
  const info = (lang: Lang) => byCode.get(lang)!;
  return {
    /** The codes as a non-empty tuple, the shape drizzle and zod enums take. */
    LANGUAGES: codes as unknown as readonly [Lang, ...Lang[]],
    isLang: (value: unknown): value is Lang => typeof value === 'string' && byCode.has(value),
    languageInfo: info,
    localeOf: (lang: Lang): string => info(lang).locale,
    nativeName: (lang: Lang): string => info(lang).nativeName,
    directionOf: (lang: Lang): TextDirection => info(lang).dir,
    /** `first`, then the others in registry order (a form's language list, the page's language first). */
    languagesStartingWith: (first: Lang): Lang[] => [first, ...codes.filter((l) => l !== first)],
  };
}

export const { LANGUAGES, isLang, languageInfo, localeOf, nativeName, directionOf, languagesStartingWith } =
  defineLanguages(LANGUAGE_REGISTRY);

/** The language of last resort for a request that names none we speak. */
export const DEFAULT_LANG: Lang = 'en';

/** A text in some of our languages (place, route and operation names; notices). */
export type LocalizedText = { en: string } & { [L in Lang]?: string };

/** Text staff write for the public (labels, notes), in each language it is written in. */
export type Localized = { readonly [L in Lang]?: string };

/**
 * A report's own words: as said or written, in their language (any BCP 47 tag: a
 * report may quote someone in a language we do not publish in), with translations.
 */
export type Quotation = { readonly lang: string; readonly text: string; readonly translations: Localized };
