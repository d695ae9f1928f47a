// View model of a movement's count editor (the figures form): the grid of stages
// and groups with what is typed, what changed meanwhile, the status offer, and the
// form after a field-level conflict. Apart from the movement page (ws-movement.ts),
// which shows the figures read-only.
import type { Permissions } from '../domain/auth/permissions.ts';
import { type Lang, t } from '../i18n/index.ts';
import { FIELDS, STAGES, type Counts, fieldKey, notBrokenDown } from '../domain/figures.ts';
import { mergeFormValues, rebased } from '../domain/form-merge.ts';
import { countsFromForm } from '../domain/staff/counts.ts';
import { statusDisagreement, statusOffers } from '../domain/staff/status-mark.ts';
import type { loadMovementPage } from '../domain/staff/reads.ts';
import { formatDateTime, formatFigure } from './format.ts';
import { sourceChoiceFields } from './ws-source-choice.ts';
import {
  type FieldSpec,
  type FormState,
  invalidBanner,
  presentConflict,
  presentFields,
  str,
  withZone,
} from './ws-form.ts';
import { crumbs } from './ws-movement.ts';
import { movementLabel } from './ws-labels.ts';

type Page = Awaited<ReturnType<typeof loadMovementPage>>;
type Movement = Page['movement'];

export function countValues(counts: Counts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const stage of STAGES)
    for (const field of FIELDS) out[fieldKey(stage, field)] = str(counts[stage][field]);
  return out;
}

/** One field both people changed, as the save's 409 details carry it. */
export type ConflictField = {
  key: string;
  theirs: number | null;
  by: string | null;
  at: string | Date | null;
};

/**
 * The form after a field-level conflict: this person's changes (typed values
 * that differ from what the form was loaded with) over everyone's current
 * values, and the current values as the new base and version.
 */
export function afterConflict(values: Record<string, string>, current: Counts, version: number): FormState {
  const now = countValues(current);
  return { values: rebased(mergeFormValues(values, now).merged, now, version), current: now };
}

/** The offer to move the status along with the figures, when the status is behind. */
function statusMarkFields(lang: Lang, status: Movement['status'], counts: Counts): FieldSpec[] {
  const offers = statusOffers(status);
  if (!offers.departed && !offers.arrived) return [];
  const ahead = statusDisagreement(status, counts);
  return [
    {
      name: 'mark',
      label: t(lang, 'ws.counts.mark'),
      kind: 'select',
      wide: true,
      hint: ahead
        ? t(lang, 'ws.counts.mark_disagrees', {
            stage: t(lang, `stage.${ahead}`),
            status: t(lang, `movement.status.${status}`),
          })
        : t(lang, 'ws.counts.mark_hint'),
      options: [
        {
          value: '',
          label: t(lang, 'ws.counts.mark_keep', { status: t(lang, `movement.status.${status}`) }),
        },
        ...(['departed', 'arrived'] as const)
          .filter((s) => offers[s])
          .map((s) => ({ value: s, label: t(lang, `ws.counts.mark_${s}`) })),
      ],
    },
    {
      name: 'mark_at',
      label: t(lang, 'ws.counts.mark_at'),
      kind: 'datetime',
      hint: t(lang, 'ws.counts.mark_at_hint'),
    },
  ];
}

type Extra = { userName?: string; conflictFields?: ConflictField[] };

export function presentCountEditor(
  lang: Lang,
  page: Page,
  state: FormState,
  canEdit: boolean,
  extra: Extra = {},
) {
  const { movement, operation, route } = page;
  const err = (k: string) => (state.errors?.[k] ? t(lang, state.errors[k]) : undefined);
  return {
    crumbs: crumbs(lang, operation, route),
    movementHref: `/staff/movements/${movement.id}`,
    label: movementLabel(movement, lang),
    action: `/staff/movements/${movement.id}/counts`,
    version: state.values.version ?? String(movement.version),
    base: baseValues(page.counts, state),
    stages: STAGES.map((s) => t(lang, `stage.${s}`)),
    rows: countRows(lang, state, err, currentNote(lang, state, extra.conflictFields, operation.timeZone)),
    rest: restOfForm(lang, state.values),
    canEdit,
    formError: state.errors?.version ? t(lang, 'ws.reload_form') : err('form'),
    meta: metaFields(lang, page, state, extra.userName),
  };
}

/**
 * "No breakdown reported" per stage, of the figures the form shows: what is typed (after a
 * conflict, this person's changes over everyone else's values: what saving again would write),
 * not the record's. A dash where the total is blank, a figure is not valid or the groups
 * exceed the total (the 422 says why beside the field).
 */
function restOfForm(lang: Lang, values: Record<string, string>) {
  const { counts, errors } = countsFromForm(values, '', false);
  return STAGES.map((stage) => {
    const rest = FIELDS.some((f) => errors[fieldKey(stage, f)]) ? null : notBrokenDown(counts[stage]);
    return rest === null || rest < 0 ? '—' : formatFigure(lang, rest);
  });
}

/** The hidden `base.*` fields: what each figure was when the form was loaded. */
function baseValues(counts: Counts, state: FormState) {
  return Object.entries(countValues(counts)).map(([key, value]) => ({
    name: `base.${key}`,
    value: state.values[`base.${key}`] ?? value,
  }));
}

/**
 * "Now: …" beside a cell, after a refused save. With the 409's field list (the editor's
 * field-level merge), only beside the fields both people changed: the other person's value
 * with who and when. A field only this person changed differs from the record too, but is
 * no conflict: saving again applies it (staff guide, "Field-level merge"). Only a refusal
 * that names no fields falls back to every cell whose record value differs from the typed one.
 */
function currentNote(lang: Lang, state: FormState, conflictFields: ConflictField[] | undefined, tz: string) {
  const conflicts = new Map((conflictFields ?? []).map((c) => [c.key, c]));
  return (k: string) => {
    const both = conflicts.get(k);
    if (conflictFields && !both) return undefined;
    if (both) {
      const value = both.theirs === null ? t(lang, 'ws.blank') : formatFigure(lang, both.theirs);
      return both.by && both.at
        ? t(lang, 'ws.counts.conflict_field', {
            value,
            who: both.by,
            when: formatDateTime(lang, new Date(both.at), tz),
          })
        : t(lang, 'ws.conflict.now', { value });
    }
    const now = state.current?.[k];
    return now === undefined || now === (state.values[k] ?? '')
      ? undefined
      : t(lang, 'ws.conflict.now', { value: now || t(lang, 'ws.blank') });
  };
}

/** The grid: one row per field (total, then each group), one cell per stage. */
function countRows(
  lang: Lang,
  state: FormState,
  err: (k: string) => string | undefined,
  cur: (k: string) => string | undefined,
) {
  return FIELDS.map((field) => {
    const label = field === 'total' ? t(lang, 'ws.counts.total') : t(lang, `group.${field}`);
    return {
      label,
      isTotal: field === 'total',
      cells: STAGES.map((stage) => {
        const name = fieldKey(stage, field);
        return {
          name,
          value: state.values[name] ?? '',
          error: err(name),
          /** The message key: data-error, what tests and scripts read. */
          errorCode: state.errors?.[name],
          current: cur(name),
          aria: `${t(lang, `stage.${stage}`)} — ${label}`,
        };
      }),
    };
  });
}

/** The fields under the grid: reason, source, the status offer and the as-of time. */
function metaFields(lang: Lang, page: Page, state: FormState, userName: string | undefined) {
  const { movement, operation } = page;
  // No source is chosen for the officer: the last one used is not necessarily this one's.
  const sourceValue = state.values.source ?? '';
  const specs: FieldSpec[] = [
    {
      name: 'reason',
      label: t(lang, 'ws.counts.reason'),
      hint: t(lang, 'ws.counts.reason_hint'),
      wide: true,
    },
    ...sourceChoiceFields(lang, { sources: page.sources, authority: operation.authority, userName }),
    ...statusMarkFields(lang, movement.status, page.counts),
    {
      name: 'as_of',
      label: t(lang, 'ws.counts.as_of'),
      kind: 'datetime',
      hint: t(lang, 'ws.counts.as_of_hint'),
    },
  ];
  return withZone(
    lang,
    operation.timeZone,
    presentFields(lang, specs, {
      values: { ...state.values, source: sourceValue },
      errors: state.errors,
      current: undefined,
    }),
  );
}

/** The count editor's whole page: after a 422 the typed form and its messages, after a 409 the conflict. */
export function presentCountEditorPage(
  lang: Lang,
  data: { page: Page; userName?: string },
  permissions: Permissions,
  view: { state?: FormState; conflict?: unknown },
) {
  const { page } = data;
  const { state, conflict } = view;
  const model = presentCountEditor(
    lang,
    page,
    state ?? { values: countValues(page.counts) },
    permissions.edit,
    {
      userName: data.userName,
      conflictFields: (conflict as { fields?: ConflictField[] } | undefined)?.fields,
    },
  );
  return {
    title: t(lang, 'ws.counts.title', { label: movementLabel(page.movement, lang) }),
    ...model,
    invalid: invalidBanner(lang, state?.errors),
    conflict: conflict ? presentConflict(lang, conflict, page.operation.timeZone) : undefined,
  };
}
