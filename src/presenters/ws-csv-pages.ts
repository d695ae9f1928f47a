// Whole-page view models of the CSV pages (upload, dry run, applying): the routes
// load the data (domain/csv/import-pages.ts) and render what these return.
import type { Permissions } from '../domain/auth/permissions.ts';
import type { CsvError } from '../domain/csv/format.ts';
import type { ImportPage, UploadPage } from '../domain/csv/import-pages.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { presentCsvErrors, presentPlan, presentUploadForm } from './ws-csv.ts';
import { invalidBanner, withZone } from './ws-form.ts';
import { crumbs } from './ws-movement.ts';

export type UploadView = {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  csvErrors?: CsvError[];
  /** The signed-in officer, named by the "our own desk's record" source choice. */
  userName?: string;
};

export function presentUploadPage(lang: Lang, page: UploadPage, _permissions: Permissions, view: UploadView) {
  const { operation } = page;
  return {
    title: t(lang, 'ws.csv.import_title', { operation: localized(operation.names, lang) }),
    crumbs: crumbs(lang, operation),
    exportHref: `/staff/operations/${operation.id}/export.csv`,
    invalid: view.csvErrors?.length
      ? t(lang, 'ws.csv.rejected', { count: view.csvErrors.length })
      : invalidBanner(lang, view.errors),
    // The refusal's message key, for a test or a script to read without its wording.
    invalidCode: view.csvErrors?.length ? 'ws.csv.rejected' : undefined,
    csvErrors: view.csvErrors ? presentCsvErrors(lang, view.csvErrors) : undefined,
    form: (() => {
      const form = presentUploadForm(
        lang,
        operation.id,
        page.sources,
        { values: view.values ?? {}, errors: view.errors },
        { authority: operation.authority, userName: view.userName },
      );
      return { ...form, fields: withZone(lang, operation.timeZone, form.fields) };
    })(),
  };
}

/** The dry run; after a refused apply, `refused` (409 or 422) says why. */
export function presentImportPage(lang: Lang, page: ImportPage, _permissions: Permissions, refused?: number) {
  const { stored, operation, plan, applied } = page;
  return {
    title: t(lang, 'ws.csv.plan_title', { file: stored.filename }),
    crumbs: crumbs(lang, operation),
    invalid: refused
      ? t(lang, refused === 409 ? 'ws.csv.apply_conflict' : 'ws.csv.apply_invalid')
      : undefined,
    applied: applied
      ? t(lang, 'ws.csv.applied', { changed: applied.changed, unchanged: applied.unchanged })
      : undefined,
    csvErrors: plan.errors.length && !applied ? presentCsvErrors(lang, plan.errors) : undefined,
    ...presentPlan(lang, plan),
    apply: !applied && plan.errors.length === 0 ? { action: `/staff/imports/${stored.id}/apply` } : undefined,
    againHref: `/staff/operations/${operation.id}/import`,
  };
}

/** The lines streamed while an import is applied, in the reader's language. */
export const applyProgressText = {
  start: (lang: Lang, rows: number) => t(lang, 'ws.csv.progress_start', { rows }),
  progress: (lang: Lang, done: number, total: number) => t(lang, 'ws.csv.progress', { done, total }),
  done: (lang: Lang, r: { changed: number; unchanged: number }) => t(lang, 'ws.csv.applied', r),
  failed: (lang: Lang, code: string | undefined) =>
    t(
      lang,
      code === 'conflict'
        ? 'ws.csv.apply_conflict'
        : code === 'validation_failed'
          ? 'ws.csv.apply_invalid'
          : 'ws.csv.apply_failed',
    ),
  title: (lang: Lang) => t(lang, 'ws.csv.applying'),
};
