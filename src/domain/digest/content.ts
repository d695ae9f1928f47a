// What a day's digest says: both versions built from the states at the end of the
// day and of the day before, compared. The public version is built from the public
// projection (privacy.ts: the status page's rules, content-public.ts); the staff
// version from the full snapshot (content-staff.ts). Both are stored with the run
// (content-model.ts), so every recipient of a run gets the same figures, and the
// next run compares against them.
//
// Cost (issue 21): the public version projects two states, the day and the day
// before, each through suppression and the exact audit. They share one audit
// cache, so the day before (projected first) answers the day's local programs
// that did not change over the day (routes nothing happened on); day bounds are
// computed once per day, not per movement.
//
// The two days are audited each on its own, not jointly (docs/privacy.md, "Across
// time"): on realistic crisis data the joint suppression of a day with its day
// before does not pass its audit (bench/digest-content.ts), and falling back from
// it cost more than the two projections. Closing that gap is the disclosure
// module's work, not the digest's.
import type { LateCorrection } from '../../store/repositories/as-of.ts';
import { createAuditCache } from '../disclosure.ts';
import { toPublicProjection } from '../privacy.ts';
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
  const cache = createAuditCache();
  const staff = withDayFacts(buildStaff(snapshot, day, at, now), snapshot, facts);
  const prevSnap = input.previousSnapshot;
  // "First summary" only on the first day with any figure: before it there is nothing to compare.
  const compare = prevSnap && hasAnyFigure(prevSnap) ? prevSnap : null;
  const prevDay = shiftDay(day, -1);
  const prevAt = endOfDay(prevDay, tz);
  const before =
    compare && buildPublic(compare, toPublicProjection(compare, prevAt, { cache }), prevDay, now);
  const projection = toPublicProjection(snapshot, at, { cache });
  const pub = withDayFacts(buildPublic(snapshot, projection, day, now), snapshot, facts);
  if (!compare || !before) return { version: 1, public: pub, staff };
  return {
    version: 1,
    public: compareWith(pub, before),
    staff: compareWith(staff, buildStaff(compare, prevDay, prevAt, now)),
  };
}
