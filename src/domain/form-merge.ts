// Field-level merge of a versioned form, on the form's own strings. A versioned
// form carries, beside `version`, the value each field had when it was loaded
// (hidden `base.<field>`). When the record has moved on since, a save applies
// only the fields the person changed: a field only the other person changed
// keeps their value; a field both changed to different values is a conflict,
// reported field by field. The count editor follows the same rule on numbers
// (count-merge.ts) and re-shows its form with this one after a conflict; this one
// serves every other versioned form through the form pipeline (routes/form-pipeline.ts).

/** One field both people changed since the form was loaded. */
export type MergeConflict = { field: string; base: string; yours: string; theirs: string };

export type FormMerge = {
  /** The typed values with every field the person left alone taken from the record now. */
  merged: Record<string, string>;
  /** Fields the person changed (typed differs from base). */
  mine: string[];
  /** Fields the other person changed and the person left alone: their value is kept. */
  kept: string[];
  conflicts: MergeConflict[];
};

export const BASE_PREFIX = 'base.';

/** The form carries the values it was loaded with (at least one `base.*` field). */
export const hasBase = (values: Record<string, string>) =>
  Object.keys(values).some((k) => k.startsWith(BASE_PREFIX));

/**
 * Merge `typed` (with its `base.*` fields) onto the record's values `now`. A field
 * without a base is taken as typed (the form did not say what it was loaded with).
 * An absent typed field with a base is an unchecked checkbox: ''.
 */
export function mergeFormValues(typed: Record<string, string>, now: Record<string, string>): FormMerge {
  const merged = { ...typed };
  const mine: string[] = [];
  const kept: string[] = [];
  const conflicts: MergeConflict[] = [];
  for (const [field, theirs] of Object.entries(now)) {
    if (field === 'version') continue;
    const base = typed[`${BASE_PREFIX}${field}`];
    if (base === undefined) continue;
    const yours = typed[field] ?? '';
    const changedByMe = yours !== base;
    const changedByThem = theirs !== base;
    if (!changedByMe) {
      if (changedByThem) kept.push(field);
      merged[field] = theirs;
      continue;
    }
    mine.push(field);
    if (changedByThem && theirs !== yours) conflicts.push({ field, base, yours, theirs });
  }
  return { merged, mine, kept, conflicts };
}

/** The form after a conflict: the merged values, with the record now as the new base and version. */
export function rebased(
  merged: Record<string, string>,
  now: Record<string, string>,
  version: number,
): Record<string, string> {
  const next: Record<string, string> = { ...merged, version: String(version) };
  for (const [field, value] of Object.entries(now))
    if (field !== 'version') next[`${BASE_PREFIX}${field}`] = value;
  return next;
}
