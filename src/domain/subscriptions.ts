// Sign-up with double opt-in, confirmation, unsubscribe and staff recipients.
// A sign-up answers the same whatever the address's state, so the response never
// tells whether it was already subscribed; only a hash of the confirmation token
// is stored, and the token expires.
import { newMessageId } from '../mail/message-id.ts';
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import { type Lang, localized } from '../i18n/index.ts';
import type { ConfirmationComposer } from '../mail/compose.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Database } from '../store/database.ts';
import { type OperationRow, listPublicOperations } from '../store/repositories/catalog.ts';
import {
  activateSubscriber,
  findByConfirmHash,
  findByUnsubscribeToken,
  listStaffRecipients,
  removeStaffRecipient,
  routeIdsOfOperation,
  unsubscribeByToken,
  upsertPendingSignUp,
  upsertStaffRecipient,
} from '../store/repositories/subscribers.ts';
import { consumeLimit, enforceLimits } from './rate-limit.ts';

export const CONFIRM_TTL_MS = 48 * 3_600_000;

const token = () => randomBytes(32).toString('base64url');
export const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export type SignUpDeps = {
  database: Database;
  now: Date;
  mailer: Mailer;
  composeConfirmation: ConfirmationComposer;
  config: {
    PUBLIC_BASE_URL: string;
    MAIL_FROM: string;
    SIGNUP_MAX_PER_ADDRESS: number;
    SIGNUP_MAX_PER_IP: number;
    SIGNUP_WINDOW_MINUTES: number;
  };
};

export type SignUp = {
  operation: OperationRow;
  email: string;
  language: Lang;
  allRoutes: boolean;
  routeIds: number[];
  ip: string;
};

/** Operations open for sign-up: public and active. */
export async function signUpOperations(deps: { database: Database }): Promise<OperationRow[]> {
  return (await listPublicOperations(deps.database.db)).filter((o) => o.status === 'active');
}

export async function requestSubscription(deps: SignUpDeps, input: SignUp): Promise<void> {
  const { database, now, config } = deps;
  const windowMs = config.SIGNUP_WINDOW_MINUTES * 60_000;
  // Per network: refused openly (it says nothing about any address).
  await enforceLimits({ database, now }, [
    { key: `signup:ip:${input.ip}`, max: config.SIGNUP_MAX_PER_IP, windowMs },
  ]);
  const email = normaliseEmail(input.email);
  const routeIds = input.allRoutes
    ? []
    : await routeIdsOfOperation(database.db, input.operation.id, input.routeIds);
  if (!input.allRoutes && routeIds.length === 0)
    throw new AppError('validation_failed', 'Choose at least one route.', {
      routes: 'subscribe.error.routes',
    });
  // Per address: silently ignored beyond the limit, so nobody can flood an inbox and the
  // answer stays the same. The key holds a hash, never the address.
  const perAddress = await consumeLimit(
    { database, now },
    {
      key: `signup:addr:${hashToken(`${input.operation.id}:${email}`)}`,
      max: config.SIGNUP_MAX_PER_ADDRESS,
      windowMs,
    },
  );
  if (!perAddress.allowed) return;

  const confirm = token();
  await upsertPendingSignUp(database.db, {
    operationId: input.operation.id,
    email,
    preferences: { language: input.language, allRoutes: input.allRoutes, routeIds },
    confirmTokenHash: hashToken(confirm),
    confirmExpiresAt: new Date(now.getTime() + CONFIRM_TTL_MS),
    unsubscribeToken: token(),
    now,
  });
  const base = config.PUBLIC_BASE_URL.replace(/\/$/, '');
  const parts = deps.composeConfirmation({
    lang: input.language,
    operation: localized(input.operation.names, input.language),
    confirmUrl: `${base}/subscribe/confirm/${confirm}`,
  });
  await deps.mailer.send({
    from: config.MAIL_FROM,
    to: email,
    ...parts,
    messageId: newMessageId('confirm', config.MAIL_FROM),
    language: input.language,
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
}

/** The sign-up a confirmation link stands for, if it is valid and not expired. */
export async function pendingConfirmation(deps: { database: Database; now: Date }, confirmToken: string) {
  if (!/^[\w-]{20,100}$/.test(confirmToken)) return undefined;
  const row = await findByConfirmHash(deps.database.db, hashToken(confirmToken));
  if (!row || !row.confirmExpiresAt || row.confirmExpiresAt <= deps.now || !row.pendingPreferences)
    return undefined;
  return row;
}

export async function confirmSubscription(
  deps: { database: Database; now: Date },
  confirmToken: string,
): Promise<{ language: Lang } | undefined> {
  return deps.database.db.transaction(async (tx) => {
    const row = await pendingConfirmation(
      { database: { ...deps.database, db: tx }, now: deps.now },
      confirmToken,
    );
    if (!row) return undefined;
    const prefs = row.pendingPreferences!;
    const done = await activateSubscriber(tx, row.id, hashToken(confirmToken), prefs, deps.now);
    return done ? { language: prefs.language } : undefined;
  });
}

export async function subscriberForUnsubscribe(deps: { database: Database }, unsubscribeToken: string) {
  if (!/^[\w-]{20,100}$/.test(unsubscribeToken)) return undefined;
  return findByUnsubscribeToken(deps.database.db, unsubscribeToken);
}

/** Idempotent: a second click answers the same. Undefined for an unknown token. */
export async function unsubscribe(deps: { database: Database; now: Date }, unsubscribeToken: string) {
  if (!/^[\w-]{20,100}$/.test(unsubscribeToken)) return undefined;
  return unsubscribeByToken(deps.database.db, unsubscribeToken, deps.now);
}

export async function addStaffRecipient(
  deps: { database: Database; now: Date },
  input: { operationId: number; email: string; language: Lang },
) {
  return upsertStaffRecipient(deps.database.db, {
    operationId: input.operationId,
    email: normaliseEmail(input.email),
    language: input.language,
    unsubscribeToken: token(),
    now: deps.now,
  });
}

export async function removeStaffRecipientById(
  deps: { database: Database; now: Date },
  input: { operationId: number; id: number },
) {
  return removeStaffRecipient(deps.database.db, input.operationId, input.id, deps.now);
}

export async function staffRecipients(deps: { database: Database }, operationId: number) {
  return listStaffRecipients(deps.database.db, operationId);
}
