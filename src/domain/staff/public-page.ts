// Use cases for what the public page says about itself (admin): who publishes it,
// the short human-written lead, the "Help and contacts" items, and where places are
// on the map. Each is one transaction: version check, write, audit, change signal.
import type { LocalizedText } from '../../../db/schema.ts';
import type { CONTACT_KINDS } from '../vocabulary.ts';
import { notFound, validationError } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import { notifyChange } from '../../store/notify.ts';
import { appendAudit } from '../../store/repositories/audit.ts';
import * as repo from '../../store/repositories/contacts.ts';
import { findOperation, findPlace, operationsUsingPlace } from '../../store/repositories/workspace.ts';
import { localDay } from '../calendar.ts';
import { type Actor, type StaffDeps, changedFields, staleVersion } from './common.ts';

type Saved = { id: number; version: number; changed: boolean };

// ---- reads

export async function loadPublicPageSettings(db: Db, operationId: number) {
  const operation = await findOperation(db, operationId);
  if (!operation) throw notFound('Operation');
  const contacts = await repo.contactsOfOperation(db, operationId, { all: true });
  const history = await repo.publicPageAudit(db, operationId);
  return { operation, contacts, history };
}

export async function loadContact(db: Db, id: number) {
  const contact = await repo.findContact(db, id);
  if (!contact) throw notFound('Contact');
  return { contact, operation: (await findOperation(db, contact.operationId))! };
}

// ---- publisher and lead

export type PublisherInput = {
  authority: LocalizedText | null;
  authorityUrl: string | null;
  publicLead: LocalizedText | null;
};

export async function editPublisher(
  deps: StaffDeps,
  input: { operationId: number; expectedVersion: number; fields: PublisherInput; actor: Actor },
): Promise<Saved> {
  const errors: Record<string, string> = {};
  if (input.fields.authorityUrl !== null && !isWebUrl(input.fields.authorityUrl))
    errors.authorityUrl = 'field.url';
  if (Object.keys(errors).length) throw validationError(errors);
  return deps.db.transaction(async (tx) => {
    const current = await findOperation(tx, input.operationId);
    if (!current) throw notFound('Operation');
    if (current.version !== input.expectedVersion) await staleVersion(tx, 'operation', current.id, current);
    const diff = changedFields(current, input.fields);
    if (!diff.changed) return { id: current.id, version: current.version, changed: false };
    const row = await repo.updatePublisher(tx, current.id, input.expectedVersion, input.fields);
    if (!row) return staleVersion(tx, 'operation', current.id, current);
    await audit(tx, input.actor, 'operation', current.id, 'publisher', diff);
    await notifyChange(tx, { operationId: current.id, kind: 'operation' });
    return { id: row.id, version: row.version, changed: true };
  });
}

// ---- help and contacts

export type ContactKind = (typeof CONTACT_KINDS)[number];
export type ContactInput = {
  kind: ContactKind;
  countryCode: string | null;
  names: LocalizedText;
  phone: string | null;
  email: string | null;
  url: string | null;
  address: LocalizedText | null;
  hours: LocalizedText | null;
  /** YYYY-MM-DD: when a person last checked it. Not in the future (operation's zone). */
  checkedOn: string;
  position: number;
  /** False: kept, but no longer on the public page. */
  published: boolean;
};

const PHONE = /^\+?[0-9][0-9 ()-]{3,38}[0-9]$/;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,252}\.[^\s@<>"]{2,}$/;

function isWebUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && value.length <= 2000;
  } catch {
    return false;
  }
}

function checkContact(input: ContactInput, today: string) {
  const errors: Record<string, string> = {};
  if (input.phone !== null && !PHONE.test(input.phone)) errors.phone = 'field.phone';
  if (input.email !== null && !EMAIL.test(input.email)) errors.email = 'field.email';
  if (input.url !== null && !isWebUrl(input.url)) errors.url = 'field.url';
  if (input.phone === null && input.email === null && input.url === null)
    errors.phone = 'contact.unreachable';
  if ((input.kind === 'embassy' || input.kind === 'consulate') && input.countryCode === null)
    errors.countryCode = 'contact.country_required';
  if (input.checkedOn > today) errors.checkedOn = 'field.in_future';
  if (Object.keys(errors).length) throw validationError(errors);
}

const contactValues = (input: ContactInput, withdrawnAt: Date | null) => {
  const { published, ...fields } = input;
  void published;
  return { ...fields, withdrawnAt };
};

export async function createContact(
  deps: StaffDeps & { now: Date },
  input: { operationId: number; fields: ContactInput; actor: Actor },
) {
  return deps.db.transaction(async (tx) => {
    const operation = await findOperation(tx, input.operationId);
    if (!operation) throw notFound('Operation');
    checkContact(input.fields, localDay(deps.now, operation.timeZone));
    const values = contactValues(input.fields, input.fields.published ? null : deps.now);
    const row = await repo.insertContact(tx, {
      ...values,
      operationId: operation.id,
      createdBy: input.actor.id,
    });
    await audit(tx, input.actor, 'contact', row.id, 'create', { after: values });
    await notifyChange(tx, { operationId: operation.id, kind: 'contact' });
    return { id: row.id };
  });
}

export async function editContact(
  deps: StaffDeps & { now: Date },
  input: { contactId: number; expectedVersion: number; fields: ContactInput; actor: Actor },
): Promise<Saved> {
  return deps.db.transaction(async (tx) => {
    const current = await repo.findContact(tx, input.contactId);
    if (!current) throw notFound('Contact');
    if (current.version !== input.expectedVersion) await staleVersion(tx, 'contact', current.id, current);
    const operation = (await findOperation(tx, current.operationId))!;
    checkContact(input.fields, localDay(deps.now, operation.timeZone));
    const withdrawnAt = input.fields.published ? null : (current.withdrawnAt ?? deps.now);
    const values = contactValues(input.fields, withdrawnAt);
    const diff = changedFields(current, values);
    if (!diff.changed) return { id: current.id, version: current.version, changed: false };
    const row = await repo.updateContact(tx, current.id, input.expectedVersion, values);
    if (!row) return staleVersion(tx, 'contact', current.id, current);
    const action =
      current.withdrawnAt === null && withdrawnAt !== null
        ? 'withdraw'
        : current.withdrawnAt !== null && withdrawnAt === null
          ? 'republish'
          : 'edit';
    await audit(tx, input.actor, 'contact', current.id, action, diff);
    await notifyChange(tx, { operationId: current.operationId, kind: 'contact' });
    return { id: row.id, version: row.version, changed: true };
  });
}

// ---- coordinates of places

export async function setPlaceCoordinates(
  deps: StaffDeps,
  input: {
    placeId: number;
    expectedVersion: number;
    latitude: number | null;
    longitude: number | null;
    actor: Actor;
  },
): Promise<Saved> {
  const { latitude, longitude } = input;
  const errors: Record<string, string> = {};
  if ((latitude === null) !== (longitude === null))
    errors[latitude === null ? 'latitude' : 'longitude'] = 'place.coordinates_pair';
  if (latitude !== null && !(latitude >= -90 && latitude <= 90)) errors.latitude = 'field.out_of_range';
  if (longitude !== null && !(longitude >= -180 && longitude <= 180)) errors.longitude = 'field.out_of_range';
  if (Object.keys(errors).length) throw validationError(errors);
  return deps.db.transaction(async (tx) => {
    const current = await findPlace(tx, input.placeId);
    if (!current) throw notFound('Place');
    if (current.version !== input.expectedVersion) await staleVersion(tx, 'place', current.id, current);
    const diff = changedFields(current, { latitude, longitude });
    if (!diff.changed) return { id: current.id, version: current.version, changed: false };
    const row = await repo.updatePlaceCoordinates(tx, current.id, input.expectedVersion, {
      latitude,
      longitude,
    });
    if (!row) return staleVersion(tx, 'place', current.id, current);
    await audit(tx, input.actor, 'place', current.id, 'coordinates', diff);
    for (const operationId of await operationsUsingPlace(tx, current.id))
      await notifyChange(tx, { operationId, kind: 'place' });
    return { id: row.id, version: row.version, changed: true };
  });
}

async function audit(
  tx: Db,
  actor: Actor,
  entity: 'operation' | 'place' | 'contact',
  entityId: number,
  action: string,
  diff: { before?: unknown; after?: unknown },
) {
  await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, entity, entityId, action, ...diff });
}
