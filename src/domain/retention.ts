// Retention: RETENTION_DAYS after an operation is closed, the personal and
// internal parts go — subscriber addresses and staff-only notes, including
// copies of notes inside audit events and stored digest snapshots. Figures,
// their history, public notes and the anonymised audit trail stay.
import type { Clock } from '../clock.ts';
import type { Db } from '../store/database.ts';
import { appendAudit } from '../store/repositories/audit.ts';
import * as repo from '../store/repositories/retention.ts';

const NOTE_KEYS = new Set(['staffNote', 'staff_note']);

/** A copy of a JSON value without any staff-note key, at any depth. */
export function withoutStaffNotes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStaffNotes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !NOTE_KEYS.has(k))
        .map(([k, v]) => [k, withoutStaffNotes(v)]),
    );
  }
  return value;
}

export type PurgeReport = {
  operationId: number;
  slug: string;
  subscribers: number;
  deliveryAddresses: number;
  movementNotes: number;
  routeNotes: number;
  auditEvents: number;
  digestSnapshots: number;
};

const touched = (r: PurgeReport) =>
  r.subscribers + r.deliveryAddresses + r.movementNotes + r.routeNotes + r.auditEvents + r.digestSnapshots >
  0;

/** Rows rewritten per read: a digest's stored snapshot can be hundreds of KB. */
const BATCH_SIZE = 50;

/**
 * Reads and rewrites the rows `read` finds, `size` at a time in id order, so the purge holds one
 * batch at a time whatever the operation's size (issue 20); returns how many were rewritten.
 */
async function inBatches<T extends { id: number }>(
  read: (batch: repo.RewriteBatch) => Promise<T[]>,
  rewrite: (row: T) => Promise<void>,
  size: number,
): Promise<number> {
  let done = 0;
  for (let afterId = 0; ;) {
    const rows = await read({ afterId, limit: size });
    for (const row of rows) await rewrite(row);
    done += rows.length;
    if (rows.length < size) return done;
    afterId = rows.at(-1)!.id;
  }
}

/**
 * Purge every operation closed at least `retentionDays` ago. Idempotent: a
 * second run finds nothing. Each operation is purged in one transaction; what
 * it rewrites is read a batch at a time (`batchSize`, for tests).
 */
export async function purgeClosedOperations(deps: {
  db: Db;
  clock: Clock;
  retentionDays: number;
  batchSize?: number;
}): Promise<PurgeReport[]> {
  const batchSize = deps.batchSize ?? BATCH_SIZE;
  const cutoff = new Date(deps.clock.now().getTime() - deps.retentionDays * 86_400_000);
  const due = await repo.closedOperationsBefore(deps.db, cutoff);
  const reports: PurgeReport[] = [];
  for (const op of due) {
    const report = await deps.db.transaction(async (tx) => {
      const r: PurgeReport = {
        operationId: op.id,
        slug: op.slug,
        subscribers: 0,
        deliveryAddresses: await repo.clearDeliveryAddresses(tx, op.id),
        movementNotes: 0,
        routeNotes: 0,
        auditEvents: 0,
        digestSnapshots: 0,
      };
      r.subscribers = await repo.deleteSubscribers(tx, op.id);
      const notes = await repo.clearStaffNotes(tx, op.id);
      r.movementNotes = notes.movements;
      r.routeNotes = notes.routes;
      r.auditEvents = await inBatches(
        (batch) => repo.auditEventsWithStaffNotes(tx, op.id, batch),
        (e) => repo.rewriteAuditEvent(tx, e.id, withoutStaffNotes(e.before), withoutStaffNotes(e.after)),
        batchSize,
      );
      r.digestSnapshots = await inBatches(
        (batch) => repo.digestRunsWithStaffNotes(tx, op.id, batch),
        (run) => repo.rewriteDigestSnapshot(tx, run.id, withoutStaffNotes(run.snapshot)),
        batchSize,
      );
      if (touched(r)) {
        const { operationId: _id, slug: _slug, ...counts } = r;
        await appendAudit(tx, {
          actorId: null,
          actorLabel: 'retention',
          entity: 'operation',
          entityId: op.id,
          action: 'retention_purge',
          after: { ...counts, retentionDays: deps.retentionDays },
        });
      }
      return r;
    });
    if (touched(report)) reports.push(report);
  }
  return reports;
}
