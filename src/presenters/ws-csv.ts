// CSV pages: the upload form, the dry run (row by row), errors with row numbers.
import { type Lang, type LocalizedText, nativeName, t } from '../i18n/index.ts';
import { sourceChoiceFields } from './ws-source-choice.ts';
import { type ImportPlan, rowChanges } from '../domain/csv/import.ts';
import type { CsvError } from '../domain/csv/format.ts';
import { STAGES, type Field, type Stage } from '../domain/figures.ts';
import { formatFigure } from './format.ts';
import { type FormState, presentFields } from './ws-form.ts';

const label = (lang: Lang, stage: Stage, field: Field) =>
  `${t(lang, `stage.${stage}`)} — ${field === 'total' ? t(lang, 'ws.counts.total') : t(lang, `group.${field}`)}`;

export function presentCsvErrors(lang: Lang, errors: CsvError[]) {
  return errors.slice(0, 500).map((e) => ({
    row: e.row,
    column: e.column ?? '',
    message: t(lang, e.message, e.vars ?? {}),
  }));
}

export function presentPlan(lang: Lang, plan: ImportPlan) {
  return {
    summary: t(lang, 'ws.csv.summary', {
      rows: plan.rows.length,
      changed: plan.changed,
      unchanged: plan.unchanged,
    }),
    /** The same figures for data-* attributes (tests and scripts read these, not the sentence). */
    counts: { rows: plan.rows.length, changed: plan.changed, unchanged: plan.unchanged },
    rows: plan.rows.map((r) => ({
      row: r.row,
      movement: `${r.routeSlug} / ${r.label}`,
      changed: rowChanges(r),
      changes: rowChanges(r)
        ? [
            ...r.changes.map(
              (c) =>
                `${label(lang, c.stage, c.field)}: ${formatFigure(lang, c.oldValue)} → ${formatFigure(lang, c.newValue)}`,
            ),
            ...r.labelChanges.map((c) =>
              t(lang, 'ws.csv.label_change', { language: nativeName(c.lang), from: c.from || '—', to: c.to }),
            ),
          ]
        : [t(lang, 'ws.csv.unchanged')],
    })),
  };
}

export function presentUploadForm(
  lang: Lang,
  operationId: number,
  sources: { id: number; outlet: string; title: string; publishedOn: string }[],
  state: FormState,
  desk: { authority: LocalizedText | null; userName: string | undefined },
) {
  return {
    action: `/staff/operations/${operationId}/import`,
    multipart: true,
    hidden: [],
    legend: t(lang, 'ws.csv.upload'),
    submit: t(lang, 'ws.csv.check'),
    fields: [
      {
        name: 'file',
        label: t(lang, 'ws.csv.file'),
        type: 'file',
        // A file input takes no value (Nu: an error); a phone's picker offers CSV files first.
        isFile: true,
        accept: '.csv,text/csv',
        hint: t(lang, 'ws.csv.file_hint'),
        wide: true,
        error: state.errors?.file ? t(lang, state.errors.file) : undefined,
      },
      ...presentFields(
        lang,
        [
          {
            name: 'reason',
            label: t(lang, 'ws.counts.reason'),
            hint: t(lang, 'ws.csv.reason_hint'),
            wide: true,
          },
          ...sourceChoiceFields(lang, {
            sources,
            authority: desk.authority,
            userName: desk.userName,
            blankLabel: t(lang, 'ws.csv.source_from_file'),
            hint: t(lang, 'ws.csv.source_hint'),
          }),
          {
            name: 'as_of',
            label: t(lang, 'ws.counts.as_of'),
            kind: 'datetime',
            hint: t(lang, 'ws.counts.as_of_hint'),
          },
        ],
        state,
      ),
    ],
  };
}

export const STAGE_LIST = STAGES;
