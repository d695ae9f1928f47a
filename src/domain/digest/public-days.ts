// The public states a day's digest prints (issue 14, docs/privacy.md "The digest"): the
// digest of day D prints the public state at the end of D and compares it with the end of
// D−1, and both are the as-of day ends of the disclosure ledger — the same states, the
// same suppression, the same bytes as `GET /api/v1/status?asOf=D` (src/domain/public-as-of.ts,
// `DayChain`). So D was audited jointly with D−1 (its chain), with the live version
// recorded when it was audited and with what was recorded for D before; every figure and
// every change the digest prints is one a reader can already get from the API, and the
// live page built afterwards is audited with it (it is the latest day end recorded).
//
// A digest is sent at its digest time (20:00) on D itself, before D has ended: the day end
// it records then is D's state so far (at `now`: a movement is public in it only once
// its publication delay has passed by now, as on the live page). When D ends, the as-of chain audits D's real end
// jointly with that recorded state ("the state recorded for that same day before") and
// records it in its place, so the pair the digest and the API print is audited too.
//
// Without a database (the benchmark, unit tests), `publicDaysInMemory` does the same for
// the two days alone: D−1 on its own, then D jointly with it.
import { AppError } from '../../errors.ts';
import type { Database } from '../../store/database.ts';
import { type Day, endOfDay, localDay, shiftDay } from '../calendar.ts';
import { type DayChains, inlineDayChains } from '../day-chains.ts';
import { createAuditCache } from '../disclosure.ts';
import { DisclosureLedger } from '../disclosure-ledger.ts';
import { type PublicProjection, toPublicProjection } from '../privacy.ts';
import { type OperationHistory, loadOperationHistories } from '../public-as-of.ts';
import type { Snapshot } from '../snapshot.ts';

/** A public state a digest prints; `day`: the day whose end it is (earlier if a later day's audit failed). */
export type PublicDay = { projection: PublicProjection; day: Day };
/** The digest's day and the day before (null: nothing public before it). */
export type PublicDays = { day: PublicDay; before: PublicDay | null };

/** Audits again when another process recorded a state meanwhile, at most this many times. */
const ATTEMPTS = 4;

/**
 * Day `day` and the day before as the ledger's as-of chain shows them, recorded before
 * they are returned. Null when the chain has nothing to say: the operation is not public,
 * nothing was known by then, or the day is still to come. The chain is audited in `chains`
 * (the server: a worker thread, src/public/as-of-chains.ts; default: on this thread), and
 * dropped from it once the days are recorded.
 */
export async function recordedPublicDays(
  database: Database,
  operationId: number,
  day: Day,
  now: Date,
  chains: DayChains = inlineDayChains(),
): Promise<PublicDays | null> {
  try {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const [history] = await loadOperationHistories(database.db, operationId);
      if (!history || !inChain(history, day, now)) return null;
      const ledger = new DisclosureLedger(database);
      const held = (await ledger.held([operationId])).get(operationId)!;
      const stored = await ledger.releases(
        operationId,
        [...held.days].map(([point, seq]) => ({ point, seq })),
      );
      // Today's state is the state now: published as the live page publishes it (delay counted to now).
      const load = await chains.load({
        histories: [history],
        ledgers: [
          [operationId, { live: held.live?.release, days: stored, memory: ledger.memory.get(operationId) }],
        ],
        until: now,
      });
      // The day, then the day before (already audited on the way: the chain runs in order).
      // The audit's wide search is loaded there only if a day is to be audited; if it cannot
      // load, the dense search alone (a refusal, never a leak).
      const prevDay = shiftDay(day, -1);
      const points = [{ operationId, day }];
      if (prevDay >= history.firstDay!) points.push({ operationId, day: prevDay });
      const projected = await chains.project(load, points);
      if (!projected) continue; // dropped meanwhile: read again
      const pending = projected.pending.flatMap(([, todo]) => todo);
      // Recorded before it is printed: the live page and other processes audit with them.
      if (!(await ledger.record(held, pending))) continue;
      const [current, before] = projected.parts;
      return {
        day: { projection: current!.projection, day: current!.day },
        before: before ? { projection: before.projection, day: before.day } : null,
      };
    }
  } finally {
    chains.drop();
  }
  throw new AppError('db_unavailable', 'The digest day could not be recorded in the disclosure ledger.');
}

/** A day the chain covers: from the first day anything was known, up to today. */
function inChain(h: OperationHistory, day: Day, now: Date): boolean {
  return h.firstDay !== null && day >= h.firstDay && day <= localDay(now, h.live.operation.timeZone);
}

/**
 * The same two states without a ledger: the day before on its own, then the day audited
 * jointly with it; a day whose joint audit fails shows the day before, as the chain does.
 */
export function publicDaysInMemory(snapshot: Snapshot, previous: Snapshot | null, day: Day): PublicDays {
  const cache = createAuditCache();
  const tz = snapshot.operation.timeZone;
  const prevDay = shiftDay(day, -1);
  const before = previous && toPublicProjection(previous, endOfDay(prevDay, tz), { cache });
  const safeBefore = before?.disclosure.ok ? before : null;
  const held = safeBefore && new Map([[snapshot.operation.id, safeBefore.disclosure.releases]]);
  const current = toPublicProjection(snapshot, endOfDay(day, tz), {
    cache,
    ...(held ? { previous: held } : {}),
  });
  const beforeDay = before && { projection: before, day: prevDay };
  if (current.disclosure.ok || !safeBefore) return { day: { projection: current, day }, before: beforeDay };
  return { day: { projection: safeBefore, day: prevDay }, before: beforeDay };
}
