// The error page's view model (views/error): which message an error code shows, in
// the page's language, with the code and the request id to quote to support.
// errorHandler (routes/middleware.ts) decides the status and renders it.
import { type Lang, LANGUAGES, nativeName, t } from '../i18n/index.ts';

export function presentErrorPage(lang: Lang, code: string, requestId: string | undefined) {
  const messageKey =
    code === 'not_found'
      ? 'error.not_found'
      : code === 'db_unavailable' || code === 'disk_full'
        ? 'error.db_unavailable'
        : 'error.generic';
  return {
    lang,
    title: t(lang, 'error.title'),
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
