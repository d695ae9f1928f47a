// Which source a change of figures is attributed to. Nothing is chosen by
// default: the officer picks an existing source, records a new one on the
// same form, or says it is the desk's own record (a source naming the desk,
// i.e. the operation's publisher, and the officer; one per officer and operation).
import { type FieldErrors, validationError } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import { sourceIdsBySlug } from '../../store/repositories/csv.ts';
import { findOperation, findSource, insertSource } from '../../store/repositories/workspace.ts';
import { localDay } from '../calendar.ts';
import { isWebUrl } from '../input-rules.ts';
import type { Actor } from './common.ts';

/** The form's `source` value for "our own desk's record". */
export const DESK_SOURCE = 'desk';

export type NewSource = { outlet: string; title: string; url: string | null };

export type SourceChoice =
  { kind: 'existing'; id: number } | { kind: 'desk' } | { kind: 'new'; source: NewSource } | null;

/** The form's `source` (an id, "desk" or blank) and the new-source fields → a choice. */
export function sourceChoiceFromForm(
  source: string | null,
  outlet: string | null,
  title: string | null,
  url: string | null,
  errors: FieldErrors,
): SourceChoice {
  if (source === DESK_SOURCE) return { kind: 'desk' };
  if (source) {
    if (!/^\d{1,9}$/.test(source) || Number(source) < 1) {
      errors.source = 'field.choose';
      return null;
    }
    return { kind: 'existing', id: Number(source) };
  }
  if (outlet || title)
    return { kind: 'new', source: { outlet: outlet ?? title!, title: title ?? outlet!, url } };
  return null;
}

/** A form's source fields, as the count and CSV forms name them. */
export type SourceFields = {
  source: string | null;
  new_source_outlet: string | null;
  new_source_title: string | null;
  new_source_url: string | null;
};

/** The choice a form's source fields make; a validation_failed error (422) when it is not valid. */
export function sourceChoiceOf(form: SourceFields): SourceChoice {
  const errors: FieldErrors = {};
  const choice = sourceChoiceFromForm(
    form.source,
    form.new_source_outlet,
    form.new_source_title,
    form.new_source_url,
    errors,
  );
  if (Object.keys(errors).length) throw validationError(errors);
  return choice;
}

/** The source id to record, creating the new or desk source; errors per field. */
export async function resolveSourceChoice(
  db: Db,
  input: { choice: SourceChoice; operationId: number; actor: Actor; now: Date },
  errors: FieldErrors,
): Promise<number | null> {
  const { choice, now } = input;
  if (!choice) {
    errors.source = 'source.required';
    return null;
  }
  if (choice.kind === 'existing') {
    if (!(await findSource(db, choice.id))) errors.source = 'field.unknown_id';
    return choice.id;
  }
  if (choice.kind === 'new') {
    if (choice.source.url !== null && !isWebUrl(choice.source.url)) errors.new_source_url = 'field.url';
    if (Object.keys(errors).length) return null;
    const slug = `staff-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    // Typed in the operation's working language: the public pages show it marked as such
    // to readers of the others (never silently as theirs).
    const operation = await findOperation(db, input.operationId);
    const language = operation?.workingLanguage ?? 'en';
    const row = await insertSource(db, {
      slug,
      title: choice.source.title,
      outlet: choice.source.outlet,
      titles: { [language]: choice.source.title },
      outlets: { [language]: choice.source.outlet },
      url: choice.source.url,
      // Days are the operation's (docs/CONTEXT.md): recorded at 02:00 in Almaty is that day, not the day before.
      publishedOn: localDay(now, operation?.timeZone ?? 'UTC'),
      language,
    });
    return row.id;
  }
  if (Object.keys(errors).length) return null;
  const slug = `desk-op${input.operationId}-${input.actor.id ?? 'system'}`;
  const existing = (await sourceIdsBySlug(db, [slug])).get(slug);
  if (existing !== undefined) return existing;
  const operation = await findOperation(db, input.operationId);
  const desk = operation?.authority?.en ?? operation?.authority?.ru ?? 'Consular desk';
  const row = await insertSource(db, {
    slug,
    outlet: desk,
    title: `Desk record — ${input.actor.label}`,
    // The desk is the publishing authority, named in every language it is written in.
    outlets: operation?.authority ?? { en: desk },
    url: null,
    publishedOn: localDay(now, operation?.timeZone ?? 'UTC'),
    language: 'en',
  });
  return row.id;
}
