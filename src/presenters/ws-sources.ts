// The staff pages of sources: the list (each with the languages it still lacks) and
// one source's form, its outlet and title side by side in every language, its own
// language first and required (src/domain/staff/sources.ts), then its history.
import { missingLanguages } from '../domain/staff/attention.ts';
import { sourceLanguage, sourceTexts } from '../domain/staff/sources.ts';
import { type Lang, nativeName, t } from '../i18n/index.ts';
import type { Localized } from '../i18n/languages.ts';
import type { SourceRow } from '../store/repositories/sources.ts';
import { auditChanges } from './audit-changes.ts';
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
    changes: sourceChanges(lang, e.before, e.after),
  }));
}

/** The single-language columns an edit also writes: left out where their per-language field is there. */
const SINGLE_OF: Record<string, string> = { outlets: 'outlet', titles: 'title' };

/**
 * One change per field, as the other histories show them (audit-changes.ts): the outlet
 * and title per language that changed, labelled with the language; the single-language
 * column is left out when its per-language field is there (it repeats the own language).
 */
function sourceChanges(lang: Lang, before: unknown, after: unknown) {
  const changed = (after ?? {}) as Record<string, unknown>;
  const singles = new Set(Object.keys(changed).flatMap((k) => (SINGLE_OF[k] ? [SINGLE_OF[k]] : [])));
  const kept = Object.fromEntries(Object.entries(changed).filter(([k]) => !singles.has(k)));
  return auditChanges(lang, before, kept, {
    outlets: t(lang, 'ws.source.outlet'),
    titles: t(lang, 'ws.source.title'),
  });
}
