// The staff pages of sources: the list (each with the languages it still lacks) and
// one source's form, its outlet and title side by side in every language, its own
// language first and required (src/domain/staff/sources.ts), then its history.
import { missingLanguages } from '../domain/staff/attention.ts';
import { sourceLanguage, sourceTexts } from '../domain/staff/sources.ts';
import { type Lang, nativeName, t } from '../i18n/index.ts';
import { LANGUAGES, type Localized } from '../i18n/languages.ts';
import type { SourceRow } from '../store/repositories/sources.ts';
import { formatDateTime, formatDay } from './format.ts';
import type { FieldSpec } from './ws-form.ts';
import { localizedFieldSpecs, localizedValues } from './ws-localized-fields.ts';

type SourceText = Pick<SourceRow, 'language' | 'title' | 'outlet' | 'titles' | 'outlets'>;

export const sourceHref = (id: number) => `/staff/sources/${id}`;

/** The form's fields: the outlets, then the titles, each in every language. */
export function sourceFields(lang: Lang, s: SourceRow): FieldSpec[] {
  const own = sourceLanguage(s);
  // The first language is the source's own, not an operation's working language.
  const ownHint = (spec: FieldSpec): FieldSpec =>
    spec.fieldLang === own ? { ...spec, hint: t(lang, 'ws.source.own_language') } : spec;
  return [
    ...localizedFieldSpecs(lang, 'outlet', t(lang, 'ws.source.outlet'), own),
    ...localizedFieldSpecs(lang, 'title', t(lang, 'ws.source.title'), own),
  ].map(ownHint);
}

export function sourceValues(s: SourceRow): Record<string, string> {
  const { titles, outlets } = sourceTexts(s);
  return { ...localizedValues('outlet', outlets), ...localizedValues('title', titles) };
}

/** The languages the source's outlet or title still lacks (what the dashboard lists). */
export function sourceMissing(s: SourceRow): Lang[] {
  const { titles, outlets } = sourceTexts(s);
  return [...new Set([...missingLanguages(titles), ...missingLanguages(outlets)])];
}

/** The outlet and title in the reader's language, else in the source's own. */
export function sourceName(lang: Lang, s: SourceText): string {
  const { titles, outlets } = sourceTexts(s);
  const own = sourceLanguage(s);
  const pick = (x: Localized, single: string) => x[lang]?.trim() || x[own]?.trim() || single;
  return `${pick(outlets, s.outlet)} — ${pick(titles, s.title)}`;
}

export function sourceListItem(lang: Lang, s: SourceRow) {
  const missing = sourceMissing(s);
  return {
    label: sourceName(lang, s),
    href: sourceHref(s.id),
    lines: [
      `${s.slug} · ${formatDay(lang, s.publishedOn)} · ${nativeName(sourceLanguage(s))}`,
      ...(missing.length
        ? [t(lang, 'ws.source.missing', { languages: missing.map((l) => nativeName(l)).join(', ') })]
        : []),
    ],
  };
}

type AuditEvent = { actorLabel: string; createdAt: Date; before: unknown; after: unknown };

/** Each audited change of the source: who, when, and each field's old → new value. */
export function sourceHistoryItems(lang: Lang, events: AuditEvent[], timeZone: string) {
  return events.map((e) => ({
    label: `${formatDateTime(lang, e.createdAt, timeZone)} — ${e.actorLabel}`,
    changes: sourceChanges(lang, asRecord(e.before), asRecord(e.after)),
  }));
}

const asRecord = (v: unknown) => (v ?? {}) as Record<string, unknown>;
const shown = (v: unknown) =>
  v === undefined || v === null || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
const PER_LANGUAGE: Record<string, { single: string; label: string }> = {
  outlets: { single: 'outlet', label: 'ws.source.outlet' },
  titles: { single: 'title', label: 'ws.source.title' },
};

/**
 * One change per field, as the other histories show them (ws-history.ts): the outlet and
 * title per language that changed, labelled with the language; the single-language
 * column is left out when its per-language field is there (it repeats the own language).
 */
function sourceChanges(lang: Lang, before: Record<string, unknown>, after: Record<string, unknown>) {
  const singles = new Set(
    Object.keys(after).flatMap((k) => (PER_LANGUAGE[k] ? [PER_LANGUAGE[k].single] : [])),
  );
  return Object.keys(after)
    .filter((k) => !singles.has(k))
    .flatMap((k) => {
      const per = PER_LANGUAGE[k];
      if (!per) return [{ field: k, label: k, from: shown(before[k]), to: shown(after[k]) }];
      const old = asRecord(before[k]) as Localized;
      const now = asRecord(after[k]) as Localized;
      return LANGUAGES.filter((l) => (old[l] ?? '') !== (now[l] ?? '')).map((l) => ({
        field: `${k}.${l}`,
        label: `${t(lang, per.label)} (${nativeName(l)})`,
        from: shown(old[l]),
        to: shown(now[l]),
      }));
    });
}
