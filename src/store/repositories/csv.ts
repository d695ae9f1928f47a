// Reads the CSV import and export need: every movement of an operation with
// the keys a file names it by, and source slugs.
import { asc, eq, inArray } from 'drizzle-orm';
import { movements, routes, sources } from '../../../db/schema.ts';
import type { Db } from '../database.ts';

export async function csvTargets(db: Db, operationId: number) {
  return db
    .select({
      id: movements.id,
      label: movements.label,
      labels: movements.labels,
      version: movements.version,
      routeSlug: routes.slug,
    })
    .from(movements)
    .innerJoin(routes, eq(routes.id, movements.routeId))
    .where(eq(routes.operationId, operationId))
    .orderBy(asc(routes.position), asc(routes.id), asc(movements.scheduledDate), asc(movements.id));
}

export async function sourceIdsBySlug(db: Db, slugs: string[]): Promise<Map<string, number>> {
  if (slugs.length === 0) return new Map();
  const rows = await db
    .select({ id: sources.id, slug: sources.slug })
    .from(sources)
    .where(inArray(sources.slug, slugs));
  return new Map(rows.map((r) => [r.slug, r.id]));
}

export async function sourceSlugsById(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: sources.id, slug: sources.slug })
    .from(sources)
    .where(inArray(sources.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.slug]));
}
