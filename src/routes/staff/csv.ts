// CSV export and import of movement figures (format: docs/csv-format.md).
// Upload → dry run (the file is checked and stored, nothing else written) → apply in
// one transaction, its progress streamed to the page as it goes (no JavaScript needed;
// any app process can apply a stored file).
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { exportCsv } from '../../domain/csv/export.ts';
import { applyImport, checkImport, planImport, verifyImport } from '../../domain/csv/import.ts';
import type { CsvError } from '../../domain/csv/format.ts';
import { localToInstant } from '../../domain/staff/common.ts';
import { loadOperationPage, loadSources } from '../../domain/staff/reads.ts';
import { AppError, validationError } from '../../errors.ts';
import { type Lang, localized, t } from '../../i18n/index.ts';
import { presentStaffLayout } from '../../presenters/staff-layout.ts';
import { presentCsvErrors, presentPlan, presentUploadForm } from '../../presenters/ws-csv.ts';
import { invalidBanner } from '../../presenters/ws-form.ts';
import { crumbs } from '../../presenters/ws-movement.ts';
import { findImport } from '../../store/repositories/imports.ts';
import { csvUpload } from '../body-limits.ts';
import { staffRoute } from './define.ts';
import { actorOf, f, idParam, isCode, parseForm, typed } from './forms.ts';
import { renderStaff } from './render.ts';

const uploadForm = z.object({
  reason: f.optionalText(1000),
  source: f.optionalInt(1),
  // When the file's figures were true, wall clock in the operation's zone; blank = when applied.
  as_of: f.optionalDateTime(),
});
const PROGRESS_MARK = '<!--progress-->';

function decodeUtf8(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw validationError({ file: 'csv.encoding' });
  }
}

export function csvRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;

  staffRoute(router, 'get', '/operations/:id/export.csv', 'viewer', async (req, res) => {
    const { filename, content } = await exportCsv(db, idParam(req));
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
      })
      .send(content);
  });

  async function uploadPage(
    req: Request,
    res: Response,
    id: number,
    extra: { values?: Record<string, string>; errors?: Record<string, string>; csvErrors?: CsvError[] } = {},
    status = 200,
  ) {
    const lang: Lang = res.locals.lang;
    const { operation } = await loadOperationPage(db, id);
    const sources = await loadSources(db);
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-import',
      {
        title: t(lang, 'ws.csv.import_title', { operation: localized(operation.names, lang) }),
        crumbs: crumbs(lang, operation),
        exportHref: `/staff/operations/${id}/export.csv`,
        invalid: extra.csvErrors?.length
          ? t(lang, 'ws.csv.rejected', { count: extra.csvErrors.length })
          : invalidBanner(lang, extra.errors),
        csvErrors: extra.csvErrors ? presentCsvErrors(lang, extra.csvErrors) : undefined,
        form: presentUploadForm(lang, id, sources, { values: extra.values ?? {}, errors: extra.errors }),
      },
      status,
    );
  }

  staffRoute(router, 'get', '/operations/:id/import', 'officer', (req, res) =>
    uploadPage(req, res, idParam(req)),
  );

  staffRoute(
    router,
    'post',
    '/operations/:id/import',
    'officer',
    csvUpload(deps.config),
    async (req, res) => {
      const id = idParam(req);
      const values = typed(req.body);
      try {
        const form = parseForm(uploadForm, req.body);
        if (!req.file || req.file.size === 0) throw validationError({ file: 'csv.file_required' });
        const content = decodeUtf8(req.file.buffer);
        const { operation } = await loadOperationPage(db, id);
        const { importId } = await checkImport(
          { db, now: deps.clock.now() },
          {
            asOf: localToInstant(form.as_of, operation.timeZone, 'as_of'),
            operationId: id,
            filename: req.file.originalname,
            content,
            reason: form.reason ?? '',
            sourceId: form.source,
            actor: actorOf(res),
          },
        );
        res.redirect(303, `/staff/imports/${importId}`);
      } catch (err) {
        if (isCode(err, 'validation_failed')) {
          const csvErrors = (err.details.csvErrors as CsvError[] | undefined) ?? undefined;
          return uploadPage(req, res, id, { values, errors: err.fields, csvErrors }, 422);
        }
        throw err;
      }
    },
  );

  async function importPage(req: Request, res: Response, importId: number, status = 200, alert?: string) {
    const lang: Lang = res.locals.lang;
    const stored = await findImport(db, importId);
    if (!stored) throw new AppError('not_found', 'Import not found.');
    const { operation } = await loadOperationPage(db, stored.operationId);
    const plan = await planImport(db, stored.operationId, stored.content, stored);
    const applied =
      stored.status === 'applied' ? (stored.result as { changed: number; unchanged: number }) : undefined;
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-import-plan',
      {
        title: t(lang, 'ws.csv.plan_title', { file: stored.filename }),
        crumbs: crumbs(lang, operation),
        invalid: alert,
        applied: applied
          ? t(lang, 'ws.csv.applied', { changed: applied.changed, unchanged: applied.unchanged })
          : undefined,
        csvErrors: plan.errors.length && !applied ? presentCsvErrors(lang, plan.errors) : undefined,
        ...presentPlan(lang, plan),
        apply:
          !applied && plan.errors.length === 0 ? { action: `/staff/imports/${importId}/apply` } : undefined,
        againHref: `/staff/operations/${operation.id}/import`,
      },
      status,
    );
  }

  staffRoute(router, 'get', '/imports/:id', 'officer', (req, res) => importPage(req, res, idParam(req)));

  staffRoute(router, 'post', '/imports/:id/apply', 'officer', async (req, res) => {
    const importId = idParam(req);
    const lang: Lang = res.locals.lang;
    // Refuse what can be refused before the page starts streaming (status codes still work).
    try {
      await verifyImport(db, importId);
    } catch (err) {
      if (isCode(err, 'conflict'))
        return importPage(req, res, importId, 409, t(lang, 'ws.csv.apply_conflict'));
      if (isCode(err, 'validation_failed'))
        return importPage(req, res, importId, 422, t(lang, 'ws.csv.apply_invalid'));
      throw err;
    }
    const stored = (await findImport(db, importId))!;
    const layout = presentStaffLayout({
      lang,
      user: res.locals.user,
      path: `/staff/imports/${importId}`,
      csrfToken: res.locals.csrfToken,
      title: t(lang, 'ws.csv.applying'),
    });
    const page = deps.renderer.render(
      'staff/ws-import-apply',
      {
        ...layout,
        csrfToken: res.locals.csrfToken,
        file: stored.filename,
        importHref: `/staff/imports/${importId}`,
        mark: PROGRESS_MARK,
      },
      'layouts/staff',
    );
    const [head, tail] = page.split(PROGRESS_MARK) as [string, string];
    res.status(200).set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    // Browsers start painting after the first kilobyte or so.
    res.write(head.replace('</head>', `<!--${' '.repeat(1024)}-->\n</head>`));
    const li = (text: string, cls = '') =>
      res.write(`<li${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</li>\n`);
    li(t(lang, 'ws.csv.progress_start', { rows: stored.rowCount }));
    try {
      const result = await applyImport(
        { db, metrics: deps.metrics },
        {
          importId,
          actor: actorOf(res),
          onProgress: (done, total) => void li(t(lang, 'ws.csv.progress', { done, total })),
        },
      );
      li(t(lang, 'ws.csv.applied', { changed: result.changed, unchanged: result.unchanged }), 'done');
    } catch (err) {
      deps.logger.warn({ err, importId }, 'CSV import not applied');
      li(
        t(
          lang,
          isCode(err, 'conflict')
            ? 'ws.csv.apply_conflict'
            : isCode(err, 'validation_failed')
              ? 'ws.csv.apply_invalid'
              : 'ws.csv.apply_failed',
        ),
        'failed',
      );
    }
    res.end(tail.replace('{{links}}', ''));
  });

  return router;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
