// One delivery of a drain (deliver.ts): marked `sending` (committed) right before
// its SMTP transaction, addressed to its recipient (language, chosen routes,
// unsubscribe link), handed to the mail server, and its outcome recorded through
// the drain's ledger (deliver-ledger.ts): sent, failed (retried later or final),
// or uncertain when the message may have reached the server.
import type { Clock } from '../../clock.ts';
import { DEFAULT_LANG, type Lang, isLang, localized } from '../../i18n/index.ts';
import { type Mailer, MailError, mailError } from '../../mail/mailer.ts';
import { newMessageId } from '../../mail/message-id.ts';
import type { Metrics } from '../../metrics.ts';
import type { Database } from '../../store/database.ts';
import { markDeliverySkipped, type ClaimedDelivery } from '../../store/repositories/digest-deliveries.ts';
import { unsubscribeTokenOf } from '../unsubscribe-links.ts';
import type { DigestRunContent } from './content-model.ts';
import type { Ledger } from './deliver-ledger.ts';
import { forRoutes } from './derive.ts';
import { type composerCache, digestMail, unsubscribeUrl } from './outgoing.ts';

export const MAX_ATTEMPTS = 8;

/** 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export type SendContext = {
  deps: {
    database: Database;
    clock: Clock;
    mailer: Mailer;
    metrics?: Pick<Metrics, 'digestDeliveries'>;
    config: { PUBLIC_BASE_URL: string; MAIL_FROM: string; UNSUBSCRIBE_KEY?: string };
  };
  runId: number;
  content: DigestRunContent;
  render: ReturnType<typeof composerCache>;
  ledger: Ledger;
  stats: { sent: number; failed: number; skipped: number; uncertain: number };
  onSent?: (deliveryId: number) => void;
};

/** Sends one claimed delivery; throws only when a step before the SMTP transaction cannot be written. */
export async function sendOne(ctx: SendContext, d: ClaimedDelivery, token: string): Promise<void> {
  const { deps, runId, content, ledger, stats } = ctx;
  const { database, clock } = deps;
  if (d.subscriberStatus !== 'active' || !d.email || d.subscriberId === null) {
    await markDeliverySkipped(database, d.id, token, 'not an active subscriber any more');
    stats.skipped++;
    return;
  }
  const started = await ledger.aboutToSend({
    id: d.id,
    token,
    fallbackMessageId: newMessageId(`digest-${runId}-${d.id}`, deps.config.MAIL_FROM),
  });
  if (!started) return; // the lease was taken over: someone else has this row now
  // Stopped while waiting for the mark: this row is `sending` and is not sent: say why.
  if (ledger.stopping()) {
    const error = 'not sent: the run stopped';
    await ledger.settle({ kind: 'failed', id: d.id, token, error, retryAt: clock.now() });
    return;
  }
  const lang: Lang = isLang(d.language) ? d.language : DEFAULT_LANG;
  const base = d.audience === 'staff' ? content.staff : content.public;
  const routeIds = d.allRoutes ? null : d.routeIds;
  const unsubscribeToken = await unsubscribeTokenOf({ db: database.db, config: deps.config }, d.subscriberId);
  const url = unsubscribeUrl(deps.config.PUBLIC_BASE_URL, unsubscribeToken, lang);
  const parts = ctx.render(forRoutes(base, routeIds), lang, routeIds ? routeIds.join(',') : '*', url);
  const operation = content.public.operation;
  const mail = digestMail(deps.config, parts, {
    ...{ to: d.email, lang, slug: operation.slug },
    ...{ messageId: started.messageId, unsubscribeUrl: url },
    fromName: operation.authority ? localized(operation.authority, lang) : null,
  });
  try {
    await deps.mailer.send(mail);
  } catch (err) {
    await refused(ctx, d, token, started.attempts, err instanceof MailError ? err : mailError(err));
    return;
  }
  deps.metrics?.digestDeliveries.inc({ outcome: 'sent' });
  stats.sent++;
  ctx.onSent?.(d.id);
  // The worker waits for this before its next send, so a stop is never late.
  await ledger.settle({ kind: 'sent', id: d.id, token });
}

/** The mail server refused or broke off: uncertain if the message may have reached it, else failed. */
async function refused(ctx: SendContext, d: ClaimedDelivery, token: string, attempts: number, e: MailError) {
  const { deps, ledger, stats } = ctx;
  deps.metrics?.digestDeliveries.inc({ outcome: e.maybeDelivered ? 'uncertain' : 'failed' });
  if (e.maybeDelivered) {
    stats.uncertain++;
    await ledger.settle({
      kind: 'uncertain',
      id: d.id,
      token,
      error: `may have been delivered: ${e.message}`,
    });
  } else {
    stats.failed++;
    const giveUp = e.permanent || attempts >= MAX_ATTEMPTS;
    const retryAt = giveUp ? null : new Date(deps.clock.now().getTime() + retryDelayMs(attempts));
    await ledger.settle({ kind: 'failed', id: d.id, token, error: e.message, retryAt });
  }
  if (e.connection) ledger.stop('mail_server', e);
}
