// What the property-based fuzz suite throws at the app (fast-check arbitraries): hostile
// header values, query strings, percent-encodings, path suffixes and form bodies. Every
// value is something a client could send on the wire (Node's client refuses control
// characters in paths and headers, so those are percent-encoded or left out).
import fc from 'fast-check';
import { PUBLIC_OUTPUTS } from '../../src/public/urls.ts';
import { LANGUAGES } from '../../src/i18n/languages.ts';

/** Every public URL, from the public URL table (a new output is fuzzed without editing this). */
export function publicUrls(): string[] {
  const urls = new Set<string>(['/subscribe', '/robots.txt', '/kk', '/healthz', '/subscribe/confirm/x']);
  for (const o of PUBLIC_OUTPUTS) {
    if (!o.perLanguage) urls.add(o.path);
    else {
      urls.add(`/${o.path}`);
      for (const lang of LANGUAGES) urls.add(`/${lang}/${o.path}`);
    }
  }
  urls.add('/subscribe/unsubscribe/u1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  // The sign-up under each language (src/public/urls.ts signUpPath).
  for (const lang of LANGUAGES) urls.add(`/${lang}/subscribe`);
  urls.add('/kk/subscribe/confirm/x');
  urls.add('/ru/subscribe/unsubscribe/u1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  return [...urls];
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const bits = fc.constantFrom(
  '%',
  '%E0%A4%A',
  '%zz',
  '%00',
  '%C0%AE',
  '%2e%2e%2f',
  '%ff%fe',
  '..',
  '//',
  '\\',
  ';',
  '=',
  '&',
  '#',
  '?',
  '"',
  "'",
  '<script>',
  '__proto__',
  'constructor',
  'lang',
  'ru',
  'kk',
  'en',
  'xx',
  '*',
  ',',
  'W/"x"',
  '"',
  ' ',
  'gzip',
  'br',
  'identity;q=0',
  'q=2',
  'Mon, 01 Jan 0000 00:00:00 GMT',
  'Thu, 31 Dec 9999 23:59:59 GMT',
  '0',
  '-1',
  '1e309',
  'NaN',
  '\t',
);
/** A header value: printable ASCII, hostile fragments, or a very long one. */
export const headerValue = fc.oneof(
  printable,
  fc.array(fc.oneof(bits, printable), { maxLength: 8 }).map((a) => a.join('')),
  fc
    .tuple(bits, fc.integer({ min: 100, max: 8000 }))
    .map(([b, n]) => b.repeat(Math.ceil(n / Math.max(1, b.length)))),
);

/** Percent-encode what a client cannot put in a request line raw. */
const pathSafe = (s: string) =>
  s.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)).replace(/#/g, '%23');

/** A raw query string, often malformed. */
export const queryString = fc
  .array(fc.tuple(fc.oneof(bits, printable, fc.constant('lang')), fc.oneof(bits, printable)), {
    maxLength: 5,
  })
  .map((pairs) => pairs.map(([k, v]) => `${pathSafe(k)}=${pathSafe(v)}`).join('&'));

/** A path suffix: nothing (the URL itself), or hostile segments after it. */
export const pathSuffix = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(bits, printable), { maxLength: 3 }).map((a) => pathSafe(a.join(''))),
  },
);

/** Field names a staff or public form may have, and random ones, possibly with [] or [x]. */
const FIELD_NAMES = [
  '_csrf',
  'email',
  'name',
  'role',
  'password',
  'version',
  'reason',
  'source',
  'label',
  'kind',
  'status',
  'departedAt',
  'arrivedAt',
  'scheduledDate',
  'scheduledDepartureAt',
  'as_of',
  'registered.total',
  'departed.over60',
  'arrived.total',
  'new_source_outlet',
  'new_source_title',
  'new_source_url',
  'slug',
  'names.en',
  'names.ru',
  'names.kk',
  'timeZone',
  'time_zone',
  'url',
  'day',
  'lang',
  'scope',
  'routes',
  'operation',
  'next',
  'note',
  'publicNote',
  'staffNote',
  'capacity',
  'delayed',
  'from',
  'to',
  'mode',
  'countryCode',
  'phone',
  'digestTime',
  'threshold',
  'confirm',
  'id',
  'position',
  'checkedOn',
];
const fieldName = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES) }, printable),
    fc.constantFrom('', '', '', '[]', '[x]', '[__proto__]'),
  )
  .map(([n, suffix]) => `${n}${suffix}`);
const fieldValue = fc.oneof(
  printable,
  bits,
  fc.integer({ min: -2, max: 2_000_000_000 }).map(String),
  fc.constantFrom(
    '2026-03-03',
    '2026-03-03T10:00',
    '0026-03-03T10:00',
    '9999-12-31',
    '2026-02-30',
    'javascript:alert(1)',
    'https://example.org',
    'admin',
    'viewer',
    'officer',
    'all',
    'chosen',
    'true',
    '',
  ),
  fc.string({ maxLength: 3000 }),
);

/** A urlencoded body: pairs (duplicates allowed), encoded properly or raw and malformed. */
export const formBody = fc
  .tuple(fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 12 }), fc.boolean())
  .map(([pairs, encoded]) =>
    pairs
      .map(([k, v]) => (encoded ? `${encodeURIComponent(k)}=${encodeURIComponent(v)}` : `${k}=${v}`))
      .join('&'),
  );

/** The content type a body is sent as: mostly a form, sometimes not. */
export const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/x-www-form-urlencoded') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'application/json',
      'text/plain',
      'multipart/form-data',
      'multipart/form-data; boundary=b',
      'application/x-www-form-urlencoded; charset=utf-16',
    ),
  },
);
