// The public sign-up for the daily digest, its confirmation and the unsubscribe
// links (including RFC 8058 one-click POST from mail clients). No CSRF token:
// a sign-up does nothing until the emailed link is used, and every sign-up is
// rate-limited per network and per address. No page ever shows an address.
//
// Like every public page, each is under its language (src/public/urls.ts, signUpPath):
// /kk/subscribe (the form and its POST), /kk/subscribe/confirm/<token>,
// /kk/subscribe/unsubscribe/<token>; a page is in its path's language, and a mail's
// link carries the subscription's. The old language-less URLs still work — forms in
// pages cached before, links in mails already sent: GET /subscribe redirects as / does
// (?lang=, else Accept-Language); a link's GET redirects to the subscription's language;
// a POST (a mail client's one-click cannot follow a redirect) is answered in place, in
// the subscription's language, or for a sign-up the one its form chose.
import { type Request, type RequestHandler, type Response, Router } from 'express';
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
import { LANGUAGES, type Lang, isLang, t } from '../i18n/index.ts';
import { createConfirmationComposer } from '../mail/compose.ts';
import { MailError } from '../mail/mailer.ts';
import {
  type SignUpHere,
  type SubscribeState,
  presentMessagePage,
  presentSubscribePage,
} from '../presenters/subscribe.ts';
import { MOVED_CACHE_CONTROL, NEGOTIATED_REDIRECT_CACHE_CONTROL } from '../public/http.ts';
import { signUpPath } from '../public/urls.ts';
import { handleForm } from './form-pipeline.ts';
import { locals } from './locals.ts';
import { f } from './staff/forms.ts';
import { clientAddress } from './middleware.ts';

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

/** A sign-up path in each language (/kk/subscribe… for `tail` ''), and the old language-less form. */
const inEachLanguage = (tail = '') => LANGUAGES.map((l) => `${signUpPath(l)}${tail}`);
const OLD_FORM = '/subscribe';
/** The metrics' one label for a path in every language, as the public router's (/{lang}/…). */
const labelled =
  (tail = ''): RequestHandler =>
  (_req, res, next) => {
    res.locals.route = `/{lang}/subscribe${tail}`;
    next();
  };
type LinkPage = 'confirm' | 'unsubscribe';

/** The language a body's `lang` field names, if any (an old form's: the page's, unless changed). */
const bodyLang = (body: unknown): Lang | undefined => {
  const lang = body && typeof body === 'object' ? (body as Record<string, unknown>).lang : undefined;
  return isLang(lang) ? lang : undefined;
};

/** A redirect with no body, GET and HEAD alike (as src/public/http.ts sends them). */
const redirect = (res: Response, status: 301 | 302, cacheControl: string, location: string) =>
  res.status(status).set({ 'Cache-Control': cacheControl, 'Content-Length': '0' }).location(location).end();

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
    options: { form?: { action: string; button: string }; here?: SignUpHere } = {},
  ) => {
    const operations = await signUpOperations(deps);
    page(
      res,
      'public/subscribe-message',
      presentMessagePage(locals(res).lang, key, { ...options, operations }),
      status,
    );
  };
  /** A link's page with its button (confirm, unsubscribe): its language links keep the token. */
  const linkPage = (res: Response, link: { page: LinkPage; token: string }, button: string) => {
    const lang = locals(res).lang;
    return message(res, `subscribe.${link.page}`, 200, {
      form: { action: signUpPath(lang, link), button: t(lang, button) },
      here: (l) => signUpPath(l, link),
    });
  };
  /** A link's old language-less URL opens the page in `lang` (the subscription's). */
  const moved = (res: Response, lang: Lang, link: { page: LinkPage; token: string }) =>
    redirect(res, 302, 'no-store', signUpPath(lang, link));
  /** Answer in `lang` (the subscription's), not the negotiated one: an old URL's POST. */
  const answerIn = (res: Response, lang: Lang | undefined) => {
    if (lang) res.locals.lang = lang;
  };
  const token = (req: Request) => String(req.params.token);

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

  router.get(inEachLanguage(), labelled(), (req, res) =>
    showForm(res, typeof req.query.operation === 'string' ? req.query.operation : undefined, {}),
  );

  // The old form URL: to the form in a language, as / goes to /ru/ (?operation= kept).
  router.get(OLD_FORM, (req, res) => {
    const asked = isLang(req.query.lang);
    const operation = typeof req.query.operation === 'string' ? req.query.operation : undefined;
    const query = operation === undefined ? '' : `?${new URLSearchParams({ operation })}`;
    const cache = asked ? MOVED_CACHE_CONTROL : NEGOTIATED_REDIRECT_CACHE_CONTROL;
    redirect(res, asked ? 301 : 302, cache, `${signUpPath(locals(res).lang)}${query}`);
  });

  const signUp = (req: Request, res: Response) => {
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
            ip: clientAddress(req),
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
  };
  router.post(inEachLanguage(), labelled(), signUp);
  // A form from a page cached before its action had a language: its language field
  // starts as the page's, the best guess at the reader's (Accept-Language otherwise).
  router.post(OLD_FORM, (req, res) => {
    answerIn(res, bodyLang(req.body));
    return signUp(req, res);
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

  const keyed = { database: deps.database, config: deps.config };
  const now = () => ({ database: deps.database, now: deps.clock.now() });
  const confirmLink = (req: Request) => ({ page: 'confirm' as const, token: token(req) });
  const unsubscribeLink = (req: Request) => ({ page: 'unsubscribe' as const, token: token(req) });

  router.get(inEachLanguage('/confirm/:token'), labelled('/confirm/:token'), async (req, res) => {
    if (!(await pendingConfirmation(now(), token(req)))) return message(res, 'subscribe.invalid', 410);
    return linkPage(res, confirmLink(req), 'subscribe.confirm_button');
  });
  // A link mailed before links had a language: open it in the language of its mail.
  router.get(`${OLD_FORM}/confirm/:token`, async (req, res) => {
    const row = await pendingConfirmation(now(), token(req));
    const lang = row?.pendingPreferences?.language;
    if (!row || !isLang(lang)) return message(res, 'subscribe.invalid', 410);
    return moved(res, isLang(req.query.lang) ? req.query.lang : lang, confirmLink(req));
  });

  const confirm = async (req: Request, res: Response, inPath: boolean) => {
    const done = await confirmSubscription(now(), token(req));
    if (!done) return message(res, 'subscribe.invalid', 410);
    if (!inPath) answerIn(res, done.language);
    return message(res, 'subscribe.confirmed');
  };
  router.post(inEachLanguage('/confirm/:token'), labelled('/confirm/:token'), (req, res) =>
    confirm(req, res, true),
  );
  router.post(`${OLD_FORM}/confirm/:token`, (req, res) => confirm(req, res, false));

  router.get(inEachLanguage('/unsubscribe/:token'), labelled('/unsubscribe/:token'), async (req, res) => {
    const row = await subscriberForUnsubscribe(keyed, token(req));
    if (!row) return message(res, 'subscribe.invalid', 404);
    if (row.status === 'unsubscribed') return message(res, 'subscribe.unsubscribed');
    return linkPage(res, unsubscribeLink(req), 'subscribe.unsubscribe_button');
  });
  router.get(`${OLD_FORM}/unsubscribe/:token`, async (req, res) => {
    const row = await subscriberForUnsubscribe(keyed, token(req));
    if (!row || !isLang(row.language)) return message(res, 'subscribe.invalid', 404);
    return moved(res, isLang(req.query.lang) ? req.query.lang : row.language, unsubscribeLink(req));
  });

  // The page's button and a mail client's one-click POST (body List-Unsubscribe=One-Click)
  // alike; on an old link, answered in place (one-click follows no redirect).
  const leave = async (req: Request, res: Response, inPath: boolean) => {
    const done = await unsubscribe({ ...now(), config: deps.config }, token(req));
    if (!done) return message(res, 'subscribe.invalid', 404);
    if (!inPath && isLang(done.language)) answerIn(res, done.language);
    return message(res, 'subscribe.unsubscribed');
  };
  router.post(inEachLanguage('/unsubscribe/:token'), labelled('/unsubscribe/:token'), (req, res) =>
    leave(req, res, true),
  );
  router.post(`${OLD_FORM}/unsubscribe/:token`, (req, res) => leave(req, res, false));

  return router;
}
