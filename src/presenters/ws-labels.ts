// A movement's label on the staff pages: in the reader's language when someone wrote it
// (a kk desk saw "Repatriation via Oman, 3 March" though its kk label was there), else the
// working language's, as stored in \`label\`. The forms still show every language's field.
import type { Lang } from '../i18n/index.ts';
import type { Localized } from '../i18n/languages.ts';

export function movementLabel(m: { label: string; labels?: Localized | null }, lang: Lang): string {
  return m.labels?.[lang]?.trim() || m.label;
}
