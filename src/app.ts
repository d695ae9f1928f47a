// Builds the app from its dependencies; opens nothing itself. The result is a plain
// node request listener: the public fast path first, then express.
import type { RequestListener } from 'node:http';
import express from 'express';
import type { AppDeps } from './deps.ts';
import { buildPublicCache } from './public/setup.ts';
import { bodySizeGuard, formBodies } from './routes/body-limits.ts';
import { healthRouter } from './routes/health.ts';
import { metricsRouter } from './routes/metrics.ts';
import { robotsRendition } from './public/robots.ts';
import {
  errorHandler,
  languageSelection,
  notFoundHandler,
  publicLanguage,
  requestContext,
} from './routes/middleware.ts';
import { publicRouter } from './routes/public.ts';
import { wellFormedQuery } from './routes/query-text.ts';
import { publicAsOfRouter } from './routes/public-as-of.ts';
import { createAsOfService } from './public/as-of.ts';
import { publicFastPath, type TrustProxy } from './routes/public-fast-path.ts';
import { securityHeaders } from './routes/security-headers.ts';
import { staffRouter } from './routes/staff/index.ts';
import { subscribeRouter } from './routes/subscribe.ts';

/** `fastPath: false` leaves every request to express (a test compares the two). */
export function createApp(deps: AppDeps, options: { fastPath?: boolean } = {}): RequestListener {
  const cache = deps.publicCache ?? buildPublicCache(deps);
  const robots = robotsRendition();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(deps.config.TRUST_PROXY));
  // express 5's default, said here because routes rely on it: node's querystring, so
  // `a[b]=1` is a parameter named "a[b]", never an object. wellFormedQuery checks its input.
  app.set('query parser', 'simple');
  app.use(requestContext(deps));
  app.use(securityHeaders);
  app.use(healthRouter(deps));
  app.use(metricsRouter(deps));
  // Public reads (GET only) pass no body parser, language middleware or staff router.
  app.use(publicAsOfRouter(deps.publicAsOf ?? createAsOfService(deps)));
  app.use(publicRouter(cache, robots));
  // Every route below reads its query through this rule (the public outputs above ignore theirs).
  app.use(wellFormedQuery);
  app.use(publicLanguage);
  app.use(bodySizeGuard(deps.config), ...formBodies(deps.config));
  // The staff dashboard shows a build the disclosure audit refused (cache.refusal()).
  app.use('/staff', languageSelection, staffRouter({ ...deps, publicCache: cache }));
  app.use(subscribeRouter(deps));
  app.use(notFoundHandler);
  app.use(errorHandler(deps));
  const fastPath = publicFastPath(deps, cache, app.get('trust proxy fn') as TrustProxy, robots);
  if (options.fastPath === false) return app;
  return (req, res) => {
    if (!fastPath(req, res)) app(req, res);
  };
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
