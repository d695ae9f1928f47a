// The shape of a day's digest (DigestContent), as plain serialisable data stored
// with each run, and the small field builders the public and the staff versions
// share. Stored runs are read back by later versions: new fields stay optional.
import type { Localized, LocalizedText } from '../../../db/schema.ts';
import type { Lang } from '../../i18n/languages.ts';
import type { Stage } from '../figures.ts';
import type { PublicFigure, PublicGroupKey } from '../privacy.ts';
import type { Snapshot } from '../snapshot.ts';

export type Audience = 'public' | 'staff';
export type Figure = PublicFigure;
export type StageFigureSet = Record<Stage, Figure>;
/**
 * A change since the end of the previous day; `first`: not reported then, reported now
 * ("first reported: 608", never "+608"); unknown when either side is not an exact figure.
 */
export type Change =
  { kind: 'delta'; value: number } | { kind: 'first'; value: number } | { kind: 'unknown' };

export type CorrectionLine = {
  routeId: number;
  routeNames: LocalizedText;
  /** Staff version only (null in the public one, as are the values). */
  label: string | null;
  stage: Stage;
  field: string;
  oldValue: number | null;
  newValue: number | null;
  recordedAt: string;
};

export type SourceLine = {
  outlet: string;
  title: string;
  /** Per language (absent in runs stored before sources were per language). */
  outlets?: Localized;
  titles?: Localized;
  /** The language the title was published in (absent in runs stored before it was kept). */
  language?: string;
  /**
   * The day the digest dates the source by: its own, or — for one recorded after the
   * digest's day, as the desk's own record — the as-of day of its figures (sourceDay).
   */
  publishedOn: string;
  url: string | null;
};

export type MovementLine = {
  id: number;
  routeId: number;
  routeNames: LocalizedText;
  /** Null in the public version for a movement that is not published yet. */
  label: string | null;
  /** The label per language (absent in runs stored before labels were per language). */
  labels?: Localized | null;
  scheduledDate: string | null;
  /** Departure, arrival or cancellation time, ISO; null when not recorded or not public. */
  at: string | null;
  /** False when the source gave the day only: show the day and "time not reported". */
  timeKnown?: boolean;
  /** People on it for that event (departed or arrived), when known and public. */
  people: Figure | null;
  status: string;
  delayed: boolean;
  /** Staff version only. */
  staffNote?: string | null;
  meetingPoint?: string | null;
  scheduledDepartureAt?: string | null;
};

export type RouteSection = {
  id: number;
  names: LocalizedText;
  figures: StageFigureSet;
  change: Record<Stage, Change> | null;
  stale: boolean;
  updatedAt: string;
  /** Runs stored before notes were per language; newer runs carry publicNotes. */
  publicNote?: string | null;
  publicNotes?: Localized;
  staffNote?: string | null;
};

export type GroupSection = {
  group: PublicGroupKey;
  figures: StageFigureSet;
  change: Record<Stage, Change> | null;
};

export type DigestContent = {
  audience: Audience;
  operation: {
    id: number;
    slug: string;
    names: LocalizedText;
    timeZone: string;
    staleAfterHours: number;
    /** Who publishes it (the From name); absent in runs stored before it existed. */
    authority?: LocalizedText | null;
    /** Where a reader's language is missing, content in it comes first (absent in older runs). */
    workingLanguage?: Lang;
  };
  day: string;
  nextDay: string;
  generatedAt: string;
  lastUpdatedAt: string;
  previous: { day: string; generatedAt: string } | null;
  arrivedOnDay: Figure;
  /** Arrivals whose day was not recorded (part of the total, on no day). */
  arrivedUndated: Figure | null;
  /** The reconciled headline (headline.ts); waiting and stageNotReported absent in runs stored before it. */
  totals: {
    registered: Figure;
    departed: Figure;
    arrived: Figure;
    onTheWay: Figure;
    waiting?: Figure;
    stageNotReported?: Figure;
  };
  departed: MovementLine[];
  arrived: MovementLine[];
  cancelled: MovementLine[];
  scheduledNextDay: MovementLine[];
  /** Scheduled for the day and, at its end, not reported as departed. */
  dueNotDeparted?: MovementLine[];
  /** The latest as-of among the figures and events shown (the evacuation's time), ISO. */
  figuresAsOf?: string | null;
  figuresAsOfTimeKnown?: boolean;
  /** Figures as of this day recorded after it: what a re-run says was corrected. */
  corrections?: CorrectionLine[];
  /** Every source of the figures shown. */
  sources?: SourceLine[];
  routes: RouteSection[];
  groups: GroupSection[];
  notices: {
    id: number;
    bodies: Localized;
    pinned: boolean;
    publishedAt: string;
    /** A notice stating a report's fact is dated by its report (a day, no invented time). */
    reportedOn?: string;
  }[];
};

/** Both versions of one operation's digest for `day`: what a run stores. */
export type DigestRunContent = { version: 1; public: DigestContent; staff: DigestContent };

export const value = (n: number | null): Figure =>
  n === null ? { kind: 'not_reported' } : { kind: 'value', value: n };
export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
export const sumKnown = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
};

export function operationHeader(snap: Snapshot) {
  const op = snap.operation;
  return {
    id: op.id,
    slug: op.slug,
    names: op.names,
    timeZone: op.timeZone,
    staleAfterHours: op.staleAfterHours,
    authority: op.authority ?? null,
    workingLanguage: op.workingLanguage,
  };
}
