// What a day's digest says: both versions built from the states at the end of the
// day and of the day before, compared. The public version is built from the public
// projection (privacy.ts: the status page's rules, content-public.ts); the staff
// version from the full snapshot (content-staff.ts). Both are stored with the run
// (content-model.ts), so every recipient of a run gets the same figures, and the
// next run compares against them.
//
// The public version prints two as-of day ends (public-days.ts): D, audited jointly
// with D−1 and recorded in the disclosure ledger, so the digest's figures and changes
// are ones a reader can already get from `?asOf=`, and D−1 as the API shows it. The
// caller reads them from the ledger (run.ts); without one (benchmark, unit tests) they
// are computed here for the two days alone (publicDaysInMemory).
import type { LateCorrection } from '../../store/repositories/as-of.ts';
import type { Snapshot } from '../snapshot.ts';
import type { DigestRunContent } from './content-model.ts';
import { buildPublic } from './content-public.ts';
import { buildStaff } from './content-staff.ts';
import { endOfDay, shiftDay } from './day.ts';
import { type PublicDays, publicDaysInMemory } from './public-days.ts';
import { hasAnyFigure, withDayFacts } from './day-facts.ts';
import { compareWith } from './derive.ts';

export type * from './content-model.ts';

/**
 * The digest of local day `day`, from the state as of its end (`snapshot`), compared
 * with the state as of the end of the day before (`previousSnapshot`). The public version
 * prints `publicDays` (the recorded as-of day ends), or, without them, the two days
 * projected here. `now` is only when it was generated.
 */
export function buildDigestContent(input: {
  snapshot: Snapshot;
  day: string;
  now: Date;
  previousSnapshot?: Snapshot | null;
  corrections?: LateCorrection[];
  publicDays?: PublicDays | null;
}): DigestRunContent {
  const { snapshot, day, now } = input;
  const tz = snapshot.operation.timeZone;
  const at = endOfDay(day, tz);
  const facts = { corrections: input.corrections ?? [], at };
  const staff = withDayFacts(buildStaff(snapshot, day, at, now), snapshot, facts);
  const prevSnap = input.previousSnapshot;
  // "First summary" only on the first day with any figure: before it there is nothing to compare.
  const compare = prevSnap && hasAnyFigure(prevSnap) ? prevSnap : null;
  const prevDay = shiftDay(day, -1);
  const days = input.publicDays ?? publicDaysInMemory(snapshot, compare, day);
  const pub = withDayFacts(buildPublic(snapshot, days.day.projection, day, now), snapshot, facts);
  const before = compare && days.before && buildPublic(compare, days.before.projection, prevDay, now);
  if (!compare) return { version: 1, public: pub, staff };
  return {
    version: 1,
    // No public state the day before (nothing published yet): no change to print.
    public: before ? compareWith(pub, before) : pub,
    staff: compareWith(staff, buildStaff(compare, prevDay, endOfDay(prevDay, tz), now)),
  };
}
