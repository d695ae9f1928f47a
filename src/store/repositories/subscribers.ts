// Subscribers and their chosen routes. Addresses are stored lower-cased and
// trimmed; they leave this module only for sending mail and for staff pages. No
// token is stored in clear: confirmation tokens and pre-keyed unsubscribe tokens
// as SHA-256 (docs/security.md).
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { routes, subscriberRoutes, subscribers } from '../../../db/schema.ts';
import type { Db } from '../database.ts';
import type { Lang } from '../../i18n/languages.ts';

export type SubscriberRow = typeof subscribers.$inferSelect;
export type Preferences = NonNullable<SubscriberRow['pendingPreferences']>;

/**
 * Record a sign-up: a new pending row, or new pending preferences and a fresh
 * confirmation token on an existing one — one statement, so two sign-ups of the
 * same address at once cannot both insert. The state (active, unsubscribed) is
 * untouched until the link is used.
 */
export async function upsertPendingSignUp(
  db: Db,
  values: {
    operationId: number;
    email: string;
    preferences: Preferences;
    /** Null while the confirmation mail waits for the hourly ceiling (queued). */
    confirmTokenHash: string | null;
    confirmExpiresAt: Date | null;
    queued: boolean;
    now: Date;
  },
) {
  const queuedAt = values.queued ? values.now : null;
  const [row] = await db
    .insert(subscribers)
    .values({
      operationId: values.operationId,
      email: values.email,
      language: values.preferences.language,
      allRoutes: values.preferences.allRoutes,
      status: 'pending',
      confirmTokenHash: values.confirmTokenHash,
      confirmExpiresAt: values.confirmExpiresAt,
      pendingPreferences: values.preferences,
      confirmationQueuedAt: queuedAt,
      createdAt: values.now,
    })
    .onConflictDoUpdate({
      target: [subscribers.operationId, subscribers.email],
      set: {
        confirmTokenHash: values.confirmTokenHash,
        confirmExpiresAt: values.confirmExpiresAt,
        pendingPreferences: values.preferences,
        // A queued sign-up keeps its place in the queue; one sent now leaves it.
        confirmationQueuedAt: values.queued
          ? sql`COALESCE(${subscribers.confirmationQueuedAt}, ${values.now.toISOString()}::timestamptz)`
          : null,
      },
    })
    .returning({ id: subscribers.id });
  return row!;
}

export async function findByConfirmHash(db: Db, hash: string) {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.confirmTokenHash, hash));
  return row;
}

export async function findByUnsubscribeHash(db: Db, hash: string) {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.unsubscribeTokenHash, hash));
  return row;
}

export async function findSubscriberById(db: Db, id: number) {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.id, id));
  return row;
}

/** Apply confirmed preferences (only if the token is still the one confirmed); replaces the routes. */
export async function activateSubscriber(
  db: Db,
  id: number,
  confirmTokenHash: string,
  preferences: Preferences,
  now: Date,
) {
  const [row] = await db
    .update(subscribers)
    .set({
      status: 'active',
      language: preferences.language,
      allRoutes: preferences.allRoutes,
      confirmTokenHash: null,
      confirmExpiresAt: null,
      pendingPreferences: null,
      confirmedAt: now,
      unsubscribedAt: null,
    })
    .where(and(eq(subscribers.id, id), eq(subscribers.confirmTokenHash, confirmTokenHash)))
    .returning({ id: subscribers.id, operationId: subscribers.operationId });
  if (!row) return undefined;
  await replaceRoutes(db, id, preferences.allRoutes ? [] : preferences.routeIds);
  return row;
}

export async function replaceRoutes(db: Db, subscriberId: number, routeIds: number[]) {
  await db.delete(subscriberRoutes).where(eq(subscriberRoutes.subscriberId, subscriberId)).returning();
  if (routeIds.length > 0)
    await db
      .insert(subscriberRoutes)
      .values(routeIds.map((routeId) => ({ subscriberId, routeId })))
      .onConflictDoNothing();
}

export async function unsubscribeById(db: Db, id: number, now: Date) {
  const [row] = await db
    .update(subscribers)
    .set({
      status: 'unsubscribed',
      unsubscribedAt: sql`COALESCE(${subscribers.unsubscribedAt}, ${now.toISOString()}::timestamptz)`,
      confirmTokenHash: null,
      confirmExpiresAt: null,
      pendingPreferences: null,
      confirmationQueuedAt: null,
    })
    .where(eq(subscribers.id, id))
    .returning({ id: subscribers.id, language: subscribers.language });
  return row;
}

/** The routes of an operation a sign-up may choose, among `ids`. */
export async function routeIdsOfOperation(db: Db, operationId: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: routes.id })
    .from(routes)
    .where(and(eq(routes.operationId, operationId), inArray(routes.id, ids)));
  return rows.map((r) => r.id);
}

/** Add (or re-enable, or promote a public subscriber to) a staff recipient. */
export async function upsertStaffRecipient(
  db: Db,
  values: {
    operationId: number;
    email: string;
    language: Lang;
    now: Date;
  },
) {
  const [row] = await db
    .insert(subscribers)
    .values({
      operationId: values.operationId,
      email: values.email,
      language: values.language,
      audience: 'staff',
      allRoutes: true,
      status: 'active',
      createdAt: values.now,
      confirmedAt: values.now,
    })
    .onConflictDoUpdate({
      target: [subscribers.operationId, subscribers.email],
      set: {
        audience: 'staff',
        language: values.language,
        allRoutes: true,
        status: 'active',
        confirmedAt: values.now,
        unsubscribedAt: null,
        confirmTokenHash: null,
        confirmExpiresAt: null,
        pendingPreferences: null,
        confirmationQueuedAt: null,
      },
    })
    .returning();
  await replaceRoutes(db, row!.id, []);
  return row!;
}

export async function removeStaffRecipient(db: Db, operationId: number, id: number, now: Date) {
  const [row] = await db
    .update(subscribers)
    .set({ status: 'unsubscribed', unsubscribedAt: now })
    .where(
      and(
        eq(subscribers.id, id),
        eq(subscribers.operationId, operationId),
        eq(subscribers.audience, 'staff'),
      ),
    )
    .returning({ id: subscribers.id });
  return row;
}

export async function listStaffRecipients(db: Db, operationId: number) {
  return db
    .select({
      id: subscribers.id,
      email: subscribers.email,
      language: subscribers.language,
      status: subscribers.status,
      confirmedAt: subscribers.confirmedAt,
    })
    .from(subscribers)
    .where(and(eq(subscribers.operationId, operationId), eq(subscribers.audience, 'staff')))
    .orderBy(asc(subscribers.email));
}

export async function findSubscriberByEmail(db: Db, operationId: number, email: string) {
  const [row] = await db
    .select()
    .from(subscribers)
    .where(and(eq(subscribers.operationId, operationId), eq(subscribers.email, email)));
  return row;
}

export async function routesOfSubscriber(db: Db, subscriberId: number): Promise<number[]> {
  const rows = await db
    .select({ routeId: subscriberRoutes.routeId })
    .from(subscriberRoutes)
    .where(eq(subscriberRoutes.subscriberId, subscriberId));
  return rows.map((r) => r.routeId);
}

/** Whether any confirmation mail waits for the hourly ceiling. */
export async function hasQueuedConfirmation(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(isNotNull(subscribers.confirmationQueuedAt))
    .limit(1);
  return row !== undefined;
}

/**
 * Take the oldest waiting confirmation (SKIP LOCKED: two processes take different
 * rows) and give it a fresh token: it leaves the queue in the same statement.
 */
export async function takeQueuedConfirmation(
  db: Db,
  values: { confirmTokenHash: string; confirmExpiresAt: Date },
): Promise<SubscriberRow | undefined> {
  const next = db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(isNotNull(subscribers.confirmationQueuedAt))
    .orderBy(asc(subscribers.confirmationQueuedAt), asc(subscribers.id))
    .limit(1)
    .for('update', { skipLocked: true });
  const [row] = await db
    .update(subscribers)
    .set({
      confirmationQueuedAt: null,
      confirmTokenHash: values.confirmTokenHash,
      confirmExpiresAt: values.confirmExpiresAt,
    })
    .where(inArray(subscribers.id, next))
    .returning();
  return row;
}

/** Put a confirmation whose mail failed back in the queue (if nobody signed up again since). */
export async function requeueConfirmation(db: Db, id: number, confirmTokenHash: string, now: Date) {
  await db
    .update(subscribers)
    .set({ confirmationQueuedAt: now, confirmTokenHash: null, confirmExpiresAt: null })
    .where(and(eq(subscribers.id, id), eq(subscribers.confirmTokenHash, confirmTokenHash)))
    .returning({ id: subscribers.id });
}
