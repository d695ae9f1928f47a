// The staff form fields of a text written for the public in every language: one
// field per language, side by side, the operation's working language first (the only
// one required), each labelled with its language's native name and marked with its
// `lang` so spell-checkers and screen readers use the right language. Field names are
// `<base>_<code>` (label_kk, publicNotes_ru): the CSV and the forms share them.
import type { Localized } from '../i18n/languages.ts';
import { type Lang, languagesStartingWith, nativeName, t } from '../i18n/index.ts';
import type { FieldSpec } from './ws-field-spec.ts';

export const localizedFieldName = (base: string, lang: Lang) => `${base}_${lang}`;

/** The fields of one localized text: `label` says what it is ("Label", "Public note"). */
export function localizedFieldSpecs(
  lang: Lang,
  base: string,
  label: string,
  workingLanguage: Lang,
  kind: 'text' | 'textarea' = 'text',
): FieldSpec[] {
  return languagesStartingWith(workingLanguage).map((code) => ({
    name: localizedFieldName(base, code),
    label: `${label} — ${nativeName(code)}`,
    kind,
    fieldLang: code,
    hint:
      code === workingLanguage
        ? t(lang, 'ws.translation.working_language')
        : t(lang, 'ws.translation.optional'),
    wide: false,
  }));
}

/** A stored localized text as form values. */
export function localizedValues(base: string, text: Localized | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const code of languagesStartingWith('en')) out[localizedFieldName(base, code)] = text?.[code] ?? '';
  return out;
}
