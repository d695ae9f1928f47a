// Use cases for a source's outlet and title per language (officer: whoever records
// a source on the count form may correct and translate it). A source is written in
// its own language (`language`, the working language of the operation it was first
// recorded in): that language's outlet and title are required, the others are
// translations. `title`/`outlet` keep the text in that language, for the readers
// (and the older code) that take the single column.
import { notFound, validationError } from '../../errors.ts';
import { type Lang, type Localized, isLang } from '../../i18n/languages.ts';
import { notifyChange } from '../../store/notify.ts';
import type { Db } from '../../store/database.ts';
import { auditOfEntity } from '../../store/repositories/audit.ts';
import {
  type SourceRow,
  findSourceRow,
  listStaffSources,
  updateSourceTexts,
} from '../../store/repositories/sources.ts';
import type { Actor, StaffDeps } from './common.ts';
import { type Saved, editVersioned } from './edit-versioned.ts';

export type SourceTextsInput = { titles: Localized; outlets: Localized };

/** The language a source is written in, as a registry language (its form's first, required one). */
export const sourceLanguage = (s: Pick<SourceRow, 'language'>): Lang =>
  isLang(s.language) ? s.language : 'en';

/**
 * The per-language texts as readers get them: a row written before the per-language
 * columns (or a desk source without titles) has its single text in its own language.
 */
export function sourceTexts(s: Pick<SourceRow, 'language' | 'title' | 'outlet' | 'titles' | 'outlets'>) {
  const own = sourceLanguage(s);
  const withOwn = (texts: Localized, single: string): Localized =>
    (texts[own] ?? '').trim() !== '' || single.trim() === '' ? texts : { ...texts, [own]: single };
  return { titles: withOwn(s.titles, s.title), outlets: withOwn(s.outlets, s.outlet) };
}

export async function editSourceTexts(
  deps: StaffDeps,
  input: { sourceId: number; expectedVersion: number; fields: SourceTextsInput; actor: Actor },
): Promise<Saved> {
  return editVersioned(deps, {
    expectedVersion: input.expectedVersion,
    actor: input.actor,
    audit: { entity: 'source', what: 'Source' },
    find: (tx) => findSourceRow(tx, input.sourceId),
    check: (_tx, current) => {
      const own = sourceLanguage(current);
      const { titles, outlets } = input.fields;
      const title = titles[own]?.trim() ?? '';
      const outlet = outlets[own]?.trim() ?? '';
      const errors: Record<string, string> = {};
      if (!outlet) errors[`outlet_${own}`] = 'field.required';
      if (!title) errors[`title_${own}`] = 'field.required';
      if (Object.keys(errors).length) throw validationError(errors);
      return { title, outlet, titles, outlets };
    },
    apply: (tx, current, values) => updateSourceTexts(tx, current.id, input.expectedVersion, values),
    // A source is cited by any operation's pages: the signal drops every public copy.
    notify: (tx) => notifyChange(tx, { operationId: 0, kind: 'source' }),
  });
}

export const loadSources = (db: Db) => listStaffSources(db);

/** One source and its audited changes, newest first. */
export async function loadSource(db: Db, id: number) {
  const source = await findSourceRow(db, id);
  if (!source) throw notFound('Source');
  return { source, history: await auditOfEntity(db, 'source', id) };
}
