// Passenger figures: stages × priority groups, and the invariants every write
// must keep. The database enforces the same rules with CHECK constraints.
import { type FieldErrors, validationError } from '../errors.ts';

export const STAGES = ['registered', 'departed', 'arrived'] as const;
export const GROUPS = ['womenChildren', 'over60', 'medical', 'other'] as const;
export const FIELDS = ['total', ...GROUPS] as const;

export type Stage = (typeof STAGES)[number];
export type Group = (typeof GROUPS)[number];
export type Field = (typeof FIELDS)[number];

/** null total = not reported; null group = not broken down. */
export type StageFigures = Record<Field, number | null>;
export type Counts = Record<Stage, StageFigures>;

export type CountChange = { stage: Stage; field: Field; oldValue: number | null; newValue: number | null };

/** PostgreSQL `integer` upper bound: larger input is refused rather than overflowing. */
export const MAX_FIGURE = 2_147_483_647;

export function emptyStage(): StageFigures {
  return { total: null, womenChildren: null, over60: null, medical: null, other: null };
}

export function emptyCounts(): Counts {
  return { registered: emptyStage(), departed: emptyStage(), arrived: emptyStage() };
}

export const fieldKey = (stage: Stage, field: Field) => `${stage}.${field}`;

/** Sum of the groups that are broken down. */
export function brokenDown(figures: StageFigures): number {
  return GROUPS.reduce((sum, g) => sum + (figures[g] ?? 0), 0);
}

/** The part of the total not assigned to any group, or null if the total is unknown. */
export function notBrokenDown(figures: StageFigures): number | null {
  return figures.total === null ? null : figures.total - brokenDown(figures);
}

/**
 * Parse one figure typed by a person or read from a file: blank is "not
 * reported"; anything else must be a whole, non-negative number.
 */
export function parseFigure(raw: unknown): { value: number | null } | { error: string } {
  if (raw === undefined || raw === null) return { value: null };
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return { error: 'figure.not_integer' };
    if (raw < 0) return { error: 'figure.negative' };
    if (raw > MAX_FIGURE) return { error: 'figure.too_large' };
    return { value: raw };
  }
  // Anything else that is not text (an object, or a list from a repeated form field) is
  // not a figure.
  if (typeof raw !== 'string') return { error: 'figure.not_integer' };
  const text = raw.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (text === '') return { value: null };
  if (/^-\d+$/.test(text)) return { error: 'figure.negative' };
  if (!/^\d+$/.test(text)) return { error: 'figure.not_integer' };
  const value = Number(text);
  if (value > MAX_FIGURE) return { error: 'figure.too_large' };
  return { value };
}

/** Every broken rule, keyed by `stage.field`; empty when the figures are valid. */
export function countErrors(counts: Counts): FieldErrors {
  const errors: FieldErrors = {};
  for (const stage of STAGES) {
    const figures = counts[stage];
    for (const field of FIELDS) {
      const v = figures[field];
      if (v === null) continue;
      if (!Number.isInteger(v)) errors[fieldKey(stage, field)] = 'figure.not_integer';
      else if (v < 0) errors[fieldKey(stage, field)] = 'figure.negative';
      else if (v > MAX_FIGURE) errors[fieldKey(stage, field)] = 'figure.too_large';
    }
    if (Object.keys(errors).some((k) => k.startsWith(`${stage}.`))) continue;
    if (figures.total === null) {
      if (GROUPS.some((g) => figures[g] !== null)) errors[fieldKey(stage, 'total')] = 'figure.total_required';
    } else if (brokenDown(figures) > figures.total) {
      errors[fieldKey(stage, 'total')] = 'figure.breakdown_exceeds_total';
    }
  }
  const { departed, arrived } = counts;
  if (!errors['arrived.total'] && !errors['departed.total'] && arrived.total !== null) {
    if (departed.total === null || arrived.total > departed.total)
      errors['arrived.total'] = 'figure.arrived_exceeds_departed';
  }
  for (const g of GROUPS) {
    const a = arrived[g];
    const d = departed[g];
    if (a !== null && d !== null && a > d && !errors[fieldKey('arrived', g)]) {
      errors[fieldKey('arrived', g)] = 'figure.arrived_exceeds_departed';
    }
  }
  return errors;
}

export function assertValidCounts(counts: Counts): void {
  const errors = countErrors(counts);
  if (Object.keys(errors).length > 0) throw validationError(errors, 'The figures are not valid.');
}

/** The fields that differ, in stage × field order. */
export function diffCounts(before: Counts, after: Counts): CountChange[] {
  const changes: CountChange[] = [];
  for (const stage of STAGES) {
    for (const field of FIELDS) {
      const oldValue = before[stage][field];
      const newValue = after[stage][field];
      if (oldValue !== newValue) changes.push({ stage, field, oldValue, newValue });
    }
  }
  return changes;
}

/** Apply recorded changes backwards: the figures as they were before them. */
export function revertChanges(current: Counts, changes: CountChange[]): Counts {
  const next = structuredClone(current);
  for (const c of changes) next[c.stage][c.field] = c.oldValue;
  return next;
}
