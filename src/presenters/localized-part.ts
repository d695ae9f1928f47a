// The one helper that puts staff-written text in the reader's language, honestly:
// the reader's language if someone wrote it in it; else the text in the language
// it exists in (the operation's working language first), with that language's
// `lang` and a small mark in the reader's language ("(in English)"), never silently
// another language. A quotation shows its translation, with the words as they
// were said one click away (<details>), marked with their language. Every output
// uses it: the page (partials part.hbs, quote.hbs), the feed (xml:lang), the digest
// (HTML with lang, plain text with the mark), the CSV (the mark); the JSON carries
// every language instead.
import type { Localized, Quotation } from '../i18n/languages.ts';
import { type Lang, LANGUAGES, localeOf, t } from '../i18n/index.ts';
import { memoised } from '../memo.ts';

export type Part = {
  text: string;
  /** Set when the text is not in the reader's language: its own language (BCP 47)… */
  lang?: string;
  /** …and the mark that says so, in the reader's language. */
  mark?: string;
};

/** A quotation: the translation in the reader's language, and the original words. */
export type QuotePart = Part & {
  /** The words as said or written, with their language, behind a <details> summary. */
  original?: { text: string; lang: string; summary: string };
};

const displayNames = new Map<Lang, Intl.DisplayNames>();
/** The name of language `code` in the reader's language (for languages outside the registry). */
function languageName(lang: Lang, code: string): string {
  let names = displayNames.get(lang);
  if (!names) displayNames.set(lang, (names = new Intl.DisplayNames([localeOf(lang)], { type: 'language' })));
  return names.of(code) ?? code;
}

// ICU's lookup of a language's name takes microseconds, and a page of 1,000 movements
// whose labels exist in one language asks for the same few marks thousands of times per
// build (the largest single cost of its render: docs/benchmarks.md, "Crisis scale").
// The keys are (reader's language, text's language): a few dozen at most.
const marks = memoised(1_000, (key) => {
  const [lang, of] = key.split('|') as [Lang, string];
  return t(lang, 'content.in_language', { language: of, name: languageName(lang, of) });
});

/** "(in English)", "(на английском)", "(ағылшынша)": the mark of text in language `of`. */
export function languageMark(lang: Lang, of: string): string {
  return marks(`${lang}|${of}`);
}

const nonEmpty = (s: string | undefined): s is string => typeof s === 'string' && s.trim() !== '';

/**
 * `text` in `lang`, or in the first language it exists in: `prefer` (the operation's
 * working language) first, then the registry's order. Empty text when it has none.
 */
export function localizedPart(text: Localized, lang: Lang, prefer: readonly Lang[] = []): Part {
  const own = text[lang];
  if (nonEmpty(own)) return { text: own.trim() };
  const other = [...prefer, ...LANGUAGES].find((l) => nonEmpty(text[l]));
  if (!other) return { text: '' };
  return { text: text[other]!.trim(), lang: other, mark: languageMark(lang, other) };
}

/** The same for an optional text: null when there is none in any language. */
export function optionalPart(
  text: Localized | null | undefined,
  lang: Lang,
  prefer: readonly Lang[] = [],
): Part | null {
  if (!text) return null;
  const part = localizedPart(text, lang, prefer);
  return part.text ? part : null;
}

/**
 * A quotation for a reader of `lang`: the words themselves when they were said in
 * `lang`; else the translation into `lang` with the original behind it; else (no
 * translation yet) the original, marked as in its language.
 */
export function quotePart(quote: Quotation, lang: Lang): QuotePart {
  if (quote.lang === lang) return { text: quote.text };
  const translation = quote.translations[lang];
  if (nonEmpty(translation))
    return {
      text: translation.trim(),
      original: {
        text: quote.text,
        lang: quote.lang,
        summary: t(lang, 'content.original', { language: quote.lang, name: languageName(lang, quote.lang) }),
      },
    };
  return { text: quote.text, lang: quote.lang, mark: languageMark(lang, quote.lang) };
}

export const optionalQuote = (quote: Quotation | null | undefined, lang: Lang): QuotePart | null =>
  quote && nonEmpty(quote.text) ? quotePart(quote, lang) : null;

/** A part as plain text (feeds' text, the digest's text part, CSV): the mark follows foreign text. */
export function partText(part: Part | null | undefined): string {
  if (!part) return '';
  return part.mark ? `${part.text} ${part.mark}` : part.text;
}

/** What a source's line needs: the title as published in its language, and per-language values. */
type SourceText = {
  title: string;
  titles: Localized;
  outlet: string;
  outlets: Localized;
  language: string;
};

/**
 * A source's outlet and title for a reader of `lang`. The title: its translation, or
 * the title as published, marked with the source's language. The outlet: in the
 * reader's language, or (as for any content) in the language it exists in, marked.
 */
export function sourceParts(
  s: SourceText,
  lang: Lang,
  prefer: readonly Lang[] = [],
): { outlet: Part; title: Part } {
  const translated = s.titles[lang];
  const title: Part = nonEmpty(translated)
    ? { text: translated.trim() }
    : s.language === lang
      ? { text: s.title }
      : { text: s.title, lang: s.language, mark: languageMark(lang, s.language) };
  const outlet = localizedPart(s.outlets, lang, prefer);
  // (Every source has its outlets since the migration that added them; this is a last resort.)
  return { title, outlet: outlet.text ? outlet : { text: s.outlet } };
}
