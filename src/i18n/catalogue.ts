// The shape of the message catalogues (src/i18n/catalogues/<lang>/<area>.ts).
// English is the source: its keys are every language's keys, and a translation
// must have exactly those (the typecheck refuses a missing or an extra key).
// Values are ICU MessageFormat (see message-format.ts).
import type enAreas from './catalogues/en/index.ts';

/** A translation of the source catalogue `T`: the same keys, each an ICU message. */
export type Translation<T> = { readonly [K in keyof T]: string };

export type Area = keyof typeof enAreas;

/** One language's catalogues, area by area. */
export type LanguageCatalogue = { readonly [A in Area]: Translation<(typeof enAreas)[A]> };

/** Every message key of every area (an unknown key fails the typecheck). */
export type MessageKey = { [A in Area]: keyof (typeof enAreas)[A] & string }[Area];
