// The public URL scheme, as one table: every public output has one URL per language
// (/kk/, /ru/feed.atom, /en/status.csv …) or one URL for all (/api/v1/status). The fast
// path, the express router, the published files (src/public/export.ts), the links the
// pages and feeds print and deploy/nginx.conf all follow this table; a new output is
// one entry here (and its renderer in src/public/render.ts).
//
// The language-less URL of a per-language output (/, /feed.atom, /status.csv) picks the
// language from Accept-Language and redirects there (302, Vary: Accept-Language); with an
// old ?lang=xx it redirects permanently (301) to that language. /kk redirects to /kk/.
// Nothing here reads or sets a cookie.
import { DEFAULT_LANG, LANGUAGES, type Lang, isLang, negotiateLang } from '../i18n/index.ts';
import type { PublicFormat } from './build.ts';

export type PublicOutput = {
  /** Per language: the path under /{lang}/ ('' = the page). Otherwise the whole path. */
  readonly path: string;
  readonly format: PublicFormat;
  readonly perLanguage: boolean;
  /** The published file (PUBLIC_EXPORT_DIR) is this path; per language under {lang}/. */
  readonly file: string;
};

export const PUBLIC_OUTPUTS: readonly PublicOutput[] = [
  { path: '', format: 'html', perLanguage: true, file: 'index.html' },
  { path: 'feed.atom', format: 'atom', perLanguage: true, file: 'feed.atom' },
  { path: 'status.csv', format: 'csv', perLanguage: true, file: 'status.csv' },
  { path: '/api/v1/status', format: 'json', perLanguage: false, file: 'api/v1/status.json' },
  { path: '/status.hxl.csv', format: 'hxl', perLanguage: false, file: 'status.hxl.csv' },
  { path: 'methodology', format: 'methodology', perLanguage: true, file: 'methodology.html' },
];

/** The language of outputs that have none (JSON, HXL): their text is in every language. */
export const NEUTRAL_LANG: Lang = 'en';

const byFormat = new Map(PUBLIC_OUTPUTS.map((o) => [o.format, o]));

/** The path of an output, e.g. ('ru', 'atom') → /ru/feed.atom. */
export function publicPath(lang: Lang, format: PublicFormat): string {
  const o = byFormat.get(format);
  if (!o) return `/${lang}/${format}`; // a page with a parameter: its format is its path
  return o.perLanguage ? `/${lang}/${o.path}` : o.path;
}

/** The file an output is published as, relative to PUBLIC_EXPORT_DIR. */
export function publicFile(lang: Lang, output: PublicOutput): string {
  return output.perLanguage ? `${lang}/${output.file}` : output.file;
}

/** `hreflang` alternates of a per-language page: one per language, and x-default (negotiated). */
export function alternates(baseUrl: string, format: PublicFormat) {
  const base = baseUrl.replace(/\/+$/, '');
  const o = byFormat.get(format)!;
  return [
    ...LANGUAGES.map((l) => ({ hreflang: l, href: `${base}${publicPath(l, format)}` })),
    { hreflang: 'x-default', href: `${base}/${o.path}` },
  ];
}

/** What a public URL is: an output in a language, or a redirect. */
export type PublicTarget =
  | { kind: 'output'; output: PublicOutput; lang: Lang; route: string }
  | { kind: 'redirect'; status: 301 | 302; location: string; negotiated: boolean; route: string };

type Entry =
  | { kind: 'output'; output: PublicOutput; lang: Lang; route: string }
  /** A language-less URL: negotiate, or follow an old ?lang=. */
  | { kind: 'choose'; output: PublicOutput; route: string }
  | { kind: 'slash'; lang: Lang; route: string };

/** Every public path, looked up once per request. */
const ENTRIES = new Map<string, Entry>();
for (const output of PUBLIC_OUTPUTS) {
  if (!output.perLanguage) {
    ENTRIES.set(output.path, { kind: 'output', output, lang: NEUTRAL_LANG, route: output.path });
    continue;
  }
  const route = `/{lang}/${output.path}`;
  for (const lang of LANGUAGES)
    ENTRIES.set(`/${lang}/${output.path}`, { kind: 'output', output, lang, route });
  ENTRIES.set(`/${output.path}`, { kind: 'choose', output, route: `/${output.path}` });
}
for (const lang of LANGUAGES) ENTRIES.set(`/${lang}`, { kind: 'slash', lang, route: '/{lang}' });

/**
 * The pages with a parameter, under /{lang}/ (src/presenters/public-links.ts makes their
 * links): a route's own page and its later pages, /ru/routes/<slug>[/<n>], and the
 * timeline's pages, /ru/timeline[/<n>]. Their format is their path; their file is
 * <path>.html. A slug or page that does not exist is a 404 from the renderer.
 */
const PAGE_PATH = new RegExp(
  `^/(${LANGUAGES.join('|')})/(routes/[a-z0-9]+(?:-[a-z0-9]+)*(?:/[1-9][0-9]{0,3})?|timeline(?:/[1-9][0-9]{0,3})?)$`,
);

function pageTarget(path: string): PublicTarget | undefined {
  if (path.length > 120) return undefined;
  const m = PAGE_PATH.exec(path);
  if (!m) return undefined;
  const page = m[2] as PublicFormat;
  const output: PublicOutput = { path: page, format: page, perLanguage: true, file: `${page}.html` };
  const route = page.startsWith('routes/') ? '/{lang}/routes/{slug}' : '/{lang}/timeline';
  return { kind: 'output', output, lang: m[1] as Lang, route };
}

/** The value of the first `lang` parameter of a query string, if any. */
function queryLang(query: string): string | undefined {
  for (const part of query.split('&')) if (part.startsWith('lang=')) return part.slice(5);
  return undefined;
}

/**
 * The public target of a request URL (path and query), or undefined if it is not a
 * public URL. Any query string is ignored, except an old ?lang= on a language-less URL.
 */
export function resolvePublicUrl(url: string, acceptLanguage: string | undefined): PublicTarget | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const entry = ENTRIES.get(path);
  if (!entry) return pageTarget(path);
  if (entry.kind === 'output') return entry;
  if (entry.kind === 'slash')
    return {
      kind: 'redirect',
      status: 301,
      location: `/${entry.lang}/`,
      negotiated: false,
      route: entry.route,
    };
  const asked = q < 0 ? undefined : queryLang(url.slice(q + 1));
  if (isLang(asked))
    return {
      kind: 'redirect',
      status: 301,
      location: `/${asked}/${entry.output.path}`,
      negotiated: false,
      route: entry.route,
    };
  const lang = negotiateLang(acceptLanguage) ?? DEFAULT_LANG;
  return {
    kind: 'redirect',
    status: 302,
    location: `/${lang}/${entry.output.path}`,
    negotiated: true,
    route: entry.route,
  };
}

/**
 * The sign-up for the daily email (src/routes/subscribe.ts): pages, not outputs (never
 * cached or published), under /{lang}/ like every public page — the form, /ru/subscribe
 * (POST: the sign-up), and the pages a mail's link opens, /ru/subscribe/confirm/<token> and
 * /ru/subscribe/unsubscribe/<token> (GET: a page with a button; POST: the button, or a mail
 * client's one-click). A mail's link carries the subscription's language. The old
 * language-less /subscribe… URLs still work (links already sent): the router answers them.
 */
export function signUpPath(lang: Lang, link?: { page: 'confirm' | 'unsubscribe'; token: string }): string {
  return link ? `/${lang}/subscribe/${link.page}/${encodeURIComponent(link.token)}` : `/${lang}/subscribe`;
}

/** The language a request for a non-output page (errors, the old sign-up URLs) is answered in: ?lang=, then Accept-Language. */
export function requestLanguage(query: unknown, acceptLanguage: string | undefined): Lang {
  return isLang(query) ? query : (negotiateLang(acceptLanguage) ?? DEFAULT_LANG);
}

/** The id of a record's place on the page (#route-3, #movement-7, #notice-2): feed entries link there. */
export const publicAnchor = (kind: 'route' | 'movement' | 'notice', id: number) => `${kind}-${id}`;
