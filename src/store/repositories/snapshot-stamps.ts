// What a snapshot re-read asks first, to read again only the rows that changed
// (src/domain/snapshot-reader.ts): each movement's row version and its current figures'
// row version (PostgreSQL's xmin: every write of a row gives it a new one, on PGlite too),
// in the order the full read gives them; and a stamp of the movements' day changes in the
// audit log (rows only added, with rising ids: their count and highest id move on any change).
import { asc, inArray, sql } from 'drizzle-orm';
import { movements } from '../../../db/schema.ts';
import { type Db, rowsOf } from '../database.ts';

export type MovementStamp = { id: number; movement: string; counts: string | null };

/** Every movement of these routes with its row's and its figures' versions, in movementsOfRoutes' order. */
export async function movementStamps(db: Db, routeIds: number[]): Promise<MovementStamp[]> {
  if (routeIds.length === 0) return [];
  const rows = await rowsOf<{ id: number; m: string; c: string | null }>(
    db,
    sql`SELECT m.id, m.xmin::text AS m, c.xmin::text AS c
        FROM movements m LEFT JOIN passenger_counts c ON c.movement_id = m.id
        WHERE m.route_id IN (${sql.join(
          routeIds.map((id) => sql`${id}`),
          sql`, `,
        )})
        ORDER BY m.scheduled_date ASC, m.id ASC`,
  );
  return rows.map((r) => ({ id: Number(r.id), movement: r.m, counts: r.c }));
}

/** These movements' rows, as movementsOfRoutes reads them. */
export async function movementsByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(movements).where(inArray(movements.id, ids)).orderBy(asc(movements.id));
}

/**
 * The count and highest id of every audit event of the movements of these routes: those
 * movementDayChanges reads are among them, so when this stamp holds, they are the same
 * (an index-only count, the events' contents never read).
 */
export async function dayChangeStamp(db: Db, routeIds: number[]): Promise<string> {
  if (routeIds.length === 0) return '0:0';
  const [row] = await rowsOf<{ n: number | string; top: number | string | null }>(
    db,
    sql`SELECT count(*) AS n, max(id) AS top FROM audit_events
        WHERE entity = 'movement' AND entity_id IN (
          SELECT id FROM movements WHERE route_id IN (${sql.join(
            routeIds.map((id) => sql`${id}`),
            sql`, `,
          )}))`,
  );
  return `${Number(row?.n ?? 0)}:${Number(row?.top ?? 0)}`;
}
