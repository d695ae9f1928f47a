// Staff: preview any day's digest in any language and version; manage the staff
// recipients (admins). Mounted at /staff/digest. Pages: presenters/staff-digest-pages.ts.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { isDay } from '../../domain/calendar.ts';
import { loadDigestPreview, operationChoice } from '../../domain/digest/preview.ts';
import { yearInWindow } from '../../domain/input-rules.ts';
import { addStaffRecipient, removeStaffRecipientById, staffRecipients } from '../../domain/subscriptions.ts';
import { notFound, validationError } from '../../errors.ts';
import { LANGUAGES, type Lang, isLang } from '../../i18n/index.ts';
import { createDigestComposer } from '../../mail/compose.ts';
import { presentDigestPreviewPage, presentRecipientsPage } from '../../presenters/staff-digest-pages.ts';
import { handleForm } from '../form-pipeline.ts';
import { locals, permissions } from '../locals.ts';
import { staffRoute } from './define.ts';
import { f, idParam } from './forms.ts';
import { renderStaff } from './render.ts';

const previewQuery = z.object({
  operation: z.string().max(200).optional(),
  lang: z.string().optional(),
  audience: z.enum(['public', 'staff']).optional(),
});
const recipientForm = z.object({
  email: f.text(254).pipe(z.email('subscribe.error.email')),
  language: f.oneOf(LANGUAGES),
  operation: f.text(200),
});
const operationField = z.object({ operation: f.optionalText(200) });

/** A day asked for that is not a calendar day in 2000–2100 (9999-12-31, 2026-02-30) is a 422, not a guess. */
function askedDay(asked: unknown): string | undefined {
  if (asked === undefined) return undefined;
  if (typeof asked === 'string' && isDay(asked) && yearInWindow(Number(asked.slice(0, 4)))) return asked;
  throw validationError({ day: 'field.date_window' }, 'The day must be a calendar day in 2000–2100.');
}

export function digestStaffRouter(deps: AppDeps): Router {
  const router = Router();
  const compose = createDigestComposer(deps.renderer, deps.config.PUBLIC_BASE_URL);
  const withClock = () => ({ database: deps.database, dayChains: deps.dayChains, now: deps.clock.now() });

  staffRoute(router, 'get', '/', 'viewer', async (req, res) => {
    const lang = locals(res).lang;
    const q = previewQuery.safeParse(req.query);
    const query = q.success ? q.data : {};
    const day = askedDay(req.query.day);
    const preview = await loadDigestPreview(withClock(), { operation: query.operation, day });
    const mailLang: Lang = isLang(query.lang) ? query.lang : lang;
    const audience = query.audience ?? 'public';
    const version = audience === 'staff' ? preview.content.staff : preview.content.public;
    const links = { statusUrl: `${deps.config.PUBLIC_BASE_URL}/${mailLang}/`, unsubscribeUrl: '#' };
    const text = compose({ content: version, lang: mailLang, unsubscribeUrl: '#' }).text;
    const model = presentDigestPreviewPage(lang, preview, permissions(res), {
      mailLang,
      audience,
      version,
      links,
      text,
    });
    renderStaff(deps, req, res, 'staff/digest-preview', model);
  });

  const showRecipients = async (
    req: Request,
    res: Response,
    slug: unknown,
    errors?: Record<string, string>,
  ) => {
    const choice = await operationChoice(deps, typeof slug === 'string' ? slug : undefined);
    const recipients = await staffRecipients(deps, choice.op.id);
    const model = presentRecipientsPage(
      locals(res).lang,
      { ...choice, recipients },
      permissions(res),
      errors,
    );
    renderStaff(deps, req, res, 'staff/digest-recipients', model, errors ? 422 : 200);
  };
  const listAddress = (slug: string) => `/staff/digest/recipients?operation=${encodeURIComponent(slug)}`;

  staffRoute(router, 'get', '/recipients', 'admin', (req, res) =>
    showRecipients(req, res, req.query.operation),
  );

  staffRoute(router, 'post', '/recipients', 'admin', (req, res) =>
    handleForm(req, res, {
      schema: recipientForm,
      run: async (form) => {
        const { op } = await operationChoice(deps, form.operation);
        await addStaffRecipient(withClock(), {
          operationId: op.id,
          email: form.email,
          language: form.language,
        });
        return listAddress(op.slug);
      },
      fail: (x) =>
        x.status === 422 ? showRecipients(req, res, x.values.operation, x.errors) : Promise.reject(x.error),
    }),
  );

  staffRoute(router, 'post', '/recipients/:id/remove', 'admin', (req, res) =>
    handleForm(req, res, {
      schema: operationField,
      run: async (form) => {
        const id = idParam(req);
        const { op } = await operationChoice(deps, form.operation ?? undefined);
        if (!(await removeStaffRecipientById(withClock(), { operationId: op.id, id })))
          throw notFound('Recipient');
        return listAddress(op.slug);
      },
      fail: (x) => Promise.reject(x.error),
    }),
  );

  return router;
}
