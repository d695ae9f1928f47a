// View models of the movement page and the count editor.
import { type Lang, localized, t } from '../i18n/index.ts';
import { FIELDS, GROUPS, STAGES, type Counts, fieldKey, notBrokenDown } from '../domain/figures.ts';
import { mergeFormValues, rebased } from '../domain/form-merge.ts';
import { allowedTransitions } from '../domain/movement-status.ts';
import { MOVEMENT_KINDS } from '../domain/staff/movements.ts';
import { sourceChoiceFields } from './ws-source-choice.ts';
import { statusDisagreement, statusOffers } from '../domain/staff/status-mark.ts';
import type { loadMovementPage } from '../domain/staff/reads.ts';
import { formatDateTime, formatDay, formatFigure } from './format.ts';
import { localizedFieldSpecs, localizedValues } from './ws-localized-fields.ts';
import {
  type FieldSpec,
  type FormState,
  bool,
  instantToLocal,
  noteFields,
  options,
  presentFields,
  str,
  baseFields,
} from './ws-form.ts';

type Page = Awaited<ReturnType<typeof loadMovementPage>>;
type Movement = Page['movement'];

export function movementValues(m: Movement, timeZone: string): Record<string, string> {
  return {
    ...localizedValues('label', m.labels),
    kind: m.kind,
    scheduledDate: str(m.scheduledDate),
    scheduledDepartureAt: instantToLocal(m.scheduledDepartureAt, timeZone),
    meetingPoint: str(m.meetingPoint),
    departedAt: instantToLocal(m.departedAt, timeZone),
    arrivedAt: instantToLocal(m.arrivedAt, timeZone),
    status: m.status,
    delayed: bool(m.delayed),
    capacity: str(m.capacity),
    currentLegId: str(m.currentLegId),
    ...localizedValues('publicNotes', m.publicNotes),
    staffNote: str(m.staffNote),
  };
}

export function countValues(counts: Counts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const stage of STAGES)
    for (const field of FIELDS) out[fieldKey(stage, field)] = str(counts[stage][field]);
  return out;
}

export function crumbs(
  lang: Lang,
  operation: { id: number; names: Page['operation']['names'] },
  route?: Page['route'],
) {
  const list = [{ href: `/staff/operations/${operation.id}`, label: localized(operation.names, lang) }];
  if (route) list.push({ href: `/staff/routes/${route.id}`, label: localized(route.names, lang) });
  return list;
}

export function movementFormFields(
  lang: Lang,
  legs: Page['legs'],
  state: FormState,
  statusChoices: readonly string[],
  workingLanguage: Lang,
) {
  const legOptions = legs.map((l) => ({
    value: String(l.id),
    label: `${l.position}. ${localized(l.from.names, lang)} → ${localized(l.to.names, lang)}`,
  }));
  return presentFields(
    lang,
    [
      ...localizedFieldSpecs(lang, 'label', t(lang, 'ws.movement.label'), workingLanguage),
      {
        name: 'kind',
        label: t(lang, 'ws.movement.kind'),
        kind: 'select',
        options: options(lang, 'ws.kind.', MOVEMENT_KINDS),
      },
      {
        name: 'status',
        label: t(lang, 'movement.status'),
        kind: 'select',
        options: options(lang, 'movement.status.', statusChoices),
        hint: t(lang, 'ws.movement.status_hint'),
      },
      { name: 'delayed', label: t(lang, 'movement.delayed'), kind: 'checkbox' },
      { name: 'scheduledDate', label: t(lang, 'ws.movement.scheduled_date'), kind: 'date' },
      { name: 'scheduledDepartureAt', label: t(lang, 'ws.movement.scheduled_departure'), kind: 'datetime' },
      { name: 'departedAt', label: t(lang, 'ws.movement.departed_at'), kind: 'datetime' },
      { name: 'arrivedAt', label: t(lang, 'ws.movement.arrived_at'), kind: 'datetime' },
      { name: 'capacity', label: t(lang, 'ws.movement.capacity'), kind: 'number' },
      {
        name: 'currentLegId',
        label: t(lang, 'ws.movement.current_leg'),
        kind: 'select',
        options: [{ value: '', label: t(lang, 'ws.none') }, ...legOptions],
      },
      { name: 'meetingPoint', label: t(lang, 'ws.movement.meeting_point'), wide: true },
      ...noteFields(lang, workingLanguage),
    ],
    state,
  );
}

export function figuresTable(lang: Lang, counts: Counts) {
  return STAGES.map((stage) => ({
    label: t(lang, `stage.${stage}`),
    total: formatFigure(lang, counts[stage].total),
    groups: GROUPS.filter((f) => counts[stage][f] !== null).map((f) => ({
      label: t(lang, `group.${f}`),
      value: formatFigure(lang, counts[stage][f]),
    })),
    rest: notBrokenDown(counts[stage]),
  }));
}

export function presentMovementPage(lang: Lang, page: Page, state: FormState, canEdit: boolean) {
  const { movement, operation, route } = page;
  const tz = operation.timeZone;
  const fields = movementFormFields(
    lang,
    page.legs,
    state,
    [movement.status, ...allowedTransitions(movement.status)],
    operation.workingLanguage,
  );
  return {
    crumbs: crumbs(lang, operation, route),
    label: movement.label,
    status: t(lang, `movement.status.${movement.status}`),
    statusClass: movement.status,
    facts: [
      {
        term: t(lang, 'movement.date'),
        value: movement.scheduledDate
          ? formatDay(lang, movement.scheduledDate)
          : t(lang, 'movement.date_not_reported'),
      },
      { term: t(lang, 'ws.version'), value: String(movement.version) },
      {
        term: t(lang, 'ws.updated'),
        value: `${formatDateTime(lang, movement.updatedAt, tz)}${page.updatedByName ? ` — ${page.updatedByName}` : ''}`,
      },
    ],
    figures: figuresTable(lang, page.counts),
    countsHref: `/staff/movements/${movement.id}/counts`,
    historyHref: `/staff/movements/${movement.id}/history`,
    canEdit,
    form: {
      action: `/staff/movements/${movement.id}`,
      hidden: [
        { name: 'version', value: state.values.version ?? String(movement.version) },
        ...baseFields(
          fields.map((x) => x.name),
          state,
          movementValues(movement, tz),
        ),
      ],
      legend: t(lang, 'ws.movement.details'),
      fields,
      submit: t(lang, 'ws.save'),
      readOnly: !canEdit,
      versionError: state.errors?.version ? t(lang, 'ws.reload_form') : undefined,
    },
  };
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

export function presentCountEditor(
  lang: Lang,
  page: Page,
  state: FormState,
  canEdit: boolean,
  extra: { userName?: string; conflictFields?: ConflictField[] } = {},
) {
  const { movement, operation, route } = page;
  const tz = operation.timeZone;
  const err = (k: string) => (state.errors?.[k] ? t(lang, state.errors[k]) : undefined);
  const conflicts = new Map((extra.conflictFields ?? []).map((c) => [c.key, c]));
  const cur = (k: string) => {
    const both = conflicts.get(k);
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
  const loaded = countValues(page.counts);
  const rows = FIELDS.map((field) => ({
    label: field === 'total' ? t(lang, 'ws.counts.total') : t(lang, `group.${field}`),
    isTotal: field === 'total',
    cells: STAGES.map((stage) => {
      const name = fieldKey(stage, field);
      return {
        name,
        value: state.values[name] ?? '',
        error: err(name),
        current: cur(name),
        aria: `${t(lang, `stage.${stage}`)} — ${field === 'total' ? t(lang, 'ws.counts.total') : t(lang, `group.${field}`)}`,
      };
    }),
  }));
  // No source is chosen for the officer: the last one used is not necessarily this one's.
  const sourceValue = state.values.source ?? '';
  return {
    crumbs: crumbs(lang, operation, route),
    movementHref: `/staff/movements/${movement.id}`,
    label: movement.label,
    action: `/staff/movements/${movement.id}/counts`,
    version: state.values.version ?? String(movement.version),
    base: Object.entries(loaded).map(([key, value]) => ({
      name: `base.${key}`,
      value: state.values[`base.${key}`] ?? value,
    })),
    stages: STAGES.map((s) => t(lang, `stage.${s}`)),
    rows,
    rest: STAGES.map((s) => {
      const rest = notBrokenDown(page.counts[s]);
      return rest === null ? '—' : formatFigure(lang, rest);
    }),
    canEdit,
    formError: state.errors?.version ? t(lang, 'ws.reload_form') : err('form'),
    meta: presentFields(
      lang,
      [
        {
          name: 'reason',
          label: t(lang, 'ws.counts.reason'),
          hint: t(lang, 'ws.counts.reason_hint'),
          wide: true,
        },
        ...sourceChoiceFields(lang, {
          sources: page.sources,
          authority: operation.authority,
          userName: extra.userName,
        }),
        ...statusMarkFields(lang, movement.status, page.counts),
        {
          name: 'as_of',
          label: t(lang, 'ws.counts.as_of'),
          kind: 'datetime',
          hint: t(lang, 'ws.counts.as_of_hint'),
        },
      ],
      { values: { ...state.values, source: sourceValue }, errors: state.errors, current: undefined },
    ),
  };
}
