// Draining a run so that nobody ever gets a day's digest twice.
//
// Each delivery is claimed under a lease (nothing sent yet), then, right before
// its SMTP transaction, marked `sending` — committed, so the database knows the
// message may be with the server — and marked `sent` as soon as the server
// accepts it. Only `sending` rows can have reached anyone:
// - A worker that cannot record a step (the database is unreachable) stops the
//   whole drain at once: no worker starts another send. The outcomes it already
//   knows are written when the database answers again (within `settleWithinMs`).
// - Rows left `sending` with no outcome (the process died, or the database stayed
//   away) become `uncertain` when their lease runs out, and are never resent
//   automatically; staff see them and may ask for a resend, which is recorded.
// - Rows only claimed were never handed to the server and go back to the queue.
// - A send that broke after the message may have reached the server (no SMTP
//   reply) is uncertain too; a refusal with a reply is retried, or final (5xx).
// The digest is therefore at most once per recipient per day; the price is that
// an uncertain recipient may miss one until staff resend it.
// The parts: deliver-send.ts (one delivery), deliver-ledger.ts (recording the
// steps, stopping, and writing what is known once the database is back).
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import type { Mailer } from '../../mail/mailer.ts';
import type { Metrics } from '../../metrics.ts';
import type { Database } from '../../store/database.ts';
import { completeRunIfDone, findRunById } from '../../store/repositories/digest.ts';
import {
  type ClaimedDelivery,
  claimDeliveries,
  releaseExpiredLeases,
} from '../../store/repositories/digest-deliveries.ts';
import { createLedger } from './deliver-ledger.ts';
import { type SendContext, sendOne } from './deliver-send.ts';
import { runContent } from './derive.ts';
import { type DigestComposer, composerCache, digestMail, unsubscribeUrl } from './outgoing.ts';

export { type DigestComposer, digestMail, unsubscribeUrl };
export { MAX_ATTEMPTS, retryDelayMs } from './deliver-send.ts';

export type DrainDeps = {
  database: Database;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
  metrics?: Pick<Metrics, 'digestDeliveries'>;
  composeDigest: DigestComposer;
  config: { PUBLIC_BASE_URL: string; MAIL_FROM: string; UNSUBSCRIBE_KEY?: string };
};

export type DrainStats = {
  runId: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Resolved as uncertain by this drain: expired `sending` leases and sends broken mid-message. */
  uncertain: number;
  /** Claimed by a process that went away, never started: back in the queue. */
  requeued: number;
  /** Stopped early: the mail server did not answer, or the database could not record. */
  halted: boolean;
  stoppedBy?: 'mail_server' | 'database';
  /** Outcomes this process knew but could not write (the database stayed away). */
  unrecorded: number;
};

export const LEASE_MS = 10 * 60_000;
/** Deliveries a worker claims per statement. */
const BATCH = 25;

export async function drainRun(
  deps: DrainDeps,
  runId: number,
  options: {
    concurrency?: number;
    signal?: AbortSignal;
    onSent?: (deliveryId: number) => void;
    /** After the database stopped answering, how long to keep trying to write what is known. */
    settleWithinMs?: number;
  } = {},
): Promise<DrainStats> {
  const { database, clock, logger } = deps;
  const stats: DrainStats = {
    ...{ runId, sent: 0, failed: 0, skipped: 0, uncertain: 0, requeued: 0 },
    ...{ halted: false, unrecorded: 0 },
  };
  const run = await findRunById(database.db, runId);
  const content = run ? runContent(run) : null;
  if (!run || !content) return stats;
  const expired = await releaseExpiredLeases(database, runId, clock.now());
  stats.uncertain += expired.uncertain;
  stats.requeued += expired.requeued;
  if (expired.uncertain)
    logger.warn(
      { runId, uncertain: expired.uncertain },
      'digest: deliveries left sending by a stopped process are uncertain; not resent',
    );
  const ledger = createLedger(deps, runId, stats, options.signal);
  const render = composerCache(deps.composeDigest);
  const ctx: SendContext = { deps, runId, content, render, ledger, stats, onSent: options.onSent };
  const worker = () => drainWorker(ctx, LEASE_MS);
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));

  await ledger.writeBacklog(options.settleWithinMs ?? 30_000, LEASE_MS);
  if (!stats.halted || stats.stoppedBy === 'mail_server')
    await completeRunIfDone(database, runId, clock.now()).catch(() => {});
  return stats;
}

/** One worker: claims a batch under a lease, sends it one by one, until none is left or the drain stops. */
async function drainWorker(ctx: SendContext, leaseMs: number): Promise<void> {
  const { deps, runId, ledger } = ctx;
  while (!ledger.stopping()) {
    const now = deps.clock.now();
    const token = randomUUID();
    let batch: ClaimedDelivery[];
    try {
      const lease = { until: new Date(now.getTime() + leaseMs), token };
      batch = await claimDeliveries(deps.database, runId, now, lease, BATCH);
    } catch (err) {
      return ledger.stop('database', err);
    }
    if (batch.length === 0) return;
    for (const [i, d] of batch.entries()) {
      if (ledger.stopping()) {
        await ledger.release(
          batch.slice(i).map((x) => x.id),
          token,
        );
        return;
      }
      try {
        await sendOne(ctx, d, token);
      } catch (err) {
        // A step before the SMTP transaction could not be written: nothing was sent.
        ledger.stop('database', err);
      }
    }
  }
}
