// Language lists as the views show them, all from the registry (src/i18n/languages.ts).
import { type Lang, languagesStartingWith, nativeName } from '../i18n/index.ts';

/**
 * The options of a language field (the digest sign-up form): the page's language
 * first, so it is the default, then the others in registry order; each named in
 * itself (the view marks each option with its own lang).
 */
export function languageChoices(pageLang: Lang, selected: Lang = pageLang) {
  return languagesStartingWith(pageLang).map((code) => ({
    code,
    label: nativeName(code),
    selected: code === selected,
  }));
}
