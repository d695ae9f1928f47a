// History views: every change to a movement (figures and details), and
// everything one staff member changed. Reads only; history is never rewritten.
import type { Db } from '../../store/database.ts';
import { auditOfActor, auditOfEntity, findUserName } from '../../store/repositories/audit.ts';
import { findCounts, listChangeSets } from '../../store/repositories/counts.ts';
import { findMovement } from '../../store/repositories/movements.ts';
import { sourcesByIds } from '../../store/repositories/catalog.ts';
import { notFound } from '../../errors.ts';

export async function movementHistory(db: Db, movementId: number) {
  const found = await findMovement(db, movementId);
  if (!found) throw notFound('Movement');
  const [changeSets, events, current] = await Promise.all([
    listChangeSets(db, { movementId }, 200),
    auditOfEntity(db, 'movement', movementId, 200),
    findCounts(db, movementId),
  ]);
  const sources = await sourcesByIds(
    db,
    changeSets.map((s) => s.sourceId).filter((id): id is number => id !== null),
  );
  const undone = new Set(changeSets.map((s) => s.revertsId).filter((id) => id !== null));
  return {
    movement: found.movement,
    operationId: found.operationId,
    changeSets: changeSets.map((s) => ({
      ...s,
      source: sources.find((src) => src.id === s.sourceId),
      undone: undone.has(s.id),
      // Undo is offered only while every field still holds what this change wrote.
      undoable: !undone.has(s.id) && s.changes.every((c) => current[c.stage][c.field] === c.newValue),
    })),
    events,
  };
}

export async function userHistory(db: Db, userId: number) {
  const user = await findUserName(db, userId);
  if (!user) throw notFound('User');
  const [changeSets, events] = await Promise.all([
    listChangeSets(db, { actorId: userId }, 200),
    auditOfActor(db, userId, 200),
  ]);
  return { user, changeSets, events };
}
