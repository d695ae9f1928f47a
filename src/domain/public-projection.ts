// The shape of the public projection: what every public output (page, JSON,
// Atom, CSV, public digest) may be built from. The rules that fill it are in
// privacy.ts.
import type { Localized, LocalizedText, Quotation } from '../../db/schema.ts';
import type { Lang } from '../i18n/languages.ts';
import type {
  AuditCache,
  DisclosureMemory,
  HeldStates,
  PrintedValues,
  PublicFigure,
  Release,
} from './disclosure.ts';
import type { WithholdCause } from './disclosure-suppress.ts';
import type { Group, Stage } from './figures.ts';
import type { MovementStatus } from './movement-status.ts';
import type { Rescheduling } from './reschedulings.ts';
import type { SnapshotSource } from './snapshot.ts';

export type { PublicFigure };

export type PublicStageFigures = Record<Stage, PublicFigure>;
export type PublicGroupKey = Group | 'notBrokenDown';

export type PublicSource = Omit<SnapshotSource, 'id'> & { id: number };
export type PublicPlace = {
  slug: string;
  names: LocalizedText;
  countryCode: string;
  kind: string;
  latitude: number | null;
  longitude: number | null;
};
export type PublicLeg = {
  position: number;
  from: PublicPlace;
  to: PublicPlace;
  mode: string;
  crossesBorder: boolean;
  crossingStatus: 'open' | 'restricted' | 'closed' | null;
  publicNotes: Localized;
  updatedAt: Date;
};

/** Departed and past the publication delay: its figures and times are public. */
export type PublishedMovement = {
  published: true;
  id: number;
  /** Per language; presenters pick the reader's (localized-part.ts). */
  labels: Localized;
  kind: string;
  status: Extract<MovementStatus, 'departed' | 'arrived'>;
  delayed: boolean;
  scheduledDate: string | null;
  departedAt: Date | null;
  /** False when only the day of the departure was reported (departedAt is then that day's start). */
  departedTimeKnown: boolean;
  arrivedAt: Date | null;
  /** False when only the day of the arrival was reported. */
  arrivedTimeKnown: boolean;
  /** The leg it is on (its position), when recorded: the map draws that leg as under way. */
  currentLegPosition: number | null;
  publicNotes: Localized;
  publicQuote: Quotation | null;
  source: PublicSource | null;
  figures: PublicStageFigures;
  /** The evacuation's time of what it shows (its figures' as-of, its events), not a write time. */
  updatedAt: Date;
  figuresAsOf: Date | null;
  /** False when the source of `updatedAt` gave a day only (never printed as 00:00). */
  figuresAsOfTimeKnown: boolean;
  /** Its planned day moved while it had not left (public: the page showed both days). */
  reschedulings?: Rescheduling[];
};
/** Not (yet) public: only the route it belongs to and its date (and the days it had before). */
export type UpcomingMovement = {
  published: false;
  id: number;
  status: 'upcoming' | 'cancelled';
  scheduledDate: string | null;
  reschedulings?: Rescheduling[];
};
export type PublicMovement = PublishedMovement | UpcomingMovement;

export type PublicRoute = {
  id: number;
  slug: string;
  names: LocalizedText;
  publicNotes: Localized;
  publicQuote: Quotation | null;
  source: PublicSource | null;
  legs: PublicLeg[];
  movements: PublicMovement[];
  figures: PublicStageFigures;
  /** Its figures' as-of; without published figures, the day of its report. */
  updatedAt: Date;
  /** The latest as-of among the published figures and events it shows (null: none). */
  figuresAsOf: Date | null;
  figuresAsOfTimeKnown: boolean;
  /** Every movement arrived or was cancelled, or the operation is closed: "final figures", never stale. */
  final: boolean;
  stale: boolean;
};

/** One "Help and contacts" item: public by nature, written for the page by staff. */
export type PublicContact = {
  id: number;
  kind: 'hotline' | 'messenger' | 'email' | 'embassy' | 'consulate' | 'registration';
  countryCode: string | null;
  names: LocalizedText;
  phone: string | null;
  email: string | null;
  url: string | null;
  address: LocalizedText | null;
  hours: LocalizedText | null;
  checkedOn: string;
};

/** Who publishes the page, and the staff's own lead above the generated summary. */
export type PublicPublisher = {
  authority: LocalizedText | null;
  url: string | null;
  lead: LocalizedText | null;
};

export type PublicOperation = {
  id: number;
  slug: string;
  names: LocalizedText;
  timeZone: string;
  /** Where a reader's language is missing, text in this language is shown first (marked). */
  workingLanguage: Lang;
  status: 'active' | 'closed';
  threshold: number;
  publicationDelayMinutes: number;
  staleAfterHours: number;
  /** The evacuation's time of what the page shows (figures, events, notices); never a write time. */
  lastUpdatedAt: Date;
  /** The latest as-of among the figures and events shown (null: none yet). */
  figuresAsOf: Date | null;
  figuresAsOfTimeKnown: boolean;
  final: boolean;
  /**
   * The headline (headline.ts): registered = waiting + onTheWay + arrived +
   * stageNotReported, each a value, "at least" a value, or suppressed; never a 0
   * that stands for unknown.
   */
  totals: {
    /**
     * The headline total (named `registered` in the JSON, CSV and HXL since v1): people
     * on evacuation lists, on the way or home, the sum of the four buckets. Not the sum
     * of the movements' registered figures: people reported only as departed or arrived
     * count too (headline.ts).
     */
    registered: PublicFigure;
    /** Registered on movements that have not (publicly) left yet. */
    waiting: PublicFigure;
    /** Departed, on published movements. */
    departed: PublicFigure;
    /** Arrived home. */
    arrived: PublicFigure;
    /** Departed and not yet home. */
    onTheWay: PublicFigure;
    /** On a movement that left, with the figure that would place them not reported. */
    stageNotReported: PublicFigure;
  };
  /**
   * The reports the totals rest on: for every live movement they count, the source of
   * its figures' latest change (else the movement's own), by id.
   */
  totalsSources: PublicSource[];
  /**
   * Over published movements only. `comparable`: arrived and registered cover the
   * same movements, so "X of Y home" may be said.
   */
  groups: { group: PublicGroupKey; figures: PublicStageFigures; comparable: boolean }[];
  arrivalsByDay: { day: string; arrived: PublicFigure }[];
  /** Arrivals whose day was not reported. */
  arrivalsUndated: PublicFigure | null;
  nextDepartures: {
    movementId: number;
    routeId: number;
    routeNames: LocalizedText;
    scheduledDate: string | null;
    /** Its day has passed (in the operation's time zone) and it is still not recorded as departed. */
    overdue: boolean;
  }[];
  routes: PublicRoute[];
  /** An operation-level note may state a report's fact: then it cites the report (source, quote). */
  notices: {
    id: number;
    bodies: Localized;
    pinned: boolean;
    publishedAt: Date;
    source: PublicSource | null;
    quote: Quotation | null;
  }[];
  sources: PublicSource[];
  publisher: PublicPublisher;
  contacts: PublicContact[];
};

export type PublicProjection = {
  operations: PublicOperation[];
  generatedAt: Date;
  lastUpdatedAt: Date;
  /** The projection changes by itself then (a delay ends, a route turns stale, a notice expires). */
  validUntil: Date | null;
  /** The disclosure audit of this state (docs/privacy.md). Not public: never rendered. */
  disclosure: ProjectionDisclosure;
};

export type ProjectionDisclosure = {
  /** Every operation passed the audit: the state may be published. */
  ok: boolean;
  /** What the next state is audited against, once this one is published. */
  releases: Release[];
  /**
   * Per release, in order, what the ledger records of it (its JSON text and the values it
   * prints), when the projection was made in the worker: the server's thread records the
   * state without reading the releases back or building their tables (build.ts).
   */
  records?: { operationId: number; text: string; printed: PrintedValues }[];
  operations: {
    operationId: number;
    ok: boolean;
    cells: number;
    fewerThan: number;
    withheld: number;
    /** The withheld cells by the suppression step that withheld them (disclosure-suppress.ts). */
    withheldBy: Partial<Record<WithholdCause, number>>;
    /** A few of the protected values the audit could not prove possible. */
    failures: string[];
    audit: { components: number; audited: number; reused: number; solves: number; unknowns: number };
  }[];
};

/** What toPublicProjection (privacy.ts) is given besides the snapshots: the disclosure's memory. */
export type ProjectionOptions = {
  /** Per operation id: the state published before, or every state held with it (docs/privacy.md). */
  previous?: ReadonlyMap<number, HeldStates>;
  /** Per operation id: every value printed before. */
  memory?: ReadonlyMap<number, DisclosureMemory>;
  cache?: AuditCache;
  /** Measured, when given: the disclosure work's time (suppression and audit), added here. */
  timing?: { discloseMs: number };
};
