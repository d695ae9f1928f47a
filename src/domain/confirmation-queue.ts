// Use case: send the confirmation mails that waited for the hourly ceiling, oldest
// first, while the ceiling allows. Every process may run it (each row is taken with
// SKIP LOCKED and leaves the queue in the same statement); a mail that fails goes
// back in the queue. Run by src/jobs/confirmation-queue.ts.
import { type Lang, isLang } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { ConfirmationComposer } from '../mail/compose.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Metrics } from '../metrics.ts';
import type { Database } from '../store/database.ts';
import { listOperations } from '../store/repositories/catalog.ts';
import {
  hasQueuedConfirmation,
  requeueConfirmation,
  takeQueuedConfirmation,
} from '../store/repositories/subscribers.ts';
import {
  CONFIRM_TTL_MS,
  type ConfirmationConfig,
  hashToken,
  newToken,
  sendConfirmationMail,
  underConfirmationCeiling,
} from './subscriptions.ts';

export type QueueDeps = {
  database: Database;
  now: Date;
  mailer: Mailer;
  composeConfirmation: ConfirmationComposer;
  metrics?: Pick<Metrics, 'signupConfirmations'>;
  logger?: Logger;
  config: ConfirmationConfig;
};

/** Send waiting confirmations until the queue is empty or the ceiling is reached; returns how many. */
export async function sendQueuedConfirmations(deps: QueueDeps, max = 1000): Promise<number> {
  let sent = 0;
  const operations = new Map((await listOperations(deps.database.db)).map((o) => [o.id, o]));
  while (sent < max && (await hasQueuedConfirmation(deps.database.db))) {
    if (!(await underConfirmationCeiling(deps))) break;
    const token = newToken();
    const row = await takeQueuedConfirmation(deps.database.db, {
      confirmTokenHash: hashToken(token),
      confirmExpiresAt: new Date(deps.now.getTime() + CONFIRM_TTL_MS),
    });
    if (!row) break; // another process took the last one
    const operation = operations.get(row.operationId);
    const pending = row.pendingPreferences;
    if (!operation || !pending) continue;
    const language: Lang = isLang(pending.language) ? pending.language : row.language;
    try {
      await sendConfirmationMail(deps, { operation, email: row.email, language, token });
    } catch (err) {
      await requeueConfirmation(deps.database.db, row.id, hashToken(token), deps.now);
      deps.metrics?.signupConfirmations.inc({ outcome: 'failed' });
      deps.logger?.warn({ err }, 'a queued confirmation mail failed; it waits again');
      break;
    }
    deps.metrics?.signupConfirmations.inc({ outcome: 'sent_later' });
    sent++;
  }
  if (sent > 0) deps.logger?.info({ sent }, 'sent confirmation mails that waited for the hourly ceiling');
  return sent;
}
