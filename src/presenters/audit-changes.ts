// One audited change as the staff histories show it: each changed field's old → new value,
// a field of three languages (a name, hours, an address) one line per language that changed.
// Used where an entity's audit row carries before/after column values (the public page's
// contacts and publisher; sources have their own, ws-sources.ts).
import { type Lang, nativeName } from '../i18n/index.ts';
import { LANGUAGES, type Localized } from '../i18n/languages.ts';

export type AuditChange = { field: string; label: string; from: string; to: string };

const asRecord = (v: unknown) => (v ?? {}) as Record<string, unknown>;
const shown = (v: unknown) =>
  v === undefined || v === null || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
const isLocalized = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).every((k) => LANGUAGES.includes(k as Lang));

/** `labels` names the fields in the reader's language; a field without one shows its key. */
export function auditChanges(
  lang: Lang,
  before: unknown,
  after: unknown,
  labels: Record<string, string>,
): AuditChange[] {
  const old = asRecord(before);
  const now = asRecord(after);
  return Object.keys(now).flatMap((k) => {
    const label = labels[k] ?? k;
    if (!isLocalized(now[k]) || !(old[k] === undefined || old[k] === null || isLocalized(old[k])))
      return [{ field: k, label, from: shown(old[k]), to: shown(now[k]) }];
    const o = asRecord(old[k]) as Localized;
    const n = asRecord(now[k]) as Localized;
    return LANGUAGES.filter((l) => (o[l] ?? '') !== (n[l] ?? '')).map((l) => ({
      field: `${k}.${l}`,
      label: `${label} (${nativeName(l)})`,
      from: shown(o[l]),
      to: shown(n[l]),
    }));
  });
}
