import { asc, eq } from 'drizzle-orm';
import { movements, routes, users } from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export type MovementRow = typeof movements.$inferSelect;

/** Every movement's id, in creation order (scripts that touch every movement). */
export async function listMovementIds(db: Db): Promise<number[]> {
  const rows = await db.select({ id: movements.id }).from(movements).orderBy(asc(movements.id));
  return rows.map((r) => r.id);
}

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
