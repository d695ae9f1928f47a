// What a day's digest says: both versions built from the states at the end of the
// day and of the day before, compared. The public version is built from the public
// projection (privacy.ts: the status page's rules, content-public.ts); the staff
// version from the full snapshot (content-staff.ts). Both are stored with the run
// (content-model.ts), so every recipient of a run gets the same figures, and the
// next run compares against them.
import type { LateCorrection } from '../../store/repositories/as-of.ts';
import type { Snapshot } from '../snapshot.ts';
import type { DigestRunContent } from './content-model.ts';
import { buildPublic } from './content-public.ts';
import { buildStaff } from './content-staff.ts';
import { endOfDay, shiftDay } from './day.ts';
import { hasAnyFigure, withDayFacts } from './day-facts.ts';
import { compareWith } from './derive.ts';

export type * from './content-model.ts';

/**
 * The digest of local day `day`, from the state as of its end (`snapshot`), compared
 * with the state as of the end of the day before (`previousSnapshot`). `now` is only
 * when it was generated: the content depends on the two states and the corrections.
 */
export function buildDigestContent(input: {
  snapshot: Snapshot;
  day: string;
  now: Date;
  previousSnapshot?: Snapshot | null;
  corrections?: LateCorrection[];
}): DigestRunContent {
  const { snapshot, day, now } = input;
  const tz = snapshot.operation.timeZone;
  const at = endOfDay(day, tz);
  const facts = { corrections: input.corrections ?? [], at };
  const pub = withDayFacts(buildPublic(snapshot, day, at, now), snapshot, facts);
  const staff = withDayFacts(buildStaff(snapshot, day, at, now), snapshot, facts);
  const prevSnap = input.previousSnapshot;
  // "First summary" only on the first day with any figure: before it there is nothing to compare.
  if (!prevSnap || !hasAnyFigure(prevSnap)) return { version: 1, public: pub, staff };
  const prevDay = shiftDay(day, -1);
  const prevAt = endOfDay(prevDay, tz);
  return {
    version: 1,
    public: compareWith(pub, buildPublic(prevSnap, prevDay, prevAt, now)),
    staff: compareWith(staff, buildStaff(prevSnap, prevDay, prevAt, now)),
  };
}
