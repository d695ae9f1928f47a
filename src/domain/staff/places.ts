// Use cases for places (admin): cities, airports, border crossings, countries.
// A place is shared by operations; an edit signals every operation that uses it.
import { validationError } from '../../errors.ts';
import type { LocalizedText } from '../../../db/schema.ts';
import { notifyChange } from '../../store/notify.ts';
import * as repo from '../../store/repositories/workspace.ts';
import type { PlaceKind } from '../vocabulary.ts';
import type { Actor, StaffDeps } from './common.ts';
import { type Saved, auditCreated, editVersioned } from './edit-versioned.ts';

export type PlaceInput = {
  slug: string;
  names: LocalizedText;
  countryCode: string;
  kind: PlaceKind;
};

export async function createPlace(deps: StaffDeps, input: { fields: PlaceInput; actor: Actor }) {
  return deps.db.transaction(async (tx) => {
    if (await repo.slugTaken(tx, 'places', input.fields.slug)) throw validationError({ slug: 'field.taken' });
    const row = await repo.insertPlace(tx, input.fields);
    await auditCreated(tx, input.actor, 'place', row.id, input.fields);
    return { id: row.id };
  });
}

export async function editPlace(
  deps: StaffDeps,
  input: { placeId: number; expectedVersion: number; fields: PlaceInput; actor: Actor },
): Promise<Saved> {
  return editVersioned(deps, {
    expectedVersion: input.expectedVersion,
    actor: input.actor,
    audit: { entity: 'place', what: 'Place' },
    find: (tx) => repo.findPlace(tx, input.placeId),
    check: async (tx, current) => {
      if (await repo.slugTaken(tx, 'places', input.fields.slug, current.id))
        throw validationError({ slug: 'field.taken' });
      return input.fields;
    },
    apply: (tx, current, values) => repo.updatePlace(tx, current.id, input.expectedVersion, values),
    notify: async (tx, current) => {
      for (const operationId of await repo.operationsUsingPlace(tx, current.id))
        await notifyChange(tx, { operationId, kind: 'place' });
    },
  });
}
