// Field-level merge of a movement's figures. An editor loaded the figures at
// some point (its "base"); a save applies only the fields the person changed.
// A field someone else changed since the base keeps their value; a field both
// changed to different values is a conflict, reported field by field with the
// other person's value, who and when. Pure: no database, no clock.
import { type Counts, FIELDS, STAGES, type Field, type Stage, fieldKey } from './figures.ts';

/** Who last changed one field after the editor's base, and to what. */
export type FieldAuthor = { by: string; at: Date };

export type FieldConflict = {
  key: string;
  stage: Stage;
  field: Field;
  base: number | null;
  mine: number | null;
  theirs: number | null;
  by: string | null;
  at: Date | null;
};

export type CountMerge = {
  /** The figures to write: current, with the person's own changes applied. */
  next: Counts;
  /** Keys of the fields the person changed (typed differs from the base). */
  mine: string[];
  /** Keys the other people changed since the base and the person left alone. */
  kept: string[];
  conflicts: FieldConflict[];
};

export function mergeCounts(
  base: Counts,
  typed: Counts,
  current: Counts,
  authors: ReadonlyMap<string, FieldAuthor> = new Map(),
): CountMerge {
  const next = structuredClone(current);
  const mine: string[] = [];
  const kept: string[] = [];
  const conflicts: FieldConflict[] = [];
  for (const stage of STAGES)
    for (const field of FIELDS) {
      const key = fieldKey(stage, field);
      const b = base[stage][field];
      const t = typed[stage][field];
      const c = current[stage][field];
      const changedByMe = t !== b;
      const changedByThem = c !== b;
      if (changedByMe) mine.push(key);
      else if (changedByThem) kept.push(key);
      if (!changedByMe) continue;
      if (changedByThem && c !== t) {
        const author = authors.get(key);
        conflicts.push({
          key,
          stage,
          field,
          base: b,
          mine: t,
          theirs: c,
          by: author?.by ?? null,
          at: author?.at ?? null,
        });
        continue;
      }
      next[stage][field] = t;
    }
  return { next, mine, kept, conflicts };
}

type RecordedSet = {
  actorLabel: string;
  createdAt: Date;
  changes: { stage: Stage; field: Field; oldValue: number | null; newValue: number | null }[];
};

/** A field's value as it stood at the editor's version (store: figuresAtVersion). */
type StoodAt = { stage: Stage; field: Field; value: number | null };

/**
 * The figures as they were before `laterSets` (newest first) were recorded,
 * and who last changed each field among them. A later set's old values are the
 * ones standing before it, except in a correction of an earlier moment: those are
 * the values true then, while the standing one may not have moved at all. So a
 * field a later set touched takes its value from `stoodAt` (the history up to the
 * editor's version replayed in as-of order) when given. A field with nothing recorded
 * by then (figures written before their history was kept) keeps the old value, as before.
 */
export function rewind(current: Counts, laterSetsNewestFirst: RecordedSet[], stoodAt?: readonly StoodAt[]) {
  const base = structuredClone(current);
  const authors = new Map<string, FieldAuthor>();
  for (const set of laterSetsNewestFirst)
    for (const c of [...set.changes].reverse()) {
      base[c.stage][c.field] = c.oldValue;
      const key = fieldKey(c.stage, c.field);
      if (!authors.has(key)) authors.set(key, { by: set.actorLabel, at: set.createdAt });
    }
  if (stoodAt) {
    const then = new Map(stoodAt.map((f) => [fieldKey(f.stage, f.field), f.value]));
    for (const key of authors.keys()) {
      if (!then.has(key)) continue;
      const [stage, field] = key.split('.') as [Stage, Field];
      base[stage][field] = then.get(key)!;
    }
  }
  return { base, authors };
}
