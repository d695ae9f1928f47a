// Staff: preview any day's digest in any language and version; manage the staff
// recipients (admins). Mounted at /staff/digest.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { isDay, localDay } from '../../domain/digest/day.ts';
import { yearInWindow } from '../../domain/input-rules.ts';
import { computeDigest, runContent } from '../../domain/digest/run.ts';
import { addStaffRecipient, removeStaffRecipientById, staffRecipients } from '../../domain/subscriptions.ts';
import { notFound, validationError } from '../../errors.ts';
import { type Lang, LANGUAGES, isLang, localized, t } from '../../i18n/index.ts';
import { languageChoices } from '../../presenters/languages.ts';
import { createDigestComposer } from '../../mail/compose.ts';
import { presentDigest } from '../../presenters/digest.ts';
import { formatDateTime } from '../../presenters/format.ts';
import { listOperations } from '../../store/repositories/catalog.ts';
import { deliveryCounts, findRun } from '../../store/repositories/digest.ts';
import { staffRoute } from './define.ts';
import { renderStaff } from './render.ts';

const previewQuery = z.object({
  operation: z.string().max(200).optional(),
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  lang: z.string().optional(),
  audience: z.enum(['public', 'staff']).optional(),
});
const recipientForm = z.object({
  email: z.string().trim().max(254).email(),
  language: z.enum(LANGUAGES),
  operation: z.string().max(200),
});

export function digestStaffRouter(deps: AppDeps): Router {
  const router = Router();
  const compose = createDigestComposer(deps.renderer, deps.config.PUBLIC_BASE_URL);
  const operationFor = async (slug: string | undefined) => {
    const all = await listOperations(deps.database.db);
    const op = slug ? all.find((o) => o.slug === slug) : all[0];
    if (!op) throw notFound('Operation');
    return { op, all };
  };

  staffRoute(router, 'get', '/', 'viewer', async (req, res) => {
    const lang: Lang = res.locals.lang;
    const q = previewQuery.safeParse(req.query);
    const query = q.success ? q.data : {};
    // A day that is not a calendar day in 2000–2100 (9999-12-31, 2026-02-30) is a 422, not a guess.
    const asked = req.query.day;
    if (
      asked !== undefined &&
      !(typeof asked === 'string' && isDay(asked) && yearInWindow(Number(asked.slice(0, 4))))
    )
      throw validationError({ day: 'field.date_window' }, 'The day must be a calendar day in 2000–2100.');
    const { op, all } = await operationFor(query.operation);
    const now = deps.clock.now();
    const day = query.day ?? localDay(now, op.timeZone);
    const mailLang: Lang = isLang(query.lang) ? query.lang : lang;
    const audience = query.audience ?? 'public';
    const run = await findRun(deps.database.db, op.id, day);
    const stored = run ? runContent(run) : null;
    const content = stored ?? (await computeDigest(deps, { operation: op, day, now }));
    const version = audience === 'staff' ? content.staff : content.public;
    const links = { statusUrl: `${deps.config.PUBLIC_BASE_URL}/?lang=${mailLang}`, unsubscribeUrl: '#' };
    const counts = run ? await deliveryCounts(deps.database, run.id) : null;
    renderStaff(deps, req, res, 'staff/digest-preview', {
      title: t(lang, 'digest.preview_title'),
      operations: all.map((o) => ({
        slug: o.slug,
        name: localized(o.names, lang),
        selected: o.id === op.id,
      })),
      day,
      languages: LANGUAGES.map((l) => ({ code: l, label: l.toUpperCase(), selected: l === mailLang })),
      audiences: (['public', 'staff'] as const).map((a) => ({
        code: a,
        label: t(lang, `digest.audience.${a}`),
        selected: a === audience,
      })),
      origin: stored
        ? t(lang, 'digest.preview_as_sent', {
            time: formatDateTime(lang, new Date(stored.public.generatedAt), op.timeZone),
          })
        : t(lang, 'digest.preview_live'),
      deliveries: counts ? Object.entries(counts).map(([status, n]) => ({ status, n })) : null,
      digest: presentDigest(version, mailLang, links),
      text: compose({ content: version, lang: mailLang, unsubscribeUrl: '#' }).text,
    });
  });

  const showRecipients = async (
    req: Request,
    res: Response,
    slug: string | undefined,
    errors?: Record<string, string>,
  ) => {
    const lang: Lang = res.locals.lang;
    const { op, all } = await operationFor(slug);
    const list = await staffRecipients(deps, op.id);
    renderStaff(
      deps,
      req,
      res,
      'staff/digest-recipients',
      {
        title: t(lang, 'digest.recipients_title'),
        operation: op.slug,
        operations: all.map((o) => ({
          slug: o.slug,
          name: localized(o.names, lang),
          selected: o.id === op.id,
        })),
        recipients: list.map((r) => ({
          ...r,
          status: t(lang, `subscriber.status.${r.status}`),
          active: r.status === 'active',
        })),
        languages: languageChoices(lang),
        empty: list.length === 0,
        errors: errors
          ? Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(lang, v)]))
          : undefined,
      },
      errors ? 422 : 200,
    );
  };

  staffRoute(router, 'get', '/recipients', 'admin', async (req, res) => {
    await showRecipients(req, res, typeof req.query.operation === 'string' ? req.query.operation : undefined);
  });

  staffRoute(router, 'post', '/recipients', 'admin', async (req, res) => {
    const form = recipientForm.safeParse(req.body ?? {});
    const slug = typeof req.body?.operation === 'string' ? req.body.operation : undefined;
    if (!form.success) return showRecipients(req, res, slug, { email: 'subscribe.error.email' });
    const { op } = await operationFor(form.data.operation);
    await addStaffRecipient(
      { database: deps.database, now: deps.clock.now() },
      {
        operationId: op.id,
        email: form.data.email,
        language: form.data.language,
      },
    );
    res.redirect(303, `/staff/digest/recipients?operation=${encodeURIComponent(op.slug)}`);
  });

  staffRoute(router, 'post', '/recipients/:id/remove', 'admin', async (req, res) => {
    const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(req.params.id);
    const slug = typeof req.body?.operation === 'string' ? req.body.operation : undefined;
    const { op } = await operationFor(slug);
    if (
      !id.success ||
      !(await removeStaffRecipientById(
        { database: deps.database, now: deps.clock.now() },
        { operationId: op.id, id: id.data },
      ))
    )
      throw notFound('Recipient');
    res.redirect(303, `/staff/digest/recipients?operation=${encodeURIComponent(op.slug)}`);
  });

  return router;
}
