// The one shape of every versioned edit of a workspace record, in one transaction:
// find → not found → version check (409 naming who changed it) → check (validate,
// and say what to write) → diff → nothing changed? done → apply (a version-guarded
// update; a lost race is a 409 too) → audit the diff → notify (change signal).
// Used by operations, places, routes, legs and notices (docs/contributing.md, "A use case").
import { notFound } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import { type AuditEntity, appendAudit } from '../../store/repositories/audit.ts';
import { type Actor, type StaffDeps, changedFields, staleVersion } from './common.ts';

export type Saved = { id: number; version: number; changed: boolean };
type Versioned = { id: number; version: number };

export type VersionedEdit<Row extends Versioned, Values extends Record<string, unknown>> = {
  expectedVersion: number;
  actor: Actor;
  /** The record as it is now (inside the transaction), or undefined. */
  find: (tx: Db) => Promise<Row | undefined>;
  /** Validate against the record (throw validationError) and return the values to write. */
  check: (tx: Db, current: Row) => Promise<Values> | Values;
  /** The version-guarded update: the new row, or undefined when another save won the race. */
  apply: (tx: Db, current: Row, values: Values) => Promise<Versioned | undefined>;
  /** What the audit row says: the entity and, by default, action 'edit'. */
  audit: { entity: AuditEntity; what: string; action?: string };
  /** Signal the change (notifyChange) and touch what depends on the record. */
  notify: (tx: Db, current: Row) => Promise<void>;
};

export async function editVersioned<Row extends Versioned, Values extends Record<string, unknown>>(
  deps: StaffDeps,
  edit: VersionedEdit<Row, Values>,
): Promise<Saved> {
  const { entity, what, action = 'edit' } = edit.audit;
  return deps.db.transaction(async (tx) => {
    const current = await edit.find(tx);
    if (!current) throw notFound(what);
    if (current.version !== edit.expectedVersion) await staleVersion(tx, entity, current.id, current);
    const values = await edit.check(tx, current);
    const diff = changedFields(current as unknown as Values, values);
    if (!diff.changed) return { id: current.id, version: current.version, changed: false };
    const row = await edit.apply(tx, current, values);
    if (!row) return staleVersion(tx, entity, current.id, current);
    const { actor } = edit;
    await appendAudit(tx, {
      actorId: actor.id,
      actorLabel: actor.label,
      entity,
      entityId: current.id,
      action,
      before: diff.before,
      after: diff.after,
    });
    await edit.notify(tx, current);
    return { id: row.id, version: row.version, changed: true };
  });
}

/** The audit row of a newly created record. */
export async function auditCreated(
  tx: Db,
  actor: Actor,
  entity: AuditEntity,
  entityId: number,
  after: unknown,
) {
  await appendAudit(tx, {
    actorId: actor.id,
    actorLabel: actor.label,
    entity,
    entityId,
    action: 'create',
    after,
  });
}
