// The public outputs: the status page, GET /api/v1/status, /feed.atom, /status.csv.
// Every one is served from the public cache (src/public/cache.ts).
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { createPublicCache, type PublicFormat } from '../public/cache.ts';
import { sendRendition } from '../public/http.ts';
import { publicRenderer } from '../public/render.ts';

/** Per-language outputs depend on ?lang=, the cookie and Accept-Language. */
const VARY_LANG = 'Accept-Encoding, Accept-Language, Cookie';
const VARY = 'Accept-Encoding';

export function publicRouter(deps: AppDeps): Router {
  const cache =
    deps.publicCache ??
    createPublicCache({
      database: deps.database,
      clock: deps.clock,
      logger: deps.logger,
      metrics: deps.metrics,
      render: publicRenderer({ renderer: deps.renderer, baseUrl: deps.config.PUBLIC_BASE_URL }),
    });
  const router = Router();
  const serve =
    (format: PublicFormat, perLanguage: boolean) =>
    async (req: import('express').Request, res: import('express').Response) => {
      const lang = perLanguage ? res.locals.lang : 'en';
      res.locals.publicRead = true;
      sendRendition(req, res, await cache.get(lang, format), perLanguage ? VARY_LANG : VARY);
    };
  router.get('/', serve('html', true));
  router.get('/api/v1/status', serve('json', false));
  router.get('/feed.atom', serve('atom', true));
  router.get('/status.csv', serve('csv', false));
  return router;
}
