// What the app is built from. server.ts wires the real ones; tests pass theirs.
import type { Clock } from './clock.ts';
import type { DayChains } from './domain/day-chains.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Metrics } from './metrics.ts';
import type { AsOfService } from './public/as-of.ts';
import type { PublicCache } from './public/cache.ts';
import type { Database } from './store/database.ts';
import type { Renderer } from './views.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  renderer: Renderer;
  metrics: Metrics;
  /** SMTP (pooled) or the .eml outbox; see src/mail/mailer.ts. */
  mailer: Mailer;
  /** The public outputs' cache; built by the public router when absent (src/public/cache.ts). */
  publicCache?: PublicCache;
  /** The JSON as of a past moment (src/public/as-of.ts); built by the app when absent. */
  publicAsOf?: AsOfService;
  /**
   * Where the digest's days are audited (its preview and its runs): the server's is a worker
   * thread (src/public/as-of-chains.ts); absent, on this thread.
   */
  dayChains?: DayChains;
}
