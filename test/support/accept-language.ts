// A table of Accept-Language headers and the language "/" must redirect to: what the app
// decides (src/public/urls.ts) and what deploy/nginx.conf must answer the same way.
export const ACCEPT_LANGUAGE_TABLE: readonly [header: string | undefined, lang: 'kk' | 'ru' | 'en'][] = [
  [undefined, 'en'],
  ['', 'en'],
  ['ru', 'ru'],
  ['kk-KZ', 'kk'],
  ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'ru'],
  ['en;q=0.1, ru;q=0.9', 'ru'],
  ['de-DE, kk;q=0.2, ru;q=0.1', 'kk'],
  ['de, fr;q=0.9', 'en'],
  ['*', 'en'],
  ['ru;q=0, kk;q=0.5', 'kk'],
  ['KK-kz', 'kk'],
  ['kk-Cyrl-KZ;q=0.8, en;q=0.8', 'kk'],
  ['en-GB;q=0.5, ru;q=0.50', 'en'],
  ['ru;q=abc, kk', 'kk'],
  ['uk-UA, ru;q=0.9', 'ru'],
  ['en;q=0.001, kk;q=0.002', 'kk'],
];
