// /robots.txt: the public pages, feeds and data may be read and indexed; the staff area
// may not, nor the sign-up's token pages (/subscribe/… and /{lang}/subscribe/…, whose
// paths src/public/urls.ts signUpPath makes; the forms themselves may be). A fixed text,
// made once at start, answered by the fast path and published beside the other files for nginx.
import { LANGUAGES } from '../i18n/index.ts';
import { type Rendition, encodeRenderedSync, toRendition } from './rendition.ts';
import { signUpPath } from './urls.ts';

export type StaticRendition = Rendition;

export const ROBOTS_PATH = '/robots.txt';

export const ROBOTS_TXT = [
  '# Corridor: public status pages, feeds and data may be read and indexed.',
  'User-agent: *',
  'Allow: /',
  'Disallow: /staff',
  'Disallow: /subscribe/',
  ...LANGUAGES.map((l) => `Disallow: ${signUpPath(l)}/`),
  '',
].join('\n');

/** When the text above last changed (its Last-Modified): change it with the text. */
const ROBOTS_CHANGED = new Date('2026-12-06T00:00:00Z');

export function robotsRendition(): StaticRendition {
  const encoded = encodeRenderedSync({ body: ROBOTS_TXT, contentType: 'text/plain; charset=utf-8' });
  return toRendition(encoded, {
    previous: undefined,
    changedAt: ROBOTS_CHANGED,
    readAt: ROBOTS_CHANGED,
    degraded: false,
  });
}
