// Parsing the per-language fields of a public text (`<base>_<code>`, one per language
// of the registry; see src/presenters/ws-localized-fields.ts) into a Localized value.
// Every field is optional here: the domain requires the operation's working language.
import type { ZodType } from 'zod';
import { LANGUAGES, type Localized } from '../../i18n/languages.ts';
import { f } from './forms.ts';

/** The zod fields of one localized text, to spread into a form's schema. */
export function localizedFormFields(base: string, max: number): Record<string, ZodType<string | null>> {
  return Object.fromEntries(LANGUAGES.map((l) => [`${base}_${l}`, f.optionalText(max)]));
}

/** The parsed fields as a Localized value: blank languages left out, keys in a stable order. */
export function toLocalized(form: object, base: string): Localized {
  const v = form as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const l of [...LANGUAGES].sort()) {
    const text = v[`${base}_${l}`];
    if (typeof text === 'string' && text.trim() !== '') out[l] = text;
  }
  return out;
}
