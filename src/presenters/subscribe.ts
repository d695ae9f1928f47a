// View models of the sign-up form and the confirmation/unsubscribe pages. Their language
// links lead to the same page in each language (/kk/subscribe …, src/public/urls.ts).
import type { SignUpChoices } from '../domain/subscription-choices.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import type { Localized } from '../i18n/languages.ts';
import { signUpPath } from '../public/urls.ts';
import { languageChoices } from './languages.ts';
import { languageLinks, publisherHeader } from './status-page.ts';

/** The page in another language: the sign-up form unless said otherwise. */
export type SignUpHere = (lang: Lang) => string;
const theForm: SignUpHere = (l) => signUpPath(l);

/** The operation fields the header needs: who publishes (as on the status page). */
export type PublisherSource = { authority?: Localized | null; authorityUrl?: string | null };

/**
 * The header's publisher: the first operation with an authority, as presentPublisher
 * (status-page.ts) names it; null leaves the layout's product name.
 */
export function signUpPublisher(lang: Lang, operations: readonly PublisherSource[]) {
  const op = operations.find((o) => o.authority && Object.keys(o.authority).length > 0);
  if (!op?.authority) return null;
  return publisherHeader(lang, op.authority, op.authorityUrl);
}

export type SubscribeState = {
  email?: string;
  lang?: Lang;
  chosen?: boolean;
  routeIds?: number[];
  choose?: boolean;
  errors?: Record<string, string>;
};

export function presentSubscribePage(lang: Lang, choices: SignUpChoices, state: SubscribeState) {
  const { operations, selected, routes } = choices;
  const chosen = new Set(state.routeIds ?? []);
  const formLang = state.lang ?? lang;
  return {
    lang,
    title: t(lang, 'subscribe.title'),
    languages: languageLinks(lang, 'html', theForm),
    publisher: signUpPublisher(lang, selected ? [selected, ...operations] : operations),
    none: operations.length === 0,
    subscribe: {
      email: state.email ?? '',
      chosen: Boolean(state.chosen),
      choose: Boolean(state.choose),
      languages: languageChoices(lang, formLang),
      operations:
        operations.length > 1
          ? operations.map((o) => ({
              slug: o.slug,
              name: localized(o.names, lang),
              selected: o.id === selected?.id,
            }))
          : [],
      operation: selected?.slug ?? '',
      routes: routes.map((r) => ({ id: r.id, name: localized(r.names, lang), checked: chosen.has(r.id) })),
      errors: state.errors
        ? Object.fromEntries(Object.entries(state.errors).map(([k, v]) => [k, t(lang, v)]))
        : undefined,
    },
  };
}

/**
 * A titled message (`key`_title, `key`_body), optionally with one POST button; `here` is
 * this page in another language (a link's page: the same token), else the form.
 */
export function presentMessagePage(
  lang: Lang,
  key: string,
  options: {
    form?: { action: string; button: string };
    operations?: readonly PublisherSource[];
    here?: SignUpHere;
  } = {},
) {
  const { form, operations = [], here = theForm } = options;
  const title = t(lang, `${key}_title`);
  return {
    lang,
    title: title === `${key}_title` ? t(lang, 'subscribe.title') : title,
    heading: title === `${key}_title` ? t(lang, 'subscribe.title') : title,
    body: t(lang, title === `${key}_title` ? key : `${key}_body`),
    form,
    /** Which message (`sent`, `confirmed`, `rate_limited`…): data-state, what tests and scripts read. */
    state: key.slice(key.indexOf('.') + 1),
    back: t(lang, 'subscribe.back'),
    languages: languageLinks(lang, 'html', here),
    publisher: signUpPublisher(lang, operations),
  };
}
