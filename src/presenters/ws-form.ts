// Form view models for the staff workspace: every field with its label, the
// value to show (what was typed, on a refused form), its message and, after a
// conflict, what the record holds now.
import { localDateTime } from '../domain/calendar.ts';
import { type Lang, t } from '../i18n/index.ts';
import { formatDateTime } from './format.ts';
import type { FieldKind, FieldSpec } from './ws-field-spec.ts';
import { localizedFieldSpecs } from './ws-localized-fields.ts';

export type { FieldKind, FieldSpec } from './ws-field-spec.ts';

export type FormState = {
  values: Record<string, string>;
  errors?: Record<string, string>;
  /** After a conflict: the record's values now. */
  current?: Record<string, string>;
};

/**
 * A date-time field's hint says whose clock it is: a desk abroad (Dubai is UTC+4) typing its
 * own wall time into a field read in the operation's zone (Almaty, UTC+5) would be an hour off.
 */
export function zoneHint(lang: Lang, timeZone: string, hint?: string): string {
  return [hint, t(lang, 'ws.time_zone_hint', { zone: timeZone })].filter(Boolean).join(' ');
}

/** The same, on fields already presented: every date-time input gets the zone in its hint. */
export function withZone<F extends { type: string; hint?: string }>(
  lang: Lang,
  timeZone: string,
  fields: F[],
): F[] {
  return fields.map((f) =>
    f.type === 'datetime-local' ? { ...f, hint: zoneHint(lang, timeZone, f.hint) } : f,
  );
}

const INPUT_TYPE: Partial<Record<FieldKind, string>> = {
  date: 'date',
  datetime: 'datetime-local',
  url: 'url',
};

export function presentFields(lang: Lang, specs: FieldSpec[], state: FormState) {
  return specs.map((spec) => {
    const kind = spec.kind ?? 'text';
    const value = state.values[spec.name] ?? '';
    const now = state.current?.[spec.name];
    const optionLabel = (v: string) => spec.options?.find((o) => o.value === v)?.label ?? v;
    const shownNow =
      now === undefined || now === value
        ? undefined
        : kind === 'checkbox'
          ? t(lang, now === '1' ? 'ws.yes' : 'ws.no')
          : kind === 'select'
            ? optionLabel(now)
            : now || t(lang, 'ws.blank');
    const error = state.errors?.[spec.name];
    return {
      name: spec.name,
      label: spec.label,
      type: INPUT_TYPE[kind] ?? 'text',
      inputmode: kind === 'number' ? 'numeric' : undefined,
      isSelect: kind === 'select',
      isTextarea: kind === 'textarea',
      isCheckbox: kind === 'checkbox',
      checked: kind === 'checkbox' && value === '1',
      value,
      options: spec.options?.map((o) => ({ ...o, selected: o.value === value })),
      hint: spec.hint,
      wide: spec.wide ?? kind === 'textarea',
      fieldLang: spec.fieldLang,
      current: shownNow === undefined ? undefined : t(lang, 'ws.conflict.now', { value: shownNow }),
      error: error ? t(lang, error) : undefined,
    };
  });
}

/**
 * The hidden `base.*` fields of a versioned form: what each field was loaded with, for
 * the field-level merge (routes/form-merge.ts). A refused form keeps the base it was
 * posted with; after a conflict the pipeline has put the record's values now there.
 */
export function baseFields(names: string[], state: FormState, loaded: Record<string, string>) {
  return names.map((name) => ({
    name: `base.${name}`,
    value: state.values[`base.${name}`] ?? loaded[name] ?? '',
  }));
}

/** The banner above a form refused as stale. */
export function presentConflict(
  lang: Lang,
  details: { updatedBy?: unknown; updatedAt?: unknown } | undefined,
  timeZone: string,
) {
  if (!details) return undefined;
  const at = details.updatedAt ? new Date(details.updatedAt as string | Date) : null;
  const who = typeof details.updatedBy === 'string' ? details.updatedBy : t(lang, 'ws.someone');
  return {
    title: t(lang, 'ws.conflict.title'),
    who: at
      ? t(lang, 'ws.conflict.who_when', { who, when: formatDateTime(lang, at, timeZone) })
      : t(lang, 'ws.conflict.who', { who }),
    advice: t(lang, 'ws.conflict.advice'),
  };
}

export function invalidBanner(lang: Lang, errors: Record<string, string> | undefined) {
  return errors && Object.keys(errors).length ? t(lang, 'ws.invalid') : undefined;
}

/** An instant as the operation's wall clock, for a datetime-local input. */
export function instantToLocal(date: Date | null, timeZone: string): string {
  if (!date) return '';
  return localDateTime(date, timeZone);
}

export const str = (v: number | string | null | undefined) =>
  v === null || v === undefined ? '' : String(v);
export const bool = (v: boolean) => (v ? '1' : '');

export function options(lang: Lang, prefix: string, values: readonly string[], blank?: string) {
  const list = values.map((v) => ({ value: v, label: t(lang, `${prefix}${v}`) }));
  return blank === undefined ? list : [{ value: '', label: blank }, ...list];
}

/**
 * The public note (one field per language, the working language first) and the
 * staff-only note, the same on every form that has notes.
 */
export const noteFields = (lang: Lang, workingLanguage: Lang): FieldSpec[] => [
  ...localizedFieldSpecs(lang, 'publicNotes', t(lang, 'ws.note.public'), workingLanguage, 'textarea').map(
    (spec, i) => (i === 0 ? { ...spec, hint: `${t(lang, 'ws.note.public_hint')} ${spec.hint}` } : spec),
  ),
  {
    name: 'staffNote',
    label: t(lang, 'ws.note.staff'),
    kind: 'textarea',
    hint: t(lang, 'ws.note.staff_hint'),
  },
];

const SAVED: Record<string, string> = {
  counts: 'ws.saved.counts',
  unchanged: 'ws.saved.unchanged',
  details: 'ws.saved.details',
  created: 'ws.saved.created',
  undone: 'ws.saved.undone',
};

/** The "saved" line after a form's 303 (?saved=…); nothing for an unknown value. */
export function presentSaved(lang: Lang, saved: unknown): string | undefined {
  const key = typeof saved === 'string' ? SAVED[saved] : undefined;
  return key ? t(lang, key) : undefined;
}

type WithForms = { forms?: object[]; lists?: { items?: { form?: object }[] }[] };

/**
 * Several forms on one staff page share field names (a place's latitude in each card), so each
 * form gets an id prefix (`idp`) and a label points at its own input: "l0-2-" for the first
 * list's third card, "f1-" for the page's second form; the first form keeps the bare ids
 * ("f-name", "err-name").
 */
export function withFormIds<M extends object>(page: M): M {
  const model = page as M & WithForms;
  return {
    ...model,
    ...(model.forms && { forms: model.forms.map((f, i) => ({ ...f, idp: i ? `f${i}-` : '' })) }),
    ...(model.lists && {
      lists: model.lists.map((list, l) => ({
        ...list,
        ...(list.items && {
          items: list.items.map((item, i) =>
            item.form ? { ...item, form: { ...item.form, idp: `l${l}-${i}-` } } : item,
          ),
        }),
      })),
    }),
  };
}
