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
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { DEFAULT_LANG, type Lang, isLang, localized } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import { type Mailer, MailError, mailError } from '../../mail/mailer.ts';
import { newMessageId } from '../../mail/message-id.ts';
import type { Metrics } from '../../metrics.ts';
import type { Database } from '../../store/database.ts';
import { completeRunIfDone, findRunById } from '../../store/repositories/digest.ts';
import {
  type ClaimedDelivery,
  claimDeliveries,
  markDeliveriesSent,
  markDeliveryFailed,
  markDeliverySkipped,
  markDeliveryUncertain,
  markSending,
  releaseDeliveries,
  releaseExpiredLeases,
} from '../../store/repositories/digest-deliveries.ts';
import { forRoutes, runContent } from './derive.ts';
import { type DigestComposer, composerCache, digestMail, unsubscribeUrl } from './outgoing.ts';
import { unsubscribeTokenOf } from '../unsubscribe-links.ts';

export { type DigestComposer, digestMail, unsubscribeUrl };

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
export const MAX_ATTEMPTS = 8;
/** Deliveries a worker claims per statement. */
const BATCH = 25;

/** 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Coalesces the same write of several workers that reach it together into one
 * statement; each caller gets its own row's answer, or the statement's error.
 */
function coalesced<I extends { id: number }, R>(write: (items: I[]) => Promise<Map<number, R>>) {
  let queue: { item: I; done: (r: R | undefined) => void; fail: (e: unknown) => void }[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    try {
      const result = await write(batch.map((b) => b.item));
      for (const b of batch) b.done(result.get(b.item.id));
    } catch (err) {
      for (const b of batch) b.fail(err);
    }
  };
  return (item: I) =>
    new Promise<R | undefined>((done, fail) => {
      if (queue.push({ item, done, fail }) === 1) setImmediate(() => void flush());
    });
}

type Outcome =
  | { kind: 'sent'; id: number; token: string }
  | { kind: 'failed'; id: number; token: string; error: string; retryAt: Date | null }
  | { kind: 'uncertain'; id: number; token: string; error: string };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

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
  const { database, clock, mailer, logger } = deps;
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
  const render = composerCache(deps.composeDigest);
  const aboutToSend = coalesced((rows: { id: number; token: string; fallbackMessageId: string }[]) =>
    markSending(database, rows, clock.now()),
  );
  const recordSent = coalesced(async (rows: { id: number; token: string }[]) => {
    const done = await markDeliveriesSent(database, rows, clock.now());
    return new Map(rows.map((r) => [r.id, done.has(r.id)]));
  });
  /** Known outcomes not yet written, and claimed rows not yet given back. */
  const unwritten: Outcome[] = [];
  const unreleased: { ids: number[]; token: string }[] = [];

  const stop = (by: 'mail_server' | 'database', err?: unknown) => {
    if (stats.halted) return;
    stats.halted = true;
    stats.stoppedBy = by;
    if (by === 'database')
      logger.error(
        { err, runId },
        'digest: the database cannot record deliveries; no further sends in this run',
      );
    else
      logger.warn(
        { err: (err as Error)?.message, runId },
        'digest: the mail server is not answering; this pass stops',
      );
  };
  const stopping = () => stats.halted || Boolean(options.signal?.aborted);

  const write = async (o: Outcome) => {
    if (o.kind === 'sent') {
      if (!(await recordSent(o)))
        logger.warn({ deliveryId: o.id }, 'digest delivery sent after its lease was taken over');
    } else if (o.kind === 'failed') await markDeliveryFailed(database, o.id, o.token, o);
    else await markDeliveryUncertain(database, o.id, o.token, o.error);
  };
  const settle = async (o: Outcome) => {
    try {
      await write(o);
    } catch (err) {
      stop('database', err);
      unwritten.push(o);
    }
  };

  const sendOne = async (d: ClaimedDelivery, token: string) => {
    if (d.subscriberStatus !== 'active' || !d.email || d.subscriberId === null) {
      await markDeliverySkipped(database, d.id, token, 'not an active subscriber any more');
      stats.skipped++;
      return;
    }
    const started = await aboutToSend({
      id: d.id,
      token,
      fallbackMessageId: newMessageId(`digest-${runId}-${d.id}`, deps.config.MAIL_FROM),
    });
    if (!started) return; // the lease was taken over: someone else has this row now
    // Stopped while waiting for the mark: this row is `sending` and is not sent: say why.
    if (stopping()) {
      await settle({
        kind: 'failed',
        id: d.id,
        token,
        error: 'not sent: the run stopped',
        retryAt: clock.now(),
      });
      return;
    }
    const lang: Lang = isLang(d.language) ? d.language : DEFAULT_LANG;
    const base = d.audience === 'staff' ? content.staff : content.public;
    const routeIds = d.allRoutes ? null : d.routeIds;
    const unsubscribeToken = await unsubscribeTokenOf(
      { db: database.db, config: deps.config },
      d.subscriberId,
    );
    const url = unsubscribeUrl(deps.config.PUBLIC_BASE_URL, unsubscribeToken);
    const parts = render(forRoutes(base, routeIds), lang, routeIds ? routeIds.join(',') : '*', url);
    const mail = digestMail(deps.config, parts, {
      ...{ to: d.email, lang, slug: content.public.operation.slug },
      ...{ messageId: started.messageId, unsubscribeUrl: url },
      fromName: content.public.operation.authority
        ? localized(content.public.operation.authority, lang)
        : null,
    });
    try {
      await mailer.send(mail);
    } catch (err) {
      const e = err instanceof MailError ? err : mailError(err);
      deps.metrics?.digestDeliveries.inc({ outcome: e.maybeDelivered ? 'uncertain' : 'failed' });
      if (e.maybeDelivered) {
        stats.uncertain++;
        await settle({ kind: 'uncertain', id: d.id, token, error: `may have been delivered: ${e.message}` });
      } else {
        stats.failed++;
        const giveUp = e.permanent || started.attempts >= MAX_ATTEMPTS;
        const retryAt = giveUp ? null : new Date(clock.now().getTime() + retryDelayMs(started.attempts));
        await settle({ kind: 'failed', id: d.id, token, error: e.message, retryAt });
      }
      if (e.connection) stop('mail_server', e);
      return;
    }
    deps.metrics?.digestDeliveries.inc({ outcome: 'sent' });
    stats.sent++;
    options.onSent?.(d.id);
    // The worker waits for this before its next send, so a stop is never late.
    await settle({ kind: 'sent', id: d.id, token });
  };

  const worker = async () => {
    while (!stopping()) {
      const now = clock.now();
      const token = randomUUID();
      let batch: ClaimedDelivery[];
      try {
        batch = await claimDeliveries(
          database,
          runId,
          now,
          { until: new Date(now.getTime() + LEASE_MS), token },
          BATCH,
        );
      } catch (err) {
        return stop('database', err);
      }
      if (batch.length === 0) return;
      for (const [i, d] of batch.entries()) {
        if (stopping()) {
          const rest = batch.slice(i).map((x) => x.id);
          await releaseDeliveries(database, rest, token).catch(() => unreleased.push({ ids: rest, token }));
          return;
        }
        try {
          await sendOne(d, token);
        } catch (err) {
          // A step before the SMTP transaction could not be written: nothing was sent.
          stop('database', err);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));

  if (unwritten.length || unreleased.length) {
    // The database went away mid-run: write what this process knows once it is back.
    const until = Date.now() + (options.settleWithinMs ?? 30_000);
    for (let wait = 250; (unwritten.length || unreleased.length) && !options.signal?.aborted; wait *= 2) {
      try {
        while (unwritten.length) await write(unwritten[0]!).then(() => unwritten.shift());
        while (unreleased.length)
          await releaseDeliveries(database, unreleased[0]!.ids, unreleased[0]!.token).then(() =>
            unreleased.shift(),
          );
      } catch {
        if (Date.now() + wait > until) break;
        await sleep(Math.min(wait, 4_000), options.signal);
      }
    }
    stats.unrecorded = unwritten.length;
    if (unwritten.length)
      logger.error(
        { runId, unrecorded: unwritten.length, leaseUntil: new Date(clock.now().getTime() + LEASE_MS) },
        'digest: outcomes of deliveries handed to the mail server could not be recorded; they become uncertain when their lease ends and are not resent',
      );
    else logger.info({ runId }, 'digest: the database is back; every known outcome is recorded');
  }
  if (!stats.halted || stats.stoppedBy === 'mail_server')
    await completeRunIfDone(database, runId, clock.now()).catch(() => {});
  return stats;
}
