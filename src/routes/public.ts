// The public outputs: the status page, GET /api/v1/status, /feed.atom, /status.csv.
// Every one is served from the public cache (src/public/cache.ts). Reads whose copy is
// ready are answered before express by the fast path (src/routes/public-fast-path.ts);
// this router answers the rest the same way.
import { Router } from 'express';
import type { PublicCache, PublicFormat } from '../public/cache.ts';
import { sendRendition } from '../public/http.ts';
import { PUBLIC_CONTENT_SECURITY_POLICY } from './security-headers.ts';

/** Per-language outputs depend on ?lang=, the cookie and Accept-Language. */
const VARY_LANG = 'Accept-Encoding, Accept-Language, Cookie';
const VARY = 'Accept-Encoding';

export const PUBLIC_OUTPUTS: readonly {
  path: string;
  format: PublicFormat;
  perLanguage: boolean;
  vary: string;
}[] = [
  { path: '/', format: 'html', perLanguage: true, vary: VARY_LANG },
  { path: '/api/v1/status', format: 'json', perLanguage: false, vary: VARY },
  { path: '/feed.atom', format: 'atom', perLanguage: true, vary: VARY_LANG },
  { path: '/status.csv', format: 'csv', perLanguage: false, vary: VARY },
  { path: '/methodology', format: 'methodology', perLanguage: true, vary: VARY_LANG },
];

export function publicRouter(cache: PublicCache): Router {
  const router = Router();
  for (const { path, format, perLanguage, vary } of PUBLIC_OUTPUTS) {
    router.get(path, async (req, res) => {
      const lang = perLanguage ? res.locals.lang : 'en';
      res.locals.publicRead = true;
      res.setHeader('Content-Security-Policy', PUBLIC_CONTENT_SECURITY_POLICY);
      sendRendition(req, res, await cache.get(lang, format), vary);
    });
  }
  return router;
}
