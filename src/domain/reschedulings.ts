// A movement's reschedulings: each time staff moved its planned day from one day to
// another while it had not left (planned or boarding, before and after the change).
// Read from the audit trail of movement edits (the only record of a day it had
// before), so the timeline and the feed can say "the departure set for 4 March moved
// to 5 March". Only days the public saw count: an upcoming movement's day is public
// (the page lists it); a change made after it left (a correction of its day) or
// after it was cancelled is not a rescheduling, and a day added or removed (none →
// a day, a day → none) is not one either.
import type { MovementDayChange } from '../store/repositories/audit.ts';

export type Rescheduling = {
  /** The day it was set for, and the day it is set for now (YYYY-MM-DD, the operation's days). */
  from: string;
  to: string;
  /** When the change was recorded, that is when the page said it. */
  at: Date;
};

const NOT_LEFT = new Set(['planned', 'boarding']);
const day = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);

/** The reschedulings of each movement, oldest first, from its audited changes in recorded order. */
export function reschedulingsOf(changes: readonly MovementDayChange[]): Map<number, Rescheduling[]> {
  const status = new Map<number, string>();
  const out = new Map<number, Rescheduling[]>();
  for (const c of changes) {
    const before = c.before ?? {};
    const after = c.after ?? {};
    // Its status before the change: as the change says, else as the last one left it
    // (a seeded movement has no creation record: it starts planned).
    const was = typeof before.status === 'string' ? before.status : (status.get(c.movementId) ?? 'planned');
    const is = typeof after.status === 'string' ? after.status : was;
    status.set(c.movementId, is);
    if (c.action === 'create' || !('scheduledDate' in after)) continue;
    const from = day(before.scheduledDate);
    const to = day(after.scheduledDate);
    if (!from || !to || from === to || !NOT_LEFT.has(was) || !NOT_LEFT.has(is)) continue;
    const list = out.get(c.movementId) ?? [];
    list.push({ from, to, at: c.at });
    out.set(c.movementId, list);
  }
  return out;
}
