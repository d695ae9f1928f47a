// The error page's view model (views/error): which message an error code shows, in
// the page's language, with the code and the request id to quote to support.
// errorHandler (routes/middleware.ts) decides the status and renders it. The header
// names the publisher in the reader's language, as every public page does, when the
// public operations could be read; else the layout's product name, marked as English.
import { type Lang, LANGUAGES, nativeName, t } from '../i18n/index.ts';
import { type PublisherSource, signUpPublisher } from './subscribe.ts';

export function presentErrorPage(
  lang: Lang,
  code: string,
  requestId: string | undefined,
  operations: readonly PublisherSource[] = [],
) {
  const messageKey =
    code === 'not_found'
      ? 'error.not_found'
      : code === 'db_unavailable' || code === 'disk_full'
        ? 'error.db_unavailable'
        : 'error.generic';
  return {
    lang,
    title: t(lang, code === 'not_found' ? 'error.not_found_title' : 'error.title'),
    publisher: signUpPublisher(lang, operations),
    // A stale link's reader (a family following an old route link) is shown the way back.
    home: { href: `/${lang}/`, text: t(lang, 'error.home') },
    languages: LANGUAGES.map((l) => ({
      code: l,
      label: nativeName(l),
      current: l === lang,
      href: `/${l}/`,
    })),
    message: t(lang, messageKey),
    code,
    requestId,
  };
}
