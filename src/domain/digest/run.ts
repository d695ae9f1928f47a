// Claiming a day's run and the scheduler's tick. A run is claimed by inserting
// its row: the unique (operation, day) key lets exactly one process win, and the
// content and every delivery row are written in the same transaction.
import type { Logger } from '../../log.ts';
import type { Database } from '../../store/database.ts';
import { type OperationRow, listOperations } from '../../store/repositories/catalog.ts';
import {
  type DigestRunRow,
  enqueueDeliveries,
  findRun,
  insertRunIfAbsent,
  openRuns,
} from '../../store/repositories/digest.ts';
import type { Db } from '../../store/database.ts';
import { correctionsOf } from '../../store/repositories/as-of.ts';
import { readStateAsOf } from '../as-of.ts';
import { endOfDay, shiftDay } from '../calendar.ts';
import { messageIdTemplate } from '../../mail/message-id.ts';
import { type DigestRunContent, buildDigestContent } from './content.ts';
import { runContent } from './derive.ts';
import { type PublicDays, recordedPublicDays } from './public-days.ts';
import type { DayChains } from '../day-chains.ts';

export { runContent };
import { dueDay } from './day.ts';
import { type DrainDeps, type DrainStats, drainRun } from './deliver.ts';

/** Open runs younger than this are still drained (retries); older ones are left as they are. */
const RETRY_WINDOW_MS = 36 * 3_600_000;

/** What a day's digest is built from: the states as of the ends of D and D−1, and D's late corrections. */
async function digestInputs(db: Db, operation: OperationRow, day: string) {
  const tz = operation.timeZone;
  const at = endOfDay(day, tz);
  const snapshot = await readStateAsOf(db, operation.id, at);
  const previousSnapshot = await readStateAsOf(db, operation.id, endOfDay(shiftDay(day, -1), tz));
  // Re-run of a day already sent: say what was recorded since, as of that day or before.
  const sent = await findRun(db, operation.id, day);
  const ids = snapshot.routes.flatMap((r) => r.movements.map((m) => m.id));
  const corrections = sent ? await correctionsOf(db, ids, sent.createdAt, at) : [];
  return { snapshot, previousSnapshot, corrections };
}

/**
 * The public states the digest of `day` prints: the as-of day ends recorded in the
 * disclosure ledger (public-days.ts). Null (the two days are then projected on their
 * own) only where the ledger has no chain: an operation not public, a day to come.
 */
function publicDaysOf(
  deps: DigestDays,
  operation: OperationRow,
  day: string,
  now: Date,
): Promise<PublicDays | null> {
  return recordedPublicDays(deps.database, operation.id, day, now, deps.dayChains);
}

/** Where the digest's days are audited: `dayChains` (the server: a worker thread), else on this thread. */
export type DigestDays = { database: Database; dayChains?: DayChains };

/** The digest of `day` as it reads now (for previews, dry runs and re-runs of earlier days). */
export async function computeDigest(
  deps: DigestDays,
  input: { operation: OperationRow; day: string; now: Date },
): Promise<DigestRunContent> {
  const db = deps.database.db;
  const publicDays = await publicDaysOf(deps, input.operation, input.day, input.now);
  const facts = await db.transaction((tx) => digestInputs(tx, input.operation, input.day), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
  return buildDigestContent({ ...facts, publicDays, day: input.day, now: input.now });
}

export type ClaimResult = { run: DigestRunRow; created: boolean; queued: number };

export async function claimDigestRun(
  deps: DigestDays & { config?: { MAIL_FROM: string } },
  input: { operation: OperationRow; day: string; now: Date; claimedBy: string },
): Promise<ClaimResult> {
  const { database } = deps;
  const { operation, day, now } = input;
  const claimed = await findRun(database.db, operation.id, day);
  if (claimed) return { run: claimed, created: false, queued: 0 };
  // Before the claim's transaction: recording them takes the ledger's own transaction.
  const publicDays = await publicDaysOf(deps, operation, day, now);
  return database.db.transaction(async (tx) => {
    const existing = await findRun(tx, operation.id, day);
    if (existing) return { run: existing, created: false, queued: 0 };
    const inputs = await digestInputs(tx, operation, day);
    const content = buildDigestContent({ ...inputs, publicDays, day, now });
    const run = await insertRunIfAbsent(tx, {
      operationId: operation.id,
      day,
      snapshot: content,
      claimedBy: input.claimedBy,
      now,
    });
    // Someone else's insert won (on PostgreSQL we waited for it to commit): theirs stands.
    if (!run) return { run: (await findRun(tx, operation.id, day))!, created: false, queued: 0 };
    const queued = await enqueueDeliveries(database, tx, {
      runId: run.id,
      operationId: operation.id,
      now,
      // Fixed now, so that every attempt and any resend carries the same Message-ID.
      messageId: messageIdTemplate(`digest-${day}`, deps.config?.MAIL_FROM ?? 'digest@localhost'),
    });
    return { run, created: true, queued };
  });
}

export type TickResult = {
  claimed: { operationId: number; day: string; queued: number }[];
  drained: DrainStats[];
};

/**
 * One scheduler tick: claim each active operation's due day if nobody has, then
 * drain every open run (first sends, and retries whose time has come).
 */
export async function runDueDigests(
  deps: DrainDeps & DigestDays & { logger: Logger },
  options: { claimedBy: string; signal?: AbortSignal; concurrency?: number },
): Promise<TickResult> {
  const { database, clock } = deps;
  const now = clock.now();
  const result: TickResult = { claimed: [], drained: [] };
  for (const operation of await listOperations(database.db)) {
    if (operation.status !== 'active') continue;
    const day = dueDay(now, operation.digestTime, operation.timeZone);
    if (await findRun(database.db, operation.id, day)) continue;
    const claim = await claimDigestRun(deps, { operation, day, now, claimedBy: options.claimedBy });
    if (claim.created) {
      result.claimed.push({ operationId: operation.id, day, queued: claim.queued });
      deps.logger.info({ operationId: operation.id, day, queued: claim.queued }, 'digest run claimed');
    }
  }
  for (const run of await openRuns(database.db, new Date(now.getTime() - RETRY_WINDOW_MS))) {
    if (options.signal?.aborted) break;
    const stats = await drainRun(deps, run.id, { signal: options.signal, concurrency: options.concurrency });
    if (stats.sent + stats.failed + stats.skipped + stats.uncertain + stats.requeued > 0 || stats.halted)
      deps.logger.info({ day: run.day, ...stats }, 'digest deliveries');
    result.drained.push(stats);
  }
  return result;
}
