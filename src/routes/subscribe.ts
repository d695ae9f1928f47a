// The public sign-up for the daily digest, its confirmation and the unsubscribe
// links (including RFC 8058 one-click POST from mail clients). No CSRF token:
// a sign-up does nothing until the emailed link is used, and every sign-up is
// rate-limited per network and per address. No page ever shows an address.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import {
  confirmSubscription,
  pendingConfirmation,
  requestSubscription,
  signUpOperations,
  subscriberForUnsubscribe,
  unsubscribe,
} from '../domain/subscriptions.ts';
import { AppError } from '../errors.ts';
import { type Lang, isLang, t } from '../i18n/index.ts';
import { createConfirmationComposer } from '../mail/compose.ts';
import { MailError } from '../mail/mailer.ts';
import { presentMessagePage, presentSubscribePage } from '../presenters/subscribe.ts';

const signUpForm = z.object({
  email: z.string().trim().max(254).email(),
  lang: z.string().max(5).optional(),
  scope: z.enum(['all', 'chosen']).default('all'),
  routes: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) =>
      (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number).filter(Number.isInteger),
    ),
  operation: z.string().max(200).optional(),
});

export function subscribeRouter(deps: AppDeps): Router {
  const router = Router();
  const composeConfirmation = createConfirmationComposer(deps.renderer);
  const page = (res: Response, view: string, model: Record<string, unknown>, status = 200) =>
    res.status(status).set('Cache-Control', 'no-store').type('html').send(deps.renderer.render(view, model));
  const message = (res: Response, key: string, status = 200, form?: { action: string; button: string }) =>
    page(res, 'public/subscribe-message', presentMessagePage(res.locals.lang, key, form), status);

  const showForm = async (
    req: Request,
    res: Response,
    extra: Parameters<typeof presentSubscribePage>[2],
    status = 200,
  ) => {
    const operations = await signUpOperations(deps);
    page(
      res,
      'public/subscribe',
      await presentSubscribePage(deps, res.locals.lang, extra, operations),
      status,
    );
  };

  router.get('/subscribe', async (req, res) => {
    await showForm(req, res, {
      operation: typeof req.query.operation === 'string' ? req.query.operation : undefined,
    });
  });

  router.post('/subscribe', async (req, res) => {
    const lang: Lang = res.locals.lang;
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const parsed = signUpForm.safeParse(raw);
    const values = {
      email: typeof raw.email === 'string' ? raw.email.slice(0, 254) : '',
      lang: isLang(raw.lang) ? raw.lang : lang,
      chosen: raw.scope === 'chosen',
      routeIds: parsed.success ? parsed.data.routes : [],
      operation: typeof raw.operation === 'string' ? raw.operation : undefined,
    };
    const operations = await signUpOperations(deps);
    const operation =
      operations.find((o) => o.slug === values.operation) ??
      (operations.length === 1 ? operations[0] : undefined);
    const errors: Record<string, string> = {};
    if (!parsed.success) errors.email = 'subscribe.error.email';
    if (raw.lang !== undefined && raw.lang !== '' && !isLang(raw.lang)) errors.lang = 'subscribe.error.lang';
    if (!operation) errors.operation = 'subscribe.error.operation';
    if (Object.keys(errors).length > 0) return showForm(req, res, { ...values, errors }, 422);
    // "Only the routes I choose" from the status page's short form: let them choose here.
    if (values.chosen && values.routeIds.length === 0)
      return showForm(req, res, { ...values, operation: operation!.slug, choose: true });
    try {
      await requestSubscription(
        {
          database: deps.database,
          now: deps.clock.now(),
          mailer: deps.mailer,
          composeConfirmation,
          config: deps.config,
          metrics: deps.metrics,
          logger: deps.logger,
        },
        {
          operation: operation!,
          email: parsed.data!.email,
          language: values.lang,
          allRoutes: !values.chosen,
          routeIds: values.routeIds,
          ip: req.ip ?? 'unknown',
        },
      );
    } catch (err) {
      if (err instanceof MailError) {
        deps.logger.warn({ err: err.message }, 'sign-up confirmation could not be sent');
        return message(res, 'subscribe.mail_failed', 503);
      }
      if (err instanceof AppError && err.code === 'rate_limited') {
        res.set('Retry-After', String(err.details.retryAfterSeconds ?? 60));
        return message(res, 'subscribe.rate_limited', 429);
      }
      if (err instanceof AppError && err.code === 'validation_failed')
        return showForm(req, res, { ...values, errors: err.fields }, 422);
      throw err;
    }
    message(res, 'subscribe.sent', 200);
  });

  router.get('/subscribe/confirm/:token', async (req, res) => {
    const row = await pendingConfirmation(
      { database: deps.database, now: deps.clock.now() },
      req.params.token,
    );
    if (!row) return message(res, 'subscribe.invalid', 410);
    message(res, 'subscribe.confirm', 200, {
      action: `/subscribe/confirm/${encodeURIComponent(req.params.token)}`,
      button: t(res.locals.lang, 'subscribe.confirm_button'),
    });
  });

  router.post('/subscribe/confirm/:token', async (req, res) => {
    const done = await confirmSubscription(
      { database: deps.database, now: deps.clock.now() },
      req.params.token,
    );
    if (!done) return message(res, 'subscribe.invalid', 410);
    message(res, 'subscribe.confirmed');
  });

  router.get('/subscribe/unsubscribe/:token', async (req, res) => {
    const row = await subscriberForUnsubscribe(deps, req.params.token);
    if (!row) return message(res, 'subscribe.invalid', 404);
    if (row.status === 'unsubscribed') return message(res, 'subscribe.unsubscribed');
    message(res, 'subscribe.unsubscribe', 200, {
      action: `/subscribe/unsubscribe/${encodeURIComponent(req.params.token)}`,
      button: t(res.locals.lang, 'subscribe.unsubscribe_button'),
    });
  });

  // The page's button and a mail client's one-click POST (body List-Unsubscribe=One-Click) alike.
  router.post('/subscribe/unsubscribe/:token', async (req, res) => {
    const done = await unsubscribe(
      { database: deps.database, now: deps.clock.now(), config: deps.config },
      req.params.token,
    );
    if (!done) return message(res, 'subscribe.invalid', 404);
    message(res, 'subscribe.unsubscribed');
  });

  return router;
}
