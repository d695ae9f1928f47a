// CSV export and import of movement figures (format: docs/csv-format.md).
// Upload → dry run (the file is checked and stored, nothing else written) → apply in
// short transactions (src/domain/csv/apply.ts), its progress streamed as each commits (no JavaScript;
// any app process can apply a stored file). Pages: presenters/ws-csv-pages.ts.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { exportCsvChunks } from '../../domain/csv/export.ts';
import { applyImport } from '../../domain/csv/apply.ts';
import { checkImport, verifyImport } from '../../domain/csv/import.ts';
import { loadImportPage, loadImportSummary, loadUploadPage } from '../../domain/csv/import-pages.ts';
import { type CsvError, looksUtf16 } from '../../domain/csv/format.ts';
import { sourceChoiceOf } from '../../domain/staff/source-choice.ts';
import { localToInstant } from '../../domain/staff/common.ts';
import { loadOperationPage } from '../../domain/staff/reads.ts';
import { AppError, validationError } from '../../errors.ts';
import { presentStaffLayout } from '../../presenters/staff-layout.ts';
import {
  type UploadView,
  applyProgressText,
  presentImportPage,
  presentUploadPage,
} from '../../presenters/ws-csv-pages.ts';
import { csvUpload } from '../body-limits.ts';
import { writeChunks } from '../write-chunks.ts';
import { handleForm } from '../form-pipeline.ts';
import { locals, permissions } from '../locals.ts';
import { staffRoute } from './define.ts';
import { actorOf, f, idParam, isCode } from './forms.ts';
import { renderStaff } from './render.ts';

const uploadForm = z.object({
  reason: f.optionalText(1000),
  source: f.optionalText(20),
  new_source_outlet: f.optionalText(300),
  new_source_title: f.optionalText(500),
  new_source_url: f.optionalUrl(1000),
  // When the file's figures were true, wall clock in the operation's zone; blank = when applied.
  as_of: f.optionalDateTime(),
});
const PROGRESS_MARK = '<!--progress-->';

/** The file as UTF-8 text, or 422 csv.encoding (invalid UTF-8, or UTF-16 without its mark). */
function decodeUtf8(buffer: Buffer): string {
  if (looksUtf16(buffer)) throw validationError({ file: 'csv.encoding' });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw validationError({ file: 'csv.encoding' });
  }
}

/** The upload form as checkImport takes it; a validation_failed error (422) when it is not valid. */
async function uploadInput(
  db: AppDeps['database']['db'],
  req: Request,
  res: Response,
  form: z.infer<typeof uploadForm>,
) {
  if (!req.file || req.file.size === 0) throw validationError({ file: 'csv.file_required' });
  const source = sourceChoiceOf(form);
  const { operation } = await loadOperationPage(db, idParam(req));
  return {
    asOf: localToInstant(form.as_of, operation.timeZone, 'as_of'),
    operationId: idParam(req),
    filename: req.file.originalname,
    content: decodeUtf8(req.file.buffer),
    reason: form.reason ?? '',
    source,
    actor: actorOf(res),
  };
}

/**
 * Starts the apply page's stream: the page up to its progress list is sent at once,
 * then one list item per line(), and the rest of the page at end().
 */
function startProgressPage(
  deps: Pick<AppDeps, 'renderer'>,
  res: Response,
  importId: number,
  filename: string,
) {
  const { lang, user, csrfToken } = locals(res);
  const layout = presentStaffLayout({
    lang,
    user,
    path: `/staff/imports/${importId}`,
    csrfToken,
    title: applyProgressText.title(lang),
  });
  const html = deps.renderer.render(
    'staff/ws-import-apply',
    { ...layout, csrfToken, file: filename, importHref: `/staff/imports/${importId}`, mark: PROGRESS_MARK },
    'layouts/staff',
  );
  const [head, tail] = html.split(PROGRESS_MARK) as [string, string];
  res.status(200).set({
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
  });
  // Browsers start painting after the first kilobyte or so.
  res.write(head.replace('</head>', `<!--${' '.repeat(1024)}-->\n</head>`));
  return {
    /** One line; `data` become data-* attributes, the stable form tests and scripts read. */
    line: (text: string, cls = '', data: Record<string, string | number> = {}) => {
      const attrs = Object.entries(data).map(([k, v]) => ` data-${k}="${escapeHtml(String(v))}"`);
      res.write(`<li${cls ? ` class="${cls}"` : ''}${attrs.join('')}>${escapeHtml(text)}</li>\n`);
    },
    end: () => res.end(tail.replace('{{links}}', '')),
  };
}

export function csvRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;

  staffRoute(router, 'get', '/operations/:id/export.csv', 'viewer', async (req, res) => {
    const { filename, chunks } = await exportCsvChunks(db, idParam(req));
    res.status(200).set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    });
    await writeChunks(res, chunks);
  });

  async function uploadPage(req: Request, res: Response, view: UploadView = {}, status = 200) {
    const page = await loadUploadPage(db, idParam(req));
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-import',
      presentUploadPage(locals(res).lang, page, permissions(res), {
        ...view,
        userName: locals(res).user?.name,
      }),
      status,
    );
  }

  staffRoute(router, 'get', '/operations/:id/import', 'officer', (req, res) => uploadPage(req, res));

  staffRoute(router, 'post', '/operations/:id/import', 'officer', csvUpload(deps.config), (req, res) =>
    handleForm(req, res, {
      schema: uploadForm,
      run: async (form) => {
        const input = await uploadInput(db, req, res, form);
        const { importId } = await checkImport({ db, now: deps.clock.now() }, input);
        return `/staff/imports/${importId}`;
      },
      fail: (x) =>
        x.status === 422
          ? uploadPage(
              req,
              res,
              {
                values: x.values,
                errors: x.errors,
                csvErrors: x.details.csvErrors as CsvError[] | undefined,
              },
              422,
            )
          : Promise.reject(x.error),
    }),
  );

  async function importPage(req: Request, res: Response, refused?: number) {
    const page = await loadImportPage(db, idParam(req));
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-import-plan',
      presentImportPage(locals(res).lang, page, permissions(res), refused),
      refused ?? 200,
    );
  }

  staffRoute(router, 'get', '/imports/:id', 'officer', (req, res) => importPage(req, res));

  staffRoute(router, 'post', '/imports/:id/apply', 'officer', async (req, res) => {
    const importId = idParam(req);
    const lang = locals(res).lang;
    // Refuse what can be refused before the page starts streaming (status codes still work).
    try {
      await verifyImport(db, importId);
    } catch (err) {
      if (isCode(err, 'conflict') || isCode(err, 'validation_failed'))
        return importPage(req, res, err.status);
      throw err;
    }
    const stored = await loadImportSummary(db, importId);
    const page = startProgressPage(deps, res, importId, stored.filename);
    page.line(applyProgressText.start(lang, stored.rowCount));
    try {
      const result = await applyImport(
        { db, metrics: deps.metrics, clock: deps.clock },
        {
          importId,
          actor: actorOf(res),
          onProgress: (done, total) => page.line(applyProgressText.progress(lang, done, total)),
        },
      );
      page.line(applyProgressText.done(lang, result), 'done', {
        changed: result.changed,
        unchanged: result.unchanged,
      });
    } catch (err) {
      deps.logger.warn({ err, importId }, 'CSV import not applied');
      const code = err instanceof AppError ? err.code : undefined;
      page.line(applyProgressText.failed(lang, code), 'failed', { error: code ?? 'failed' });
    }
    page.end();
  });

  return router;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
