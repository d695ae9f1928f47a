// The figures the public outputs print, as the disclosure model reads them
// (disclosure.ts): which movements count, their arrival days, the waiting total,
// and whether "X of Y home" compares like with like for a group. Pure.
import { daysBetween, localDay } from './calendar.ts';
import type { FigureInput } from './disclosure.ts';
import type { Group } from './figures.ts';
import type { Snapshot, SnapshotMovement } from './snapshot.ts';

const DAY = 24 * 3_600_000;

/** The figures the public outputs print, from a snapshot (the disclosure model's input). */
export function figureInput(snap: Snapshot, isPublished: (m: SnapshotMovement) => boolean): FigureInput {
  const tz = snap.operation.timeZone;
  const movements: FigureInput['movements'] = [];
  const waiting: FigureInput['waiting'] = { known: [], unknown: 0 };
  for (const r of snap.routes) {
    for (const m of r.movements) {
      if (m.status === 'cancelled') continue;
      if (!isPublished(m)) {
        const v = m.counts.registered.total;
        if (v === null) waiting.unknown++;
        else waiting.known.push(v);
        continue;
      }
      movements.push({
        id: m.id,
        route: r.id,
        arrivedDay: m.arrivedAt ? localDay(m.arrivedAt, tz) : null,
        arrivedStatus: m.status === 'arrived',
        counts: m.counts,
      });
    }
  }
  const days = withQuietDays(
    [
      ...new Set(
        movements
          .filter((m) => m.counts.arrived.total !== null && m.arrivedDay !== null)
          .map((m) => m.arrivedDay!),
      ),
    ].sort(),
  );
  return {
    k: snap.operation.smallCountThreshold,
    movements,
    waiting,
    routes: snap.routes.map((r) => r.id),
    days,
  };
}

/**
 * "X of Y home" compares like with like: every movement whose arrivals of the group
 * are counted has the group's registered figure too, and every movement counted in
 * Y that has arrived has the group's arrivals reported.
 */
export function comparable(input: FigureInput, g: Group | 'notBrokenDown'): boolean {
  if (g === 'notBrokenDown') return false;
  let any = false;
  for (const m of input.movements) {
    const R = m.counts.registered[g];
    const A = m.counts.arrived[g];
    if (A !== null && R === null) return false;
    if (R !== null && A === null && m.arrivedStatus) return false;
    if (R !== null) any = true;
  }
  return any;
}

/** Every day from the first to the last (up to four months), so a chart shows the quiet days too. */
function withQuietDays(sorted: string[]): string[] {
  if (sorted.length === 0) return [];
  const [first, last] = [sorted[0]!, sorted[sorted.length - 1]!];
  if ((Date.parse(last) - Date.parse(first)) / DAY > 120) return sorted;
  return daysBetween(first, last);
}
