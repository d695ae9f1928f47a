// The public sign-up for the daily digest, its confirmation and the unsubscribe
// links (including RFC 8058 one-click POST from mail clients). No CSRF token:
// a sign-up does nothing until the emailed link is used, and every sign-up is
// rate-limited per network and per address. No page ever shows an address.
import { type Response, Router } from 'express';
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
import { signUpChoices } from '../domain/subscription-choices.ts';
import { withoutControlCharacters } from '../domain/input-rules.ts';
import { AppError, validationError } from '../errors.ts';
import { type Lang, isLang, t } from '../i18n/index.ts';
import { createConfirmationComposer } from '../mail/compose.ts';
import { MailError } from '../mail/mailer.ts';
import { type SubscribeState, presentMessagePage, presentSubscribePage } from '../presenters/subscribe.ts';
import { handleForm } from './form-pipeline.ts';
import { locals } from './locals.ts';
import { f } from './staff/forms.ts';

const signUpForm = z.object({
  email: f
    .optionalText(1000)
    .pipe(
      z
        .string('subscribe.error.email')
        .max(254, 'subscribe.error.email')
        .pipe(z.email('subscribe.error.email')),
    ),
  lang: f.optionalText(10).refine((v) => v === null || isLang(v), 'subscribe.error.lang'),
  scope: f.optionalOneOf(['all', 'chosen'] as const),
  routes: f.list(500, 20),
  operation: f.optionalText(200),
});

/** What was typed, to put back on the form (a control character, refused by parseForm, taken out). */
function typedState(body: unknown, lang: Lang): SubscribeState & { operation?: string } {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const routes = Array.isArray(raw.routes) ? raw.routes : raw.routes === undefined ? [] : [raw.routes];
  return {
    email: typeof raw.email === 'string' ? withoutControlCharacters(raw.email).slice(0, 254) : '',
    lang: isLang(raw.lang) ? raw.lang : lang,
    chosen: raw.scope === 'chosen',
    routeIds: routes.map(Number).filter(Number.isInteger),
    operation: typeof raw.operation === 'string' ? raw.operation : undefined,
  };
}

export function subscribeRouter(deps: AppDeps): Router {
  const router = Router();
  const composeConfirmation = createConfirmationComposer(deps.renderer);
  const page = (res: Response, view: string, model: Record<string, unknown>, status = 200) =>
    res.status(status).set('Cache-Control', 'no-store').type('html').send(deps.renderer.render(view, model));
  // The header names the publisher, as every public page does: read with the message.
  const message = async (
    res: Response,
    key: string,
    status = 200,
    form?: { action: string; button: string },
  ) => {
    const operations = await signUpOperations(deps);
    page(
      res,
      'public/subscribe-message',
      presentMessagePage(locals(res).lang, key, form, operations),
      status,
    );
  };

  /** What a sign-up needs, at the time of the request. */
  const subscribing = () => ({
    database: deps.database,
    now: deps.clock.now(),
    mailer: deps.mailer,
    composeConfirmation,
    config: deps.config,
    metrics: deps.metrics,
    logger: deps.logger,
  });

  const showForm = async (res: Response, slug: string | undefined, state: SubscribeState, status = 200) => {
    const choices = await signUpChoices(deps, slug);
    page(res, 'public/subscribe', presentSubscribePage(locals(res).lang, choices, state), status);
  };

  router.get('/subscribe', (req, res) =>
    showForm(res, typeof req.query.operation === 'string' ? req.query.operation : undefined, {}),
  );

  router.post('/subscribe', (req, res) => {
    const state = typedState(req.body, locals(res).lang);
    return handleForm(req, res, {
      schema: signUpForm,
      run: async (form) => {
        const { selected: operation } = await signUpChoices(deps, form.operation ?? undefined);
        if (!operation) throw validationError({ operation: 'subscribe.error.operation' });
        const routeIds = form.routes.map(Number).filter(Number.isInteger);
        // "Only the routes I choose" from the status page's short form: let them choose here.
        if (form.scope === 'chosen' && routeIds.length === 0)
          return { answer: () => showForm(res, operation.slug, { ...state, choose: true }) };
        try {
          await requestSubscription(subscribing(), {
            operation,
            email: form.email,
            language: isLang(form.lang) ? form.lang : locals(res).lang,
            allRoutes: form.scope !== 'chosen',
            routeIds,
            ip: req.ip ?? 'unknown',
          });
        } catch (err) {
          return { answer: () => refused(res, err) };
        }
        return { answer: () => message(res, 'subscribe.sent', 200) };
      },
      fail: (x) =>
        x.status === 422
          ? showForm(res, state.operation, { ...state, errors: x.errors }, 422)
          : Promise.reject(x.error),
    });
  });

  /** A sign-up the mail server or the rate limit refused; anything else goes on to errorHandler. */
  function refused(res: Response, err: unknown) {
    if (err instanceof MailError) {
      deps.logger.warn({ err }, 'sign-up confirmation could not be sent');
      return message(res, 'subscribe.mail_failed', 503);
    }
    if (err instanceof AppError && err.code === 'rate_limited') {
      res.set('Retry-After', String(Number(err.details.retryAfterSeconds ?? 60)));
      return message(res, 'subscribe.rate_limited', 429);
    }
    throw err;
  }

  router.get('/subscribe/confirm/:token', async (req, res) => {
    const row = await pendingConfirmation(
      { database: deps.database, now: deps.clock.now() },
      req.params.token,
    );
    if (!row) return message(res, 'subscribe.invalid', 410);
    return message(res, 'subscribe.confirm', 200, {
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
    return message(res, 'subscribe.confirmed');
  });

  router.get('/subscribe/unsubscribe/:token', async (req, res) => {
    const row = await subscriberForUnsubscribe(deps, req.params.token);
    if (!row) return message(res, 'subscribe.invalid', 404);
    if (row.status === 'unsubscribed') return message(res, 'subscribe.unsubscribed');
    return message(res, 'subscribe.unsubscribe', 200, {
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
    return message(res, 'subscribe.unsubscribed');
  });

  return router;
}
