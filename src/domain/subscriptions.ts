// Sign-up with double opt-in, confirmation, unsubscribe and staff recipients.
// A sign-up answers the same whatever the address's state, so the response never
// tells whether it was already subscribed; only a hash of the confirmation token
// is stored, and the token expires. Limits (docs/security.md): per client network
// (429), per address across every operation (silently ignored), and an hourly
// ceiling on confirmation mails for the whole service, above which the sign-up is
// recorded and its confirmation waits in a queue (src/domain/confirmation-queue.ts).
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import { type Lang, localized } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { ConfirmationComposer } from '../mail/compose.ts';
import type { Mailer } from '../mail/mailer.ts';
import { fromWithName } from '../mail/from.ts';
import { newMessageId } from '../mail/message-id.ts';
import type { Metrics } from '../metrics.ts';
import { signUpPath } from '../public/urls.ts';
import type { Database } from '../store/database.ts';
import { type OperationRow, listPublicOperations } from '../store/repositories/catalog.ts';
import {
  activateSubscriber,
  findByConfirmHash,
  listStaffRecipients,
  removeStaffRecipient,
  routeIdsOfOperation,
  unsubscribeById,
  upsertPendingSignUp,
  upsertStaffRecipient,
} from '../store/repositories/subscribers.ts';
import { clientNetwork } from './client-network.ts';
import { consumeLimit, enforceLimits, limitKey } from './rate-limit.ts';
import { sha256Hex, subscriberOfToken } from './unsubscribe-links.ts';

export const CONFIRM_TTL_MS = 48 * 3_600_000;
const HOUR_MS = 3_600_000;
/** The one counter every process shares for the hourly ceiling on confirmation mails. */
export const CONFIRMATION_CEILING_KEY = 'mail:confirmations';

export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = sha256Hex;
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export type ConfirmationConfig = {
  PUBLIC_BASE_URL: string;
  MAIL_FROM: string;
  CONFIRMATION_MAILS_PER_HOUR: number;
  RATE_LIMIT_KEY?: string;
};

export type SignUpDeps = {
  database: Database;
  now: Date;
  mailer: Mailer;
  composeConfirmation: ConfirmationComposer;
  metrics?: Metrics;
  logger?: Logger;
  config: ConfirmationConfig & {
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

/** Count one confirmation mail against the hourly ceiling; false = over it, the mail waits. */
export async function underConfirmationCeiling(deps: {
  database: Database;
  now: Date;
  config: Pick<ConfirmationConfig, 'CONFIRMATION_MAILS_PER_HOUR'>;
}): Promise<boolean> {
  const limit = {
    key: CONFIRMATION_CEILING_KEY,
    max: deps.config.CONFIRMATION_MAILS_PER_HOUR,
    windowMs: HOUR_MS,
  };
  return (await consumeLimit(deps, limit)).allowed;
}

/** Compose and send one confirmation mail for a fresh token; its link opens in the mail's language. */
export async function sendConfirmationMail(
  deps: Pick<SignUpDeps, 'mailer' | 'composeConfirmation'> & { config: ConfirmationConfig },
  input: { operation: OperationRow; email: string; language: Lang; token: string },
): Promise<void> {
  const base = deps.config.PUBLIC_BASE_URL.replace(/\/$/, '');
  const parts = deps.composeConfirmation({
    lang: input.language,
    operation: localized(input.operation.names, input.language),
    confirmUrl: `${base}${signUpPath(input.language, { page: 'confirm', token: input.token })}`,
  });
  // From the publishing authority, named in the mail's language, as the digest is.
  const authority = input.operation.authority;
  await deps.mailer.send({
    from: fromWithName(deps.config.MAIL_FROM, authority ? localized(authority, input.language) : null),
    to: input.email,
    ...parts,
    messageId: newMessageId('confirm', deps.config.MAIL_FROM),
    language: input.language,
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
}

export async function requestSubscription(deps: SignUpDeps, input: SignUp): Promise<void> {
  const { database, now, config } = deps;
  const windowMs = config.SIGNUP_WINDOW_MINUTES * 60_000;
  // Per network (IPv4 /24, IPv6 /64): refused openly (it says nothing about any address).
  const network = await limitKey(deps, 'signup:net', clientNetwork(input.ip));
  await enforceLimits({ database, now }, [{ key: network, max: config.SIGNUP_MAX_PER_IP, windowMs }]);
  const email = normaliseEmail(input.email);
  const routeIds = input.allRoutes
    ? []
    : await routeIdsOfOperation(database.db, input.operation.id, input.routeIds);
  if (!input.allRoutes && routeIds.length === 0)
    throw new AppError('validation_failed', 'Choose at least one route.', {
      routes: 'subscribe.error.routes',
    });
  // Per address, across every operation: silently ignored beyond the limit, so nobody can
  // flood an inbox and the answer stays the same.
  const address = await limitKey(deps, 'signup:addr', email);
  const perAddress = await consumeLimit(
    { database, now },
    { key: address, max: config.SIGNUP_MAX_PER_ADDRESS, windowMs },
  );
  if (!perAddress.allowed) return;

  const sendNow = await underConfirmationCeiling(deps);
  const confirm = sendNow ? newToken() : null;
  await upsertPendingSignUp(database.db, {
    operationId: input.operation.id,
    email,
    preferences: { language: input.language, allRoutes: input.allRoutes, routeIds },
    confirmTokenHash: confirm ? hashToken(confirm) : null,
    confirmExpiresAt: confirm ? new Date(now.getTime() + CONFIRM_TTL_MS) : null,
    queued: !confirm,
    now,
  });
  if (!confirm) {
    deps.metrics?.signupConfirmations.inc({ outcome: 'deferred' });
    deps.logger?.warn(
      {
        code: 'confirmation_deferred',
        ceiling: config.CONFIRMATION_MAILS_PER_HOUR,
        operation: input.operation.slug,
      },
      'confirmation mail deferred: the hourly ceiling is reached; it waits in the queue',
    );
    return;
  }
  await sendConfirmationMail(deps, {
    operation: input.operation,
    email,
    language: input.language,
    token: confirm,
  });
  deps.metrics?.signupConfirmations.inc({ outcome: 'sent' });
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

export async function subscriberForUnsubscribe(
  deps: { database: Database; config: UnsubscribeConfig },
  token: string,
) {
  return subscriberOfToken({ db: deps.database.db, config: deps.config }, token);
}

/** Idempotent: a second click answers the same. Undefined for an unknown token. */
export async function unsubscribe(
  deps: { database: Database; now: Date; config: UnsubscribeConfig },
  token: string,
) {
  const row = await subscriberForUnsubscribe(deps, token);
  return row ? unsubscribeById(deps.database.db, row.id, deps.now) : undefined;
}

type UnsubscribeConfig = { UNSUBSCRIBE_KEY?: string };

export async function addStaffRecipient(
  deps: { database: Database; now: Date },
  input: { operationId: number; email: string; language: Lang },
) {
  return upsertStaffRecipient(deps.database.db, {
    operationId: input.operationId,
    email: normaliseEmail(input.email),
    language: input.language,
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
