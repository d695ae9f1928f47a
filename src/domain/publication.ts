// When a movement's figures become public: once it has departed and the operation's
// publication delay has passed (docs/privacy.md). Apart from the projection because
// the as-of replay (public-as-of.ts) and the projection both decide it the same way.
import { hasDeparted } from './movement-status.ts';
import type { SnapshotMovement } from './snapshot.ts';

const MINUTE = 60_000;

/** When a departed movement's figures may be published; null if it has not departed. */
export function publicationTime(m: SnapshotMovement, delayMinutes: number): Date | null {
  if (!hasDeparted(m.status)) return null;
  // A departure without its time counts from when the status was true (the report's
  // as-of), else from when it was recorded.
  const departed = m.departedAt ?? m.statusAsOf ?? m.updatedAt;
  return new Date(departed.getTime() + delayMinutes * MINUTE);
}

export function isPublished(m: SnapshotMovement, delayMinutes: number, now: Date): boolean {
  const at = publicationTime(m, delayMinutes);
  return at !== null && at.getTime() <= now.getTime();
}
