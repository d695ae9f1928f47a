// Helpers for the staff workspace tests: the whole database as data (to prove
// a refused request wrote nothing) and a multipart CSV upload over a signed-in client.
import { asc } from 'drizzle-orm';
import {
  auditEvents,
  countChangeSets,
  countChanges,
  csvImports,
  legs,
  movements,
  notices,
  operations,
  passengerCounts,
  places,
  routes,
  sources,
} from '../../db/schema.ts';
import type { Db } from '../../src/store/database.ts';
import type { StaffClient } from './staff.ts';

/** Every table a workspace write may touch, in a stable order. */
export async function dumpWorkspace(db: Db) {
  return {
    operations: await db.select().from(operations).orderBy(asc(operations.id)),
    places: await db.select().from(places).orderBy(asc(places.id)),
    routes: await db.select().from(routes).orderBy(asc(routes.id)),
    legs: await db.select().from(legs).orderBy(asc(legs.id)),
    movements: await db.select().from(movements).orderBy(asc(movements.id)),
    counts: await db.select().from(passengerCounts).orderBy(asc(passengerCounts.movementId)),
    changeSets: await db.select().from(countChangeSets).orderBy(asc(countChangeSets.id)),
    changes: await db.select().from(countChanges).orderBy(asc(countChanges.id)),
    audit: await db.select().from(auditEvents).orderBy(asc(auditEvents.id)),
    notices: await db.select().from(notices).orderBy(asc(notices.id)),
    sources: await db.select().from(sources).orderBy(asc(sources.id)),
    imports: await db.select().from(csvImports).orderBy(asc(csvImports.id)),
  };
}

/** POST a CSV file as multipart/form-data, the way the import form does. */
export async function uploadCsv(
  client: StaffClient,
  path: string,
  content: string | Uint8Array,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  form.set('_csrf', client.csrfToken);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([content as BlobPart], { type: 'text/csv' }), 'figures.csv');
  return client.request(path, { method: 'POST', body: form });
}
