// Draining a run: claim one delivery at a time (row lock + lease), send it, and
// record the outcome right after the server answers.
//
// The crash window. Deliveries are claimed `sending` under a lease, sent one at a
// time in id order, and each is marked `sent` as soon as the server accepts it.
// If the process dies, nobody can know whether the server accepted the one in
// flight — when the lease runs out that row becomes `uncertain` and is NOT
// resent (the claimed rows after it were never started and are requeued): the
// digest is at most once per recipient per day. The cost is that at most `concurrency` recipients (those in
// flight at the moment of the crash) may miss that day's digest; staff see them
// as uncertain and can send to them by hand (CLI --to). Resending instead would
// make it at least once, with the same few recipients possibly getting it twice.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { DEFAULT_LANG, type Lang, isLang } from '../../i18n/languages.ts';
import type { Logger } from '../../log.ts';
import { type Mailer, MailError, type OutgoingMail, mailError } from '../../mail/mailer.ts';
import type { Metrics } from '../../metrics.ts';
import type { Database } from '../../store/database.ts';
import {
  type ClaimedDelivery,
  claimDeliveries,
  completeRunIfDone,
  findRunById,
  markDeliveryFailed,
  markDeliveriesSent,
  markDeliverySkipped,
  releaseDeliveries,
  releaseExpiredLeases,
} from '../../store/repositories/digest.ts';
import type { DigestContent } from './content.ts';
import { forRoutes, runContent } from './derive.ts';

/** Renders one digest (subject, HTML, text) — injected so the domain stays free of templates. */
export type DigestComposer = (input: { content: DigestContent; lang: Lang; unsubscribeUrl: string }) => {
  subject: string;
  html: string;
  text: string;
};

export type DrainDeps = {
  database: Database;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
  metrics?: Pick<Metrics, 'digestDeliveries'>;
  composeDigest: DigestComposer;
  config: { PUBLIC_BASE_URL: string; MAIL_FROM: string };
};

export type DrainStats = {
  runId: number;
  sent: number;
  failed: number;
  skipped: number;
  uncertain: number;
  halted: boolean;
};

export const LEASE_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 8;
/** Deliveries a worker claims per statement. */
const BATCH = 25;

/** 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

const PLACEHOLDER = 'corridor-unsubscribe-placeholder';

export const unsubscribeUrl = (base: string, token: string) =>
  `${base.replace(/\/$/, '')}/subscribe/unsubscribe/${encodeURIComponent(token)}`;

/** Renders each (audience, language, routes) once per drain; only the unsubscribe link differs. */
function composerCache(compose: DigestComposer, max = 64) {
  const cache = new Map<string, ReturnType<DigestComposer>>();
  return (content: DigestContent, lang: Lang, routeKey: string, url: string) => {
    const key = `${content.audience}|${lang}|${routeKey}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = compose({ content, lang, unsubscribeUrl: PLACEHOLDER });
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(key, hit);
    }
    return {
      subject: hit.subject,
      html: hit.html.replaceAll(PLACEHOLDER, url),
      text: hit.text.replaceAll(PLACEHOLDER, url),
    };
  };
}

export function digestMail(
  config: DrainDeps['config'],
  parts: { subject: string; html: string; text: string },
  meta: { to: string; lang: string; slug: string; messageId: string; unsubscribeUrl: string },
): OutgoingMail {
  const host = new URL(config.PUBLIC_BASE_URL).hostname;
  return {
    from: config.MAIL_FROM,
    to: meta.to,
    ...parts,
    messageId: `<${meta.messageId}@${host}>`,
    language: meta.lang,
    headers: {
      'List-Unsubscribe': `<${meta.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `Corridor ${meta.slug} digest <${meta.slug}.digest.${host}>`,
      'Auto-Submitted': 'auto-generated',
    },
  };
}

/**
 * Records accepted sends, coalescing those of concurrent workers that complete
 * together into one statement (each still waits for its own row to be written).
 */
function sentRecorder(database: Database, clock: Clock) {
  type Pending = {
    id: number;
    token: string;
    messageId: string;
    done: (ok: boolean) => void;
    fail: (e: unknown) => void;
  };
  let queue: Pending[] = [];
  let scheduled = false;
  const flush = async () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    try {
      const recorded = await markDeliveriesSent(database, batch, clock.now());
      for (const p of batch) p.done(recorded.has(p.id));
    } catch (err) {
      for (const p of batch) p.fail(err);
    }
  };
  return (x: { id: number; token: string; messageId: string }) =>
    new Promise<boolean>((done, fail) => {
      queue.push({ ...x, done, fail });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void flush());
      }
    });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function drainRun(
  deps: DrainDeps,
  runId: number,
  options: { concurrency?: number; signal?: AbortSignal; onSent?: (deliveryId: number) => void } = {},
): Promise<DrainStats> {
  const { database, clock, mailer, logger } = deps;
  const stats: DrainStats = { runId, sent: 0, failed: 0, skipped: 0, uncertain: 0, halted: false };
  const run = await findRunById(database.db, runId);
  const content = run ? runContent(run) : null;
  if (!run || !content) return stats;
  stats.uncertain = await releaseExpiredLeases(database, runId, clock.now());
  const render = composerCache(deps.composeDigest);
  const recordSent = sentRecorder(database, clock);

  const sendOne = async (d: ClaimedDelivery, token: string) => {
    if (d.subscriberStatus !== 'active' || !d.email || !d.unsubscribeToken) {
      await markDeliverySkipped(database, d.id, token, 'not an active subscriber any more');
      stats.skipped++;
      return;
    }
    const lang: Lang = isLang(d.language) ? d.language : DEFAULT_LANG;
    const base = d.audience === 'staff' ? content.staff : content.public;
    const routeIds = d.allRoutes ? null : d.routeIds;
    const url = unsubscribeUrl(deps.config.PUBLIC_BASE_URL, d.unsubscribeToken);
    const parts = render(forRoutes(base, routeIds), lang, routeIds ? routeIds.join(',') : '*', url);
    const mail = digestMail(deps.config, parts, {
      to: d.email,
      lang,
      slug: content.public.operation.slug,
      messageId: `digest-${runId}-${d.id}`,
      unsubscribeUrl: url,
    });
    let messageId: string;
    try {
      messageId = (await mailer.send(mail)).messageId;
    } catch (err) {
      const e = err instanceof MailError ? err : mailError(err);
      const giveUp = e.permanent || d.attempts >= MAX_ATTEMPTS;
      const retryAt = giveUp ? null : new Date(clock.now().getTime() + retryDelayMs(d.attempts));
      await markDeliveryFailed(database, d.id, token, { error: e.message, retryAt });
      deps.metrics?.digestDeliveries.inc({ outcome: 'failed' });
      stats.failed++;
      // The server is not answering: stop this pass; the next tick retries.
      if (e.connection) stats.halted = true;
      return;
    }
    // Accepted: record it now (the worker waits for it before its next send, which
    // keeps "at most one unrecorded row per lease" true). A database hiccup here
    // must not lose the fact: retried, never turned into a resend.
    for (let attempt = 0; ; attempt++) {
      try {
        if (!(await recordSent({ id: d.id, token, messageId })))
          logger.warn({ deliveryId: d.id }, 'digest delivery sent after its lease was taken over');
        break;
      } catch (err) {
        if (attempt >= 4) {
          logger.error({ err, deliveryId: d.id }, 'could not record a sent digest; it stays marked sending');
          break;
        }
        await sleep(250 * 2 ** attempt);
      }
    }
    deps.metrics?.digestDeliveries.inc({ outcome: 'sent' });
    stats.sent++;
    options.onSent?.(d.id);
  };

  const worker = async () => {
    while (!stats.halted && !options.signal?.aborted) {
      const now = clock.now();
      const token = randomUUID();
      const lease = { until: new Date(now.getTime() + LEASE_MS), token };
      const batch = await claimDeliveries(database, runId, now, lease, BATCH);
      if (batch.length === 0) return;
      // One at a time, in id order: only one row of this lease is ever with the server.
      for (const [i, d] of batch.entries()) {
        if (stats.halted || options.signal?.aborted) {
          await releaseDeliveries(
            database,
            batch.slice(i).map((x) => x.id),
            token,
          );
          return;
        }
        await sendOne(d, token);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  await completeRunIfDone(database, runId, clock.now());
  return stats;
}
