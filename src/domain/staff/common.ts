// What every staff use case shares: who acts, the conflict it reports, the
// change signal, and local wall-clock times in an operation's zone.
import { conflict, validationError } from '../../errors.ts';
import { parseLocalDateTime } from '../calendar.ts';
import type { Db } from '../../store/database.ts';
import { type AuditEntity, lastAudit } from '../../store/repositories/audit.ts';
import { yearInWindow } from '../input-rules.ts';
import type { Actor } from '../update-counts.ts';

export type { Actor };
/** `now`: the injected clock's reading (defaults to the system clock). */
export type StaffDeps = { db: Db; now?: Date };

/** A save made against an older version: tell who changed the record, and when. */
export async function staleVersion(
  db: Db,
  entity: AuditEntity,
  id: number,
  current: { version: number },
): Promise<never> {
  const last = await lastAudit(db, entity, id);
  throw conflict('Someone else changed this since you loaded it.', {
    currentVersion: current.version,
    updatedBy: last?.actorLabel ?? null,
    updatedAt: last?.createdAt ?? null,
  });
}

/** Only the fields that differ, for the audit record. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after)) {
    const old = before[k];
    const same = old instanceof Date && v instanceof Date ? old.getTime() === v.getTime() : old === v;
    if (!same && JSON.stringify(old) !== JSON.stringify(v)) {
      b[k] = old ?? null;
      a[k] = v ?? null;
    }
  }
  return { before: b, after: a, changed: Object.keys(a).length > 0 };
}

/** "2026-03-03T14:30" on the operation's wall clock → the instant. */
export function localToInstant(value: string | null, timeZone: string, field: string): Date | null {
  if (value === null) return null;
  // A year outside 2000–2100 is a typo (0026 for 2026), refused before it is read.
  if (/^\d{4}-/.test(value) && !yearInWindow(Number(value.slice(0, 4))))
    throw validationError({ [field]: 'field.date_window' });
  const at = parseLocalDateTime(value, timeZone);
  if (!at) throw validationError({ [field]: 'field.datetime' });
  return at;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
