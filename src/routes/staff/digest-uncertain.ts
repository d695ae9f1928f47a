// Staff: the digest deliveries whose outcome is uncertain, and the one-click
// "resend to these" (admins; recorded). Mounted at /staff/digest.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { listUncertain, resendUncertain } from '../../domain/digest/resend.ts';
import { type Lang, localized } from '../../i18n/index.ts';
import { presentUncertain } from '../../presenters/digest-uncertain.ts';
import { operationChoice } from '../../domain/digest/preview.ts';
import { hasRole, staffRoute } from './define.ts';
import { renderStaff } from './render.ts';

const resendForm = z.object({
  operation: z.string().max(200),
  id: z.union([z.coerce.number().int().positive(), z.array(z.coerce.number().int().positive()).max(10_000)]),
});

export function digestUncertainRouter(deps: AppDeps): Router {
  const router = Router();
  const operationFor = (slug: unknown) => operationChoice(deps, typeof slug === 'string' ? slug : undefined);

  staffRoute(router, 'get', '/uncertain', 'viewer', async (req, res) => {
    const lang: Lang = res.locals.lang;
    const { op, all } = await operationFor(req.query.operation);
    const resent = typeof req.query.resent === 'string' ? Number(req.query.resent) : undefined;
    const model = presentUncertain(lang, {
      timeZone: op.timeZone,
      operation: { slug: op.slug, name: localized(op.names, lang) },
      operations: all.map((o) => ({
        slug: o.slug,
        name: localized(o.names, lang),
        selected: o.id === op.id,
      })),
      deliveries: await listUncertain(deps, op.id),
      canResend: hasRole(res.locals.user, 'admin'),
      resent: Number.isInteger(resent) ? resent : undefined,
    });
    renderStaff(deps, req, res, 'staff/digest-uncertain', model);
  });

  staffRoute(router, 'post', '/uncertain/resend', 'admin', async (req, res) => {
    const form = resendForm.safeParse(req.body ?? {});
    const { op } = await operationFor(
      form.success ? form.data.operation : (req.body as { operation?: unknown } | undefined)?.operation,
    );
    const ids = form.success ? [form.data.id].flat() : [];
    const user = res.locals.user!;
    const { requeued } = await resendUncertain(
      { database: deps.database, now: deps.clock.now() },
      { operationId: op.id, ids, actor: { id: user.id, label: user.name } },
    );
    res.redirect(303, `/staff/digest/uncertain?operation=${encodeURIComponent(op.slug)}&resent=${requeued}`);
  });

  return router;
}
