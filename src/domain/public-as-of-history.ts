// One public operation's history, read once per change and replayed in memory: the live
// snapshot (every notice kept) and every recorded figure in as-of order, from which the
// state as of any moment is rebuilt by as-of and event times (as-of.ts), never by write
// time. The as-of answers and the digest's days (public-as-of.ts, day-chain.ts) read it.
import type { Db } from '../store/database.ts';
import { type FigureAsOf, figureHistory } from '../store/repositories/as-of.ts';
import { listPublicOperations } from '../store/repositories/catalog.ts';
import { rewind } from './as-of.ts';
import { type Day, localDay } from './calendar.ts';
import { type Snapshot, loadSnapshot } from './snapshot.ts';

/** One operation's history, loaded once, replayed day by day. */
export type OperationHistory = {
  live: Snapshot;
  /** Every recorded figure, in as-of order. */
  history: FigureAsOf[];
  /** The first local day anything about it was known; null: nothing yet. */
  firstDay: Day | null;
};

/** The live snapshots of every public operation (or only `only`: the digest's), every notice kept, and their histories. */
export async function loadOperationHistories(db: Db, only?: number): Promise<OperationHistory[]> {
  return db.transaction(
    async (tx) => {
      const out: OperationHistory[] = [];
      for (const op of await listPublicOperations(tx)) {
        if (only !== undefined && op.id !== only) continue;
        // now = 0: no notice is filtered out as expired; each day filters its own.
        const live = await loadSnapshot({ db: tx, now: new Date(0) }, op);
        const ids = live.routes.flatMap((r) => r.movements.map((m) => m.id));
        const history = await figureHistory(tx, ids);
        out.push({ live, history, firstDay: firstDay(live, history) });
      }
      return out;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function firstDay(live: Snapshot, history: FigureAsOf[]): Day | null {
  const times: number[] = history.length ? [history[0]!.asOf.getTime()] : [];
  for (const r of live.routes)
    for (const m of r.movements)
      for (const t of [m.createdAt, m.departedAt, m.arrivedAt, m.statusAsOf, m.cancelledAt])
        if (t) times.push(t.getTime());
  if (times.length === 0) return null;
  return localDay(new Date(Math.min(...times)), live.operation.timeZone);
}

export const figureKey = (f: FigureAsOf) => `${f.movementId}.${f.stage}.${f.field}`;

/** Each figure's last value as of `at` (the history is in as-of order). */
export function valuesAsOf(history: FigureAsOf[], at: Date): FigureAsOf[] {
  const values = new Map<string, FigureAsOf>();
  for (const f of history) {
    if (f.asOf.getTime() > at.getTime()) break;
    values.set(figureKey(f), f);
  }
  return [...values.values()];
}

/** The operation as the public would have seen it at `at` (notices of that moment only). */
export function snapshotAt(h: OperationHistory, figures: FigureAsOf[], at: Date): Snapshot {
  const s = rewind(h.live, figures, at);
  const t = at.getTime();
  const op = s.operation;
  // Closed later: it was still active then.
  const closedLater = op.status === 'closed' && op.closedAt !== null && op.closedAt.getTime() > t;
  return {
    ...s,
    operation: closedLater ? { ...op, status: 'active' } : op,
    notices: s.notices.filter(
      (n) => n.publishedAt.getTime() <= t && (!n.expiresAt || n.expiresAt.getTime() > t),
    ),
  };
}
