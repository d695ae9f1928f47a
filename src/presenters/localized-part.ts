// Staff-written text in the reader's language, or, where no one has written it in
// that language, in the one it exists in, marked as such ("(in English)") and with
// its own `lang` so a screen reader pronounces it right. Never silently another language.
import type { LocalizedText } from '../../db/schema.ts';
import { type Lang, LANGUAGES, t } from '../i18n/index.ts';

export type Part = {
  text: string;
  /** Set when the text is not in the page's language: its own language… */
  lang?: Lang;
  /** …and the mark that says so, in the page's language. */
  mark?: string;
};

export function localizedPart(text: LocalizedText, lang: Lang): Part {
  const own = text[lang]?.trim();
  if (own) return { text: own };
  const other = (['en', ...LANGUAGES] as Lang[]).find((l) => text[l]?.trim());
  if (!other) return { text: '' };
  return { text: text[other]!.trim(), lang: other, mark: t(lang, `content.in_language.${other}`) };
}

export const optionalPart = (text: LocalizedText | null | undefined, lang: Lang): Part | null =>
  text ? localizedPart(text, lang) : null;
