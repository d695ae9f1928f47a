// Form fields and values of operations, places, routes, legs and notices.
import { type LocalizedText } from '../../db/schema.ts';
import { CROSSING_STATUSES, LEG_MODES } from '../domain/vocabulary.ts';
import { LANGUAGES, type Lang, localized, nativeName, t } from '../i18n/index.ts';
import type { loadLegPage, loadOperationPage, loadRoutePage } from '../domain/staff/reads.ts';
import {
  type FieldSpec,
  type FormState,
  baseFields,
  bool,
  instantToLocal,
  noteFields,
  options,
  presentFields,
  str,
  zoneHint,
} from './ws-form.ts';
import { formatDay } from './format.ts';
import { localizedFieldSpecs, localizedValues } from './ws-localized-fields.ts';

type Op = Awaited<ReturnType<typeof loadOperationPage>>['operation'];
type RoutePage = Awaited<ReturnType<typeof loadRoutePage>>;
type Place = RoutePage['places'][number];
type Leg = Awaited<ReturnType<typeof loadLegPage>>['leg'];
type Notice = Awaited<ReturnType<typeof loadOperationPage>>['notices'][number];

const names = (lang: Lang, prefix = 'name'): FieldSpec[] => [
  { name: `${prefix}_en`, label: t(lang, `ws.${prefix}.en`) },
  { name: `${prefix}_ru`, label: t(lang, `ws.${prefix}.ru`) },
  { name: `${prefix}_kk`, label: t(lang, `ws.${prefix}.kk`) },
];
const nameValues = (n: LocalizedText, prefix = 'name') => ({
  [`${prefix}_en`]: n.en,
  [`${prefix}_ru`]: n.ru ?? '',
  [`${prefix}_kk`]: n.kk ?? '',
});

export const operationFields = (lang: Lang): FieldSpec[] => [
  { name: 'slug', label: t(lang, 'ws.slug'), hint: t(lang, 'ws.slug_hint') },
  ...names(lang),
  { name: 'timeZone', label: t(lang, 'ws.operation.time_zone') },
  { name: 'isPublic', label: t(lang, 'ws.operation.is_public'), kind: 'checkbox' },
  {
    name: 'status',
    label: t(lang, 'ws.operation.status'),
    kind: 'select',
    options: options(lang, 'ws.operation.status.', ['active', 'closed']),
  },
  {
    name: 'staleAfterHours',
    label: t(lang, 'ws.settings.stale'),
    kind: 'number',
    hint: t(lang, 'ws.settings.stale_hint'),
  },
  {
    name: 'smallCountThreshold',
    label: t(lang, 'ws.settings.small'),
    kind: 'number',
    hint: t(lang, 'ws.settings.small_hint'),
  },
  {
    name: 'publicationDelayMinutes',
    label: t(lang, 'ws.settings.delay'),
    kind: 'number',
    hint: t(lang, 'ws.settings.delay_hint'),
  },
  { name: 'digestTime', label: t(lang, 'ws.settings.digest_time'), hint: 'HH:MM' },
  {
    name: 'workingLanguage',
    label: t(lang, 'ws.operation.working_language'),
    kind: 'select',
    options: LANGUAGES.map((code) => ({ value: code, label: nativeName(code) })),
    hint: t(lang, 'ws.operation.working_language_hint'),
  },
];
export const operationValues = (o: Op) => ({
  slug: o.slug,
  ...nameValues(o.names),
  timeZone: o.timeZone,
  isPublic: bool(o.isPublic),
  status: o.status,
  staleAfterHours: str(o.staleAfterHours),
  smallCountThreshold: str(o.smallCountThreshold),
  publicationDelayMinutes: str(o.publicationDelayMinutes),
  digestTime: o.digestTime,
  workingLanguage: o.workingLanguage,
});
/** A new operation's form: its zone defaults to the staff's (config STAFF_TIME_ZONE). */
export const newOperationValues = (timeZone: string) => ({
  timeZone,
  status: 'active',
  staleAfterHours: '12',
  smallCountThreshold: '5',
  publicationDelayMinutes: '0',
  digestTime: '20:00',
  workingLanguage: 'en',
});

export const placeFields = (lang: Lang): FieldSpec[] => [
  { name: 'slug', label: t(lang, 'ws.slug'), hint: t(lang, 'ws.slug_hint') },
  ...names(lang),
  { name: 'countryCode', label: t(lang, 'ws.place.country'), hint: 'KZ, AE, IR…' },
  {
    name: 'kind',
    label: t(lang, 'ws.place.kind'),
    kind: 'select',
    options: options(lang, 'ws.place.kind.', ['city', 'airport', 'border_crossing', 'country']),
  },
];
export const placeValues = (p: Place) => ({
  slug: p.slug,
  ...nameValues(p.names),
  countryCode: p.countryCode,
  kind: p.kind,
});

export const routeFields = (
  lang: Lang,
  sources: RoutePage['sources'],
  workingLanguage: Lang,
): FieldSpec[] => [
  { name: 'slug', label: t(lang, 'ws.slug'), hint: t(lang, 'ws.slug_hint') },
  ...names(lang),
  { name: 'position', label: t(lang, 'ws.route.position'), kind: 'number' },
  {
    name: 'sourceId',
    label: t(lang, 'ws.counts.source'),
    kind: 'select',
    options: [
      { value: '', label: t(lang, 'ws.none') },
      ...sources.map((s) => ({
        value: String(s.id),
        label: sourceLabel(lang, s),
      })),
    ],
  },
  ...noteFields(lang, workingLanguage),
];
type SourceOption = RoutePage['sources'][number];
const sourceLabel = (lang: Lang, s: SourceOption) =>
  `${s.outlets[lang] ?? s.outlet} — ${s.titles[lang] ?? s.title} (${formatDay(lang, s.publishedOn)})`;
export const routeValues = (r: RoutePage['route']) => ({
  slug: r.slug,
  ...nameValues(r.names),
  position: str(r.position),
  sourceId: str(r.sourceId),
  ...localizedValues('publicNotes', r.publicNotes),
  staffNote: str(r.staffNote),
});

export const legFields = (lang: Lang, places: Place[]): FieldSpec[] => {
  const placeOptions = [
    { value: '', label: t(lang, 'ws.choose') },
    ...places.map((p) => ({ value: String(p.id), label: `${localized(p.names, lang)} (${p.countryCode})` })),
  ];
  return [
    { name: 'fromPlaceId', label: t(lang, 'ws.leg.from'), kind: 'select', options: placeOptions },
    { name: 'toPlaceId', label: t(lang, 'ws.leg.to'), kind: 'select', options: placeOptions },
    {
      name: 'mode',
      label: t(lang, 'ws.leg.mode'),
      kind: 'select',
      options: options(lang, 'mode.', LEG_MODES),
    },
    { name: 'crossesBorder', label: t(lang, 'ws.leg.crosses_border'), kind: 'checkbox' },
    {
      name: 'crossingStatus',
      label: t(lang, 'ws.leg.crossing_status'),
      kind: 'select',
      options: options(lang, 'crossing.', CROSSING_STATUSES, t(lang, 'crossing.unknown')),
    },
  ];
};
export const legValues = (l: Leg) => ({
  fromPlaceId: str(l.fromPlaceId),
  toPlaceId: str(l.toPlaceId),
  mode: l.mode,
  crossesBorder: bool(l.crossesBorder),
  crossingStatus: str(l.crossingStatus),
});
export const crossingFields = (lang: Lang): FieldSpec[] => [
  {
    name: 'crossingStatus',
    label: t(lang, 'ws.leg.crossing_status'),
    kind: 'select',
    options: options(lang, 'crossing.', CROSSING_STATUSES, t(lang, 'crossing.unknown')),
  },
];

/** A notice: its text per language side by side, the operation's working language first (required). */
export const noticeFields = (
  lang: Lang,
  workingLanguage: Lang,
  sources: SourceOption[],
  timeZone: string,
): FieldSpec[] => [
  ...localizedFieldSpecs(lang, 'body', t(lang, 'ws.notice.body'), workingLanguage, 'textarea'),
  {
    // A notice that states a report's fact cites it; the page shows the citation under it.
    name: 'sourceId',
    label: t(lang, 'ws.notice.source'),
    kind: 'select',
    hint: t(lang, 'ws.notice.source_hint'),
    options: [
      { value: '', label: t(lang, 'ws.notice.source_none') },
      ...sources.map((s) => ({ value: String(s.id), label: sourceLabel(lang, s) })),
    ],
  },
  { name: 'pinned', label: t(lang, 'ws.notice.pinned'), kind: 'checkbox' },
  {
    name: 'expiresAt',
    label: t(lang, 'ws.notice.expires'),
    kind: 'datetime',
    hint: zoneHint(lang, timeZone, t(lang, 'ws.notice.expires_hint')),
  },
];
export const noticeValues = (n: Notice, tz: string) => ({
  ...localizedValues('body', n.bodies),
  sourceId: str(n.sourceId),
  pinned: bool(n.pinned),
  expiresAt: instantToLocal(n.expiresAt, tz),
});

/** One form of a page; `focus` carries the typed values/errors when this form was the one posted. */
export type Focus = {
  key: string;
  state: FormState;
  conflict?: ReturnType<typeof import('./ws-form.ts').presentConflict>;
};

export function form(
  lang: Lang,
  key: string,
  input: {
    action: string;
    specs: FieldSpec[];
    values: Record<string, string>;
    version?: number;
    submit: string;
    legend?: string;
    readOnly?: boolean;
    /**
     * A form that edits the record it is versioned by carries the values it was loaded
     * with, for the field-level merge (default); false for a form that adds to it.
     */
    merge?: boolean;
  },
  focus?: Focus,
) {
  const mine = focus?.key === key ? focus : undefined;
  const state = mine?.state ?? { values: input.values };
  const hidden =
    input.version === undefined
      ? []
      : [
          { name: 'version', value: state.values.version ?? String(input.version) },
          ...(input.merge === false
            ? []
            : baseFields(
                input.specs.map((s) => s.name),
                state,
                input.values,
              )),
        ];
  return {
    action: input.action,
    hidden,
    legend: input.legend,
    fields: presentFields(lang, input.specs, state),
    submit: input.submit,
    readOnly: input.readOnly ?? false,
    versionError: state.errors?.version ? t(lang, 'ws.reload_form') : undefined,
    conflict: mine?.conflict,
  };
}
