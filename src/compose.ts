// What the app is made of, from the config, a prepared database and a logger: the
// renderer, metrics, mailer and public cache (listening before the first request, so
// no change signal is missed — flow 4), then the app. server.ts runs it; so does the
// benchmark's app server, so that both measure and serve the same thing.
import type { RequestListener } from 'node:http';
import { createApp } from './app.ts';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { AppDeps } from './deps.ts';
import type { Logger } from './log.ts';
import { createMailer } from './mail/mailer.ts';
import { createMetrics } from './metrics.ts';
import { createAsOfService } from './public/as-of.ts';
import { workerDayChains } from './public/as-of-chains.ts';
import { buildPublicCache } from './public/setup.ts';
import type { Database } from './store/database.ts';
import { createRenderer } from './views.ts';

export async function composeApp(
  config: Config,
  database: Database,
  logger: Logger,
): Promise<{ app: RequestListener; deps: Required<AppDeps> }> {
  const renderer = createRenderer();
  const metrics = createMetrics();
  const base = { config, database, clock: systemClock, logger, renderer, metrics };
  const publicCache = buildPublicCache(base, { worker: true });
  await publicCache.start();
  // The as-of day ends are audited in a worker thread: seconds of CPU at crisis scale (as-of-chains.ts)…
  const chains = workerDayChains({ logger, semiSpaceMb: config.NODE_WORKER_SEMI_SPACE_MB });
  const publicAsOf = createAsOfService({ ...base, settleDays: true, chains });
  // …and the digest's days (its runs and staff's preview), in a worker of their own.
  const dayChains = workerDayChains({ logger, semiSpaceMb: config.NODE_WORKER_SEMI_SPACE_MB });
  const deps = { ...base, mailer: createMailer(config), publicCache, publicAsOf, dayChains };
  return { app: createApp(deps), deps };
}
