// One movement of a snapshot (snapshot.ts), made of its row, its current figures' row and
// its day changes. A re-read that keeps the rows of unchanged movements
// (snapshot-reader.ts) passes a memo, and gets the same movement back for the same rows:
// nothing of it is made again. Movements are never changed once made (the projection
// only reads them).
import type { Localized } from '../../db/schema.ts';
import type { Lang } from '../i18n/languages.ts';
import type { countsForMovements } from '../store/repositories/counts.ts';
import { rowToCounts } from '../store/repositories/counts.ts';
import type { movementsOfRoutes } from '../store/repositories/catalog.ts';
import type { Rescheduling } from './reschedulings.ts';
import type { Quotation } from '../../db/schema.ts';
import type { Counts } from './figures.ts';
import type { MovementStatus } from './movement-status.ts';

type MovementRow = Awaited<ReturnType<typeof movementsOfRoutes>>[number];
type CountsRow = NonNullable<ReturnType<Awaited<ReturnType<typeof countsForMovements>>['get']>>;

/** One movement as every public view and the digest read it. */
export type SnapshotMovement = {
  id: number;
  /** In the operation's working language (staff). */
  label: string;
  /** Per language (public). */
  labels: Localized;
  kind: string;
  scheduledDate: string | null;
  scheduledDepartureAt: Date | null;
  meetingPoint: string | null;
  departedAt: Date | null;
  arrivedAt: Date | null;
  /** False: the source gave the day only ("time not reported"); the instant is that day's midnight. */
  departedTimeKnown: boolean;
  arrivedTimeKnown: boolean;
  /** When the status was true where no event time says so (a report's "already arrived"). */
  statusAsOf: Date | null;
  /** When the status became cancelled (stamped by the database). */
  cancelledAt: Date | null;
  status: MovementStatus;
  delayed: boolean;
  capacity: number | null;
  currentLegId: number | null;
  publicNotes: Localized;
  publicQuote: Quotation | null;
  staffNote: string | null;
  sourceId: number | null;
  countsSourceId: number | null;
  counts: Counts;
  /** When its figures were true: the latest as-of of those shown (null: none recorded). */
  figuresAsOf: Date | null;
  figuresAsOfTimeKnown: boolean;
  /** The latest as-of of its registered figures (shown in the waiting total before it leaves). */
  registeredAsOf: Date | null;
  /** Its planned day moved before it left, oldest first (reschedulings.ts); absent: none read. */
  reschedulings?: Rescheduling[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

/** Per movement row: what it was made with, and what was made. */
export type MovementMemo = WeakMap<
  MovementRow,
  { countRow: CountsRow | undefined; dayChanges: unknown; language: Lang; movement: SnapshotMovement }
>;

/**
 * Per-language text, or the single-language text a row was written with (a writer that
 * predates the per-language columns), taken as in the operation's working language.
 */
export function perLanguage(values: Localized, single: string | null, workingLanguage: Lang): Localized {
  if (Object.values(values).some((v) => typeof v === 'string' && v.trim() !== '')) return values;
  return single && single.trim() !== '' ? { [workingLanguage]: single } : {};
}

export function snapshotMovement(
  m: MovementRow,
  countRow: CountsRow | undefined,
  reschedulings: Rescheduling[] | undefined,
  language: Lang,
  /** `dayChanges`: the rows the reschedulings were made of (the same array: the same days). */
  o: { memo?: MovementMemo; dayChanges: unknown },
): SnapshotMovement {
  const was = o.memo?.get(m);
  if (was && was.countRow === countRow && was.dayChanges === o.dayChanges && was.language === language)
    return was.movement;
  const movement: SnapshotMovement = {
    id: m.id,
    label: m.label,
    labels: perLanguage(m.labels, m.label, language),
    kind: m.kind,
    scheduledDate: m.scheduledDate,
    scheduledDepartureAt: m.scheduledDepartureAt,
    meetingPoint: m.meetingPoint,
    departedAt: m.departedAt,
    arrivedAt: m.arrivedAt,
    departedTimeKnown: m.departedTimeKnown,
    arrivedTimeKnown: m.arrivedTimeKnown,
    statusAsOf: m.statusAsOf,
    cancelledAt: m.cancelledAt,
    status: m.status,
    delayed: m.delayed,
    capacity: m.capacity,
    currentLegId: m.currentLegId,
    publicNotes: perLanguage(m.publicNotes, m.publicNote, language),
    publicQuote: m.publicQuote,
    staffNote: m.staffNote,
    sourceId: m.sourceId,
    countsSourceId: countRow?.sourceId ?? null,
    counts: rowToCounts(countRow),
    // Kept on the current row at each append (no read of the history here).
    figuresAsOf: countRow?.figuresAsOf ?? null,
    figuresAsOfTimeKnown: countRow?.figuresAsOfTimeKnown ?? true,
    registeredAsOf: countRow?.registeredAsOf ?? null,
    reschedulings: reschedulings ?? [],
    version: m.version,
    createdAt: m.createdAt,
    updatedAt: countRow && countRow.updatedAt > m.updatedAt ? countRow.updatedAt : m.updatedAt,
  };
  o.memo?.set(m, { countRow, dayChanges: o.dayChanges, language, movement });
  return movement;
}
