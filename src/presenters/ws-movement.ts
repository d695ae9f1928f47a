// View models of the movement page: its facts, read-only figures and details form,
// and the parts other movement pages share (crumbs, the form's fields and values).
// The count editor is in ws-count-editor.ts.
import { type Lang, localized, t } from '../i18n/index.ts';
import { GROUPS, STAGES, type Counts, notBrokenDown } from '../domain/figures.ts';
import { allowedTransitions } from '../domain/movement-status.ts';
import { MOVEMENT_KINDS } from '../domain/staff/movements.ts';
import type { loadMovementPage } from '../domain/staff/reads.ts';
import { formatDateTime, formatDay, formatFigure } from './format.ts';
import { localizedFieldSpecs, localizedValues } from './ws-localized-fields.ts';
import {
  type FormState,
  bool,
  instantToLocal,
  noteFields,
  options,
  presentFields,
  str,
  baseFields,
  withZone,
} from './ws-form.ts';
import { movementLabel } from './ws-labels.ts';

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
  const fields = withZone(
    lang,
    tz,
    movementFormFields(
      lang,
      page.legs,
      state,
      [movement.status, ...allowedTransitions(movement.status)],
      operation.workingLanguage,
    ),
  );
  return {
    crumbs: crumbs(lang, operation, route),
    label: movementLabel(movement, lang),
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
