import { eq } from 'drizzle-orm';
import { movements, routes, users } from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export type MovementRow = typeof movements.$inferSelect;

/** A movement with the operation it belongs to, or undefined. */
export async function findMovement(db: Db, id: number) {
  const [row] = await db
    .select({ movement: movements, operationId: routes.operationId, updatedByName: users.name })
    .from(movements)
    .innerJoin(routes, eq(routes.id, movements.routeId))
    .leftJoin(users, eq(users.id, movements.updatedBy))
    .where(eq(movements.id, id));
  return row;
}
