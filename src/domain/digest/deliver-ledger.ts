// What a drain (deliver.ts) writes down, and what it does when it cannot: each
// delivery's steps (sending, sent, failed, uncertain) coalesced into few statements,
// the stop of the whole drain at the first step it cannot record, and, once the
// database answers again, the outcomes it already knows and the rows it claimed
// but never started. Kept apart so the drain itself reads as claim → send → record.
import type { Clock } from '../../clock.ts';
import { monotonicMs } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import type { Database } from '../../store/database.ts';
import {
  markDeliveriesSent,
  markDeliveryFailed,
  markDeliveryUncertain,
  markSending,
  releaseDeliveries,
} from '../../store/repositories/digest-deliveries.ts';

export type Outcome =
  | { kind: 'sent'; id: number; token: string }
  | { kind: 'failed'; id: number; token: string; error: string; retryAt: Date | null }
  | { kind: 'uncertain'; id: number; token: string; error: string };

export type StopReason = 'mail_server' | 'database';

/** What the ledger reports into (the drain's stats). */
export type LedgerStats = { halted: boolean; stoppedBy?: StopReason; unrecorded: number };

export type Ledger = ReturnType<typeof createLedger>;

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

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export function createLedger(
  deps: { database: Database; clock: Clock; logger: Logger },
  runId: number,
  stats: LedgerStats,
  signal?: AbortSignal,
) {
  const { database, clock, logger } = deps;
  /** Known outcomes not yet written, and claimed rows not yet given back. */
  const unwritten: Outcome[] = [];
  const unreleased: { ids: number[]; token: string }[] = [];

  const aboutToSend = coalesced((rows: { id: number; token: string; fallbackMessageId: string }[]) =>
    markSending(database, rows, clock.now()),
  );
  const recordSent = coalesced(async (rows: { id: number; token: string }[]) => {
    const done = await markDeliveriesSent(database, rows, clock.now());
    return new Map(rows.map((r) => [r.id, done.has(r.id)]));
  });

  const stop = (by: StopReason, err?: unknown) => {
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
  const stopping = () => stats.halted || Boolean(signal?.aborted);

  const write = async (o: Outcome) => {
    if (o.kind === 'sent') {
      if (!(await recordSent(o)))
        logger.warn({ deliveryId: o.id }, 'digest delivery sent after its lease was taken over');
    } else if (o.kind === 'failed') await markDeliveryFailed(database, o.id, o.token, o);
    else await markDeliveryUncertain(database, o.id, o.token, o.error);
  };
  /** Writes an outcome; when the database cannot, stops the drain and keeps it for later. */
  const settle = async (o: Outcome) => {
    try {
      await write(o);
    } catch (err) {
      stop('database', err);
      unwritten.push(o);
    }
  };
  /** Gives claimed rows back to the queue (later, if the database cannot now). */
  const release = (ids: number[], token: string) =>
    releaseDeliveries(database, ids, token).catch(() => unreleased.push({ ids, token }));

  /** The database went away mid-run: write what this process knows once it is back. */
  const writeBacklog = async (settleWithinMs: number, leaseMs: number) => {
    if (!unwritten.length && !unreleased.length) return;
    const until = monotonicMs() + settleWithinMs;
    for (let wait = 250; (unwritten.length || unreleased.length) && !signal?.aborted; wait *= 2) {
      try {
        while (unwritten.length) await write(unwritten[0]!).then(() => unwritten.shift());
        while (unreleased.length)
          await releaseDeliveries(database, unreleased[0]!.ids, unreleased[0]!.token).then(() =>
            unreleased.shift(),
          );
      } catch {
        if (monotonicMs() + wait > until) break;
        await sleep(Math.min(wait, 4_000), signal);
      }
    }
    stats.unrecorded = unwritten.length;
    if (unwritten.length)
      logger.error(
        { runId, unrecorded: unwritten.length, leaseUntil: new Date(clock.now().getTime() + leaseMs) },
        'digest: outcomes of deliveries handed to the mail server could not be recorded; they become uncertain when their lease ends and are not resent',
      );
    else logger.info({ runId }, 'digest: the database is back; every known outcome is recorded');
  };

  return { aboutToSend, settle, stop, stopping, release, writeBacklog };
}
