// View models of the movement page and the count editor.
import { type Lang, localized, t } from '../i18n/index.ts';
import { FIELDS, GROUPS, STAGES, type Counts, fieldKey, notBrokenDown } from '../domain/figures.ts';
import { allowedTransitions } from '../domain/movement-status.ts';
import { MOVEMENT_KINDS } from '../domain/staff/movements.ts';
import type { loadMovementPage } from '../domain/staff/reads.ts';
import { formatDateTime, formatDay, formatFigure } from './format.ts';
import { localizedFieldSpecs, localizedValues } from './ws-localized-fields.ts';
import { type FormState, bool, instantToLocal, noteFields, options, presentFields, str } from './ws-form.ts';

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
      hidden: [{ name: 'version', value: state.values.version ?? String(movement.version) }],
      legend: t(lang, 'ws.movement.details'),
      fields: movementFormFields(
        lang,
        page.legs,
        state,
        [movement.status, ...allowedTransitions(movement.status)],
        operation.workingLanguage,
      ),
      submit: t(lang, 'ws.save'),
      readOnly: !canEdit,
      versionError: state.errors?.version ? t(lang, 'ws.reload_form') : undefined,
    },
  };
}

export function presentCountEditor(lang: Lang, page: Page, state: FormState, canEdit: boolean) {
  const { movement, operation, route } = page;
  const err = (k: string) => (state.errors?.[k] ? t(lang, state.errors[k]) : undefined);
  const cur = (k: string) => {
    const now = state.current?.[k];
    return now === undefined || now === (state.values[k] ?? '')
      ? undefined
      : t(lang, 'ws.conflict.now', { value: now || t(lang, 'ws.blank') });
  };
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
  const sourceValue = state.values.source ?? str(page.countsSourceId);
  return {
    crumbs: crumbs(lang, operation, route),
    movementHref: `/staff/movements/${movement.id}`,
    label: movement.label,
    action: `/staff/movements/${movement.id}/counts`,
    version: state.values.version ?? String(movement.version),
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
        {
          name: 'source',
          label: t(lang, 'ws.counts.source'),
          kind: 'select',
          wide: true,
          options: [
            { value: '', label: t(lang, 'ws.counts.source_new') },
            ...page.sources.map((s) => ({
              value: String(s.id),
              label: `${s.outlet} — ${s.title} (${formatDay(lang, s.publishedOn)})`,
            })),
          ],
        },
        {
          name: 'new_source_outlet',
          label: t(lang, 'ws.counts.new_source_outlet'),
          hint: t(lang, 'ws.counts.new_source_hint'),
        },
        { name: 'new_source_title', label: t(lang, 'ws.counts.new_source_title') },
        { name: 'new_source_url', label: t(lang, 'ws.counts.new_source_url'), kind: 'url' },
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
