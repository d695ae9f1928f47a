// What the database is. Every table of the product lives here so that one
// drizzle-kit generation produces one coherent migration history.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

import {
  LANGUAGES,
  type Lang,
  type Localized,
  type LocalizedText,
  type Quotation,
} from '../src/i18n/languages.ts';
import {
  AUDIENCES,
  CONTACT_KINDS,
  CROSSING_STATUSES,
  IMPORT_STATUSES,
  LEG_MODES,
  MOVEMENT_KINDS,
  MOVEMENT_STATUSES,
  OPERATION_STATUSES,
  PLACE_KINDS,
  ROLES,
  SUBSCRIBER_STATUSES,
} from '../src/domain/vocabulary.ts';

// The vocabularies live in the domain (src/domain/vocabulary.ts); re-exported for old imports.
export { CONTACT_KINDS, CROSSING_STATUSES, LEG_MODES, MOVEMENT_STATUSES };

export type { Localized, LocalizedText, Quotation };

/** Staff-written public text, one value per language (docs/translating.md, "Content"). */
const localizedText = (name: string) => jsonb(name).$type<Localized>().notNull().default({});
/** A report's own words in their language, with translations (null: none quoted). */
const quotation = (name: string) => jsonb(name).$type<Quotation>();

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => tstz('created_at').notNull().defaultNow();
const updatedAt = () => tstz('updated_at').notNull().defaultNow();

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  passwordHash: text('password_hash').notNull(),
  disabledAt: tstz('disabled_at'),
  createdAt: createdAt(),
});

export const sources = pgTable('sources', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  /** The outlet that published it or the official who said it. */
  outlet: text('outlet').notNull(),
  publishedOn: date('published_on').notNull(),
  language: text('language').notNull(),
  url: text('url'),
  file: text('file'),
  /** The title per language; `title` above stays the title as published, in `language`. */
  titles: localizedText('titles'),
  /** The outlet or speaker per language; `outlet` above is the form it was first recorded in. */
  outlets: localizedText('outlets'),
  /** Optimistic concurrency for the staff source form: every write checks and bumps it. */
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
});

export const operations = pgTable(
  'operations',
  {
    id: serial('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    names: jsonb('names').$type<LocalizedText>().notNull(),
    timeZone: text('time_zone').notNull().default('Asia/Almaty'),
    isPublic: boolean('is_public').notNull().default(false),
    status: text('status', { enum: OPERATION_STATUSES }).notNull().default('active'),
    closedAt: tstz('closed_at'),
    /** Minutes after departure before a movement's figures are published. */
    publicationDelayMinutes: integer('publication_delay_minutes').notNull().default(0),
    staleAfterHours: integer('stale_after_hours').notNull().default(12),
    smallCountThreshold: integer('small_count_threshold').notNull().default(5),
    /** Local wall-clock time (HH:MM) at which the daily digest is sent. */
    digestTime: text('digest_time').notNull().default('20:00'),
    /**
     * Who publishes the public page, per language ("Ministry of Foreign Affairs …, Consular
     * Service"): shown in its header and title, the feed's author, the JSON, the digest's From.
     */
    authority: jsonb('authority').$type<LocalizedText>(),
    /** The authority's official site (https), linked beside its name. */
    authorityUrl: text('authority_url'),
    /** A short human-written lead above the generated summary sentence, per language. */
    publicLead: jsonb('public_lead').$type<LocalizedText>(),
    /**
     * The language staff write in first: the forms show it first and require only it; a
     * reader whose language is missing sees it (marked) before the others.
     */
    workingLanguage: text('working_language', { enum: LANGUAGES }).notNull().default('en'),
    /** Optimistic concurrency for the settings and names form. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('operations_authority_url', sql`${t.authorityUrl} IS NULL OR ${t.authorityUrl} ~ '^https?://'`),
    check('operations_delay_nonneg', sql`${t.publicationDelayMinutes} >= 0`),
    check('operations_stale_pos', sql`${t.staleAfterHours} > 0`),
    check('operations_threshold_pos', sql`${t.smallCountThreshold} >= 1`),
    check('operations_digest_time', sql`${t.digestTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
  ],
);

export const places = pgTable(
  'places',
  {
    id: serial('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    names: jsonb('names').$type<LocalizedText>().notNull(),
    countryCode: text('country_code').notNull(),
    kind: text('kind', { enum: PLACE_KINDS }).notNull(),
    /** WGS 84 degrees, for the public map; both or neither (a place without them is not drawn). */
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    check('places_country_code', sql`${t.countryCode} ~ '^[A-Z]{2}$'`),
    check('places_coordinates_pair', sql`(${t.latitude} IS NULL) = (${t.longitude} IS NULL)`),
    check(
      'places_coordinates_range',
      sql`${t.latitude} IS NULL OR (${t.latitude} BETWEEN -90 AND 90 AND ${t.longitude} BETWEEN -180 AND 180)`,
    ),
  ],
);

export const routes = pgTable(
  'routes',
  {
    id: serial('id').primaryKey(),
    operationId: integer('operation_id')
      .notNull()
      .references(() => operations.id),
    slug: text('slug').notNull(),
    names: jsonb('names').$type<LocalizedText>().notNull(),
    position: integer('position').notNull().default(0),
    /** @deprecated Single-language: backfilled into publicNotes; read only where those are empty. */
    publicNote: text('public_note'),
    /** The public note per language. */
    publicNotes: localizedText('public_notes'),
    /** The report's words the note rests on, as said. */
    publicQuote: quotation('public_quote'),
    staffNote: text('staff_note'),
    sourceId: integer('source_id').references(() => sources.id),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('routes_operation_slug').on(t.operationId, t.slug)],
);

export const legs = pgTable(
  'legs',
  {
    id: serial('id').primaryKey(),
    routeId: integer('route_id')
      .notNull()
      .references(() => routes.id),
    position: integer('position').notNull(),
    fromPlaceId: integer('from_place_id')
      .notNull()
      .references(() => places.id),
    toPlaceId: integer('to_place_id')
      .notNull()
      .references(() => places.id),
    mode: text('mode', { enum: LEG_MODES }).notNull(),
    crossesBorder: boolean('crosses_border').notNull().default(false),
    /** Null on a crossing leg means no status has been reported. */
    crossingStatus: text('crossing_status', { enum: CROSSING_STATUSES }),
    /** The public note per language ("the crossing opens at 08:00 local time"). */
    publicNotes: localizedText('public_notes'),
    version: integer('version').notNull().default(1),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('legs_route_position').on(t.routeId, t.position),
    check('legs_distinct_places', sql`${t.fromPlaceId} <> ${t.toPlaceId}`),
    check('legs_crossing_only_on_border', sql`${t.crossesBorder} OR ${t.crossingStatus} IS NULL`),
  ],
);

export const movements = pgTable(
  'movements',
  {
    id: serial('id').primaryKey(),
    routeId: integer('route_id')
      .notNull()
      .references(() => routes.id),
    /** The label in the operation's working language: what staff, the CSV and the uniqueness key use. */
    label: text('label').notNull(),
    /** The label per language, as the public outputs show it. */
    labels: localizedText('labels'),
    kind: text('kind', { enum: MOVEMENT_KINDS }).notNull(),
    /** Null when a report gives no date for the movement itself. */
    scheduledDate: date('scheduled_date'),
    scheduledDepartureAt: tstz('scheduled_departure_at'),
    meetingPoint: text('meeting_point'),
    departedAt: tstz('departed_at'),
    arrivedAt: tstz('arrived_at'),
    /**
     * False when the source gives the day of the event but not its time ("on March 3"):
     * the instant above is then midnight of that day in the operation's zone.
     */
    departedTimeKnown: boolean('departed_time_known').notNull().default(true),
    arrivedTimeKnown: boolean('arrived_time_known').notNull().default(true),
    /**
     * When the current status was true, per its source, where no event time says so
     * (a report says "already arrived" without a date). See docs/CONTEXT.md "as of".
     */
    statusAsOf: tstz('status_as_of'),
    /** Set by a trigger when the status becomes cancelled (the digest reports it on that day). */
    cancelledAt: tstz('cancelled_at'),
    status: text('status', { enum: MOVEMENT_STATUSES }).notNull().default('planned'),
    delayed: boolean('delayed').notNull().default(false),
    capacity: integer('capacity'),
    currentLegId: integer('current_leg_id').references(() => legs.id),
    /** @deprecated Single-language: backfilled into publicNotes; read only where those are empty. */
    publicNote: text('public_note'),
    /** The public note per language. */
    publicNotes: localizedText('public_notes'),
    /** The report's words the movement's figures rest on, as said. */
    publicQuote: quotation('public_quote'),
    staffNote: text('staff_note'),
    sourceId: integer('source_id').references(() => sources.id),
    /** Optimistic concurrency: every write checks and bumps it. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    updatedBy: integer('updated_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('movements_route_label').on(t.routeId, t.label),
    check('movements_capacity_nonneg', sql`${t.capacity} IS NULL OR ${t.capacity} >= 0`),
    check(
      'movements_arrival_after_departure',
      sql`${t.arrivedAt} IS NULL OR ${t.departedAt} IS NULL OR ${t.arrivedAt} >= ${t.departedAt}`,
    ),
    check('movements_version_pos', sql`${t.version} >= 1`),
  ],
);

// Passenger figures: one row per movement, a column per stage × (total, group).
// A null total is "not reported"; a null group is "not broken down".
const figure = (name: string) => integer(name);
export const passengerCounts = pgTable(
  'passenger_counts',
  {
    movementId: integer('movement_id')
      .primaryKey()
      .references(() => movements.id),
    registeredTotal: figure('registered_total'),
    registeredWomenChildren: figure('registered_women_children'),
    registeredOver60: figure('registered_over60'),
    registeredMedical: figure('registered_medical'),
    registeredOther: figure('registered_other'),
    departedTotal: figure('departed_total'),
    departedWomenChildren: figure('departed_women_children'),
    departedOver60: figure('departed_over60'),
    departedMedical: figure('departed_medical'),
    departedOther: figure('departed_other'),
    arrivedTotal: figure('arrived_total'),
    arrivedWomenChildren: figure('arrived_women_children'),
    arrivedOver60: figure('arrived_over60'),
    arrivedMedical: figure('arrived_medical'),
    arrivedOther: figure('arrived_other'),
    sourceId: integer('source_id').references(() => sources.id),
    // The latest as-of among the history's change sets that changed a figure (ties: the
    // later recorded), and among those that changed a registered figure: kept on each
    // append (appendChangeSet), so the live snapshot reads them without the history.
    figuresAsOf: tstz('figures_as_of'),
    figuresAsOfTimeKnown: boolean('figures_as_of_time_known').notNull().default(true),
    registeredAsOf: tstz('registered_as_of'),
    updatedAt: updatedAt(),
    updatedBy: integer('updated_by').references(() => users.id),
  },
  (t) => {
    const stages = [
      [
        'registered',
        t.registeredTotal,
        [t.registeredWomenChildren, t.registeredOver60, t.registeredMedical, t.registeredOther],
      ],
      [
        'departed',
        t.departedTotal,
        [t.departedWomenChildren, t.departedOver60, t.departedMedical, t.departedOther],
      ],
      [
        'arrived',
        t.arrivedTotal,
        [t.arrivedWomenChildren, t.arrivedOver60, t.arrivedMedical, t.arrivedOther],
      ],
    ] as const;
    const perStage = stages.flatMap(([stage, total, groups]) => [
      check(
        `counts_${stage}_nonneg`,
        sql`${total} >= 0 AND ${groups[0]} >= 0 AND ${groups[1]} >= 0 AND ${groups[2]} >= 0 AND ${groups[3]} >= 0`,
      ),
      check(
        `counts_${stage}_breakdown`,
        sql`(${total} IS NULL AND ${groups[0]} IS NULL AND ${groups[1]} IS NULL AND ${groups[2]} IS NULL AND ${groups[3]} IS NULL)
          OR (${total} IS NOT NULL AND COALESCE(${groups[0]}, 0) + COALESCE(${groups[1]}, 0) + COALESCE(${groups[2]}, 0) + COALESCE(${groups[3]}, 0) <= ${total})`,
      ),
    ]);
    const departedGroups = stages[1][2];
    const arrivedGroups = stages[2][2];
    return [
      ...perStage,
      check(
        'counts_arrived_le_departed',
        sql`${t.arrivedTotal} IS NULL OR (${t.departedTotal} IS NOT NULL AND ${t.arrivedTotal} <= ${t.departedTotal})`,
      ),
      check(
        'counts_arrived_le_departed_by_group',
        sql`(${arrivedGroups[0]} IS NULL OR ${departedGroups[0]} IS NULL OR ${arrivedGroups[0]} <= ${departedGroups[0]})
          AND (${arrivedGroups[1]} IS NULL OR ${departedGroups[1]} IS NULL OR ${arrivedGroups[1]} <= ${departedGroups[1]})
          AND (${arrivedGroups[2]} IS NULL OR ${departedGroups[2]} IS NULL OR ${arrivedGroups[2]} <= ${departedGroups[2]})
          AND (${arrivedGroups[3]} IS NULL OR ${departedGroups[3]} IS NULL OR ${arrivedGroups[3]} <= ${departedGroups[3]})`,
      ),
    ];
  },
);

/** One saved edit of a movement's figures: who, when, why, from which source. */
export const countChangeSets = pgTable(
  'count_change_sets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    movementId: integer('movement_id')
      .notNull()
      .references(() => movements.id),
    actorId: integer('actor_id').references(() => users.id),
    /** Who made it when there is no user account (the seed, an import). */
    actorLabel: text('actor_label').notNull(),
    reason: text('reason').notNull(),
    sourceId: integer('source_id').references(() => sources.id),
    /** When the figures were true, as reported; defaults to when they were recorded. */
    asOf: tstz('as_of').notNull().defaultNow(),
    /** False when the source gives a day and no time: `as_of` is then midnight of that day. */
    asOfTimeKnown: boolean('as_of_time_known').notNull().default(true),
    versionBefore: integer('version_before').notNull(),
    versionAfter: integer('version_after').notNull(),
    /** Set on an undo: the change set whose figures this one restores. */
    revertsId: bigint('reverts_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('count_change_sets_movement').on(t.movementId, t.id),
    index('count_change_sets_movement_as_of').on(t.movementId, t.asOf, t.id),
    index('count_change_sets_actor').on(t.actorId, t.id),
    check('count_change_sets_reason', sql`length(trim(${t.reason})) > 0`),
  ],
);

/** One field of a change set: `stage`.`field`, old → new (null = not reported). */
export const countChanges = pgTable(
  'count_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    changeSetId: bigint('change_set_id', { mode: 'number' })
      .notNull()
      .references(() => countChangeSets.id),
    stage: text('stage', { enum: ['registered', 'departed', 'arrived'] }).notNull(),
    field: text('field', { enum: ['total', 'womenChildren', 'over60', 'medical', 'other'] }).notNull(),
    oldValue: integer('old_value'),
    newValue: integer('new_value'),
  },
  (t) => [index('count_changes_set').on(t.changeSetId)],
);

/** Append-only record of every other staff change (status, notes, settings…). */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorId: integer('actor_id').references(() => users.id),
    actorLabel: text('actor_label').notNull(),
    entity: text('entity').notNull(),
    entityId: integer('entity_id').notNull(),
    action: text('action').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_events_entity').on(t.entity, t.entityId, t.id),
    index('audit_events_actor').on(t.actorId, t.id),
  ],
);

export const notices = pgTable('notices', {
  id: serial('id').primaryKey(),
  operationId: integer('operation_id')
    .notNull()
    .references(() => operations.id),
  /** Per language; only the operation's working language is required. */
  bodies: jsonb('bodies').$type<Localized>().notNull(),
  pinned: boolean('pinned').notNull().default(true),
  /**
   * The report a notice states a fact from (an operation-level note, e.g. who the lists
   * prioritise): the page cites it under the notice; null for the desk's own notices.
   */
  sourceId: integer('source_id').references(() => sources.id),
  /** The report's own words the notice rests on, as published, with translations. */
  quote: quotation('quote'),
  publishedAt: tstz('published_at').notNull().defaultNow(),
  expiresAt: tstz('expires_at'),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
  version: integer('version').notNull().default(1),
  updatedAt: updatedAt(),
});

/**
 * "Help and contacts" on the public page: hotlines, messengers, embassies and consulates,
 * the registration link. Each item is checked by a person on a date the page shows.
 * Withdrawn items stay (the audit trail refers to them) but are no longer published.
 */
export const publicContacts = pgTable(
  'public_contacts',
  {
    id: serial('id').primaryKey(),
    operationId: integer('operation_id')
      .notNull()
      .references(() => operations.id),
    kind: text('kind', { enum: CONTACT_KINDS }).notNull(),
    /** Where an embassy or consulate is (ISO 3166-1 alpha-2); it groups them by country. */
    countryCode: text('country_code'),
    /** "Consular hotline", "Embassy of Kazakhstan in Oman". */
    names: jsonb('names').$type<LocalizedText>().notNull(),
    phone: text('phone'),
    email: text('email'),
    /** A registration form, a messenger link, a site (http or https only). */
    url: text('url'),
    address: jsonb('address').$type<LocalizedText>(),
    /** "24 hours", "09:00–18:00 Astana time". */
    hours: jsonb('hours').$type<LocalizedText>(),
    /** The day a person last checked that it works (shown publicly). */
    checkedOn: date('checked_on').notNull(),
    position: integer('position').notNull().default(0),
    withdrawnAt: tstz('withdrawn_at'),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('public_contacts_operation').on(t.operationId, t.position, t.id),
    check('public_contacts_country', sql`${t.countryCode} IS NULL OR ${t.countryCode} ~ '^[A-Z]{2}$'`),
    check('public_contacts_reachable', sql`num_nonnulls(${t.phone}, ${t.email}, ${t.url}) > 0`),
    check('public_contacts_url', sql`${t.url} IS NULL OR ${t.url} ~ '^https?://'`),
    check(
      'public_contacts_mission_country',
      sql`${t.kind} NOT IN ('embassy', 'consulate') OR ${t.countryCode} IS NOT NULL`,
    ),
  ],
);

/**
 * An uploaded CSV of figures: checked (dry run) first, applied later in one
 * transaction. Kept in the database so any app process can apply it.
 */
export const csvImports = pgTable(
  'csv_imports',
  {
    id: serial('id').primaryKey(),
    operationId: integer('operation_id')
      .notNull()
      .references(() => operations.id),
    filename: text('filename').notNull(),
    content: text('content').notNull(),
    rowCount: integer('row_count').notNull(),
    status: text('status', { enum: IMPORT_STATUSES }).notNull().default('checked'),
    reason: text('reason').notNull(),
    sourceId: integer('source_id').references(() => sources.id),
    /** When the file's figures were true, as given on upload; null = when it is applied. */
    asOf: tstz('as_of'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    appliedAt: tstz('applied_at'),
    appliedBy: integer('applied_by').references(() => users.id),
    /** What the apply did (or why it failed): counts of rows changed / unchanged. */
    result: jsonb('result'),
  },
  (t) => [index('csv_imports_operation').on(t.operationId, t.id)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie's token: a database leak does not hand out sessions. */
    idHash: text('id_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Fixed-window counters shared by every app process (sign-in, sign-up limits). */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  windowStartedAt: tstz('window_started_at').notNull(),
});

/**
 * Keys the app generates once and every process shares (rate-limit HMAC key, unsubscribe
 * link key) when the configuration does not give them.
 */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

export const subscribers = pgTable(
  'subscribers',
  {
    id: serial('id').primaryKey(),
    operationId: integer('operation_id')
      .notNull()
      .references(() => operations.id),
    email: text('email').notNull(),
    language: text('language', { enum: LANGUAGES }).notNull(),
    audience: text('audience', { enum: AUDIENCES }).notNull().default('public'),
    allRoutes: boolean('all_routes').notNull().default(true),
    status: text('status', { enum: SUBSCRIBER_STATUSES }).notNull().default('pending'),
    confirmTokenHash: text('confirm_token_hash'),
    confirmExpiresAt: tstz('confirm_expires_at'),
    /**
     * SHA-256 of an unsubscribe token from before links were keyed (docs/security.md):
     * mails already sent keep working. Newer links carry a keyed MAC and are stored nowhere.
     */
    unsubscribeTokenHash: text('unsubscribe_token_hash').unique(),
    /** Its confirmation mail waits for the hourly ceiling (sent by the confirmation queue job). */
    confirmationQueuedAt: tstz('confirmation_queued_at'),
    /** What a sign-up asked for; applied only when its confirmation link is used. */
    pendingPreferences: jsonb('pending_preferences').$type<{
      language: Lang;
      allRoutes: boolean;
      routeIds: number[];
    }>(),
    createdAt: createdAt(),
    confirmedAt: tstz('confirmed_at'),
    unsubscribedAt: tstz('unsubscribed_at'),
  },
  (t) => [
    uniqueIndex('subscribers_operation_email').on(t.operationId, t.email),
    index('subscribers_confirm_token').on(t.confirmTokenHash),
    index('subscribers_confirmation_queue').on(t.confirmationQueuedAt),
  ],
);

export const subscriberRoutes = pgTable(
  'subscriber_routes',
  {
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    routeId: integer('route_id')
      .notNull()
      .references(() => routes.id),
  },
  (t) => [primaryKey({ columns: [t.subscriberId, t.routeId] })],
);

/** A day's digest: the unique key lets exactly one process claim (operation, day). */
export const digestRuns = pgTable(
  'digest_runs',
  {
    id: serial('id').primaryKey(),
    operationId: integer('operation_id')
      .notNull()
      .references(() => operations.id),
    day: date('day').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    claimedBy: text('claimed_by').notNull(),
    createdAt: createdAt(),
    completedAt: tstz('completed_at'),
  },
  (t) => [uniqueIndex('digest_runs_operation_day').on(t.operationId, t.day)],
);

export const digestDeliveries = pgTable(
  'digest_deliveries',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => digestRuns.id),
    subscriberId: integer('subscriber_id').references(() => subscribers.id, { onDelete: 'set null' }),
    email: text('email'),
    language: text('language').notNull(),
    audience: text('audience').notNull(),
    // queued → claimed (leased, not started) → sending (durably "about to send", recorded
    // before the SMTP transaction) → sent; failed = retry due at next_attempt_at; gave_up = no
    // more retries; uncertain = "about to send" was recorded but its outcome never was (the
    // process or the database went away while the server had the message): never resent
    // automatically, at most once; skipped = unsubscribed before it was sent.
    status: text('status', {
      enum: ['queued', 'claimed', 'sending', 'sent', 'failed', 'gave_up', 'uncertain', 'skipped'],
    })
      .notNull()
      .default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lockedUntil: tstz('locked_until'),
    /** Who holds the lease: a worker only records the outcome of a send it still holds. */
    leaseToken: text('lease_token'),
    /** Fixed when the delivery is created: a resend carries the same Message-ID. */
    messageId: text('message_id'),
    /** When "about to send" was recorded (the last attempt handed to the mail server). */
    sendStartedAt: tstz('send_started_at'),
    sentAt: tstz('sent_at'),
    /** A staff member asked to send an uncertain delivery again (also an audit event). */
    resentAt: tstz('resent_at'),
    resentBy: integer('resent_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('digest_deliveries_run_subscriber').on(t.runId, t.subscriberId),
    index('digest_deliveries_due').on(t.status, t.nextAttemptAt),
    index('digest_deliveries_run_status').on(t.runId, t.status),
  ],
);

/**
 * The public states published, shared by every process (docs/privacy.md, "Across
 * processes"): per operation, the live page's latest version (`point` = 'live') and
 * each as-of day's end (`point` = the local day). A new state is audited with these and
 * recorded only if none changed meanwhile (the sum of `seq` is the operation's version),
 * so no two processes publish states never audited together.
 */
export const disclosureReleases = pgTable(
  'disclosure_releases',
  {
    operationId: integer('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    point: text('point').notNull(),
    /** 1 on the first state of this point, +1 on every new one. */
    seq: integer('seq').notNull(),
    /** The release (figures and how each hidden cell is shown), as JSON text compared byte for byte. */
    release: text('release').notNull(),
    recordedAt: tstz('recorded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.operationId, t.point] })],
);

/** Every exact value any public output printed, per operation and cell (a set: rows are only added). */
export const disclosurePrinted = pgTable(
  'disclosure_printed',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    operationId: integer('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    cell: text('cell').notNull(),
    value: integer('value').notNull(),
  },
  (t) => [uniqueIndex('disclosure_printed_value').on(t.operationId, t.cell, t.value)],
);
