// Staff reads and the one write of a source's outlet and title per language. The
// write is guarded by the version the editor loaded: `.returning()` yields nothing
// when someone saved in between, and the caller reports a conflict.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { sources } from '../../../db/schema.ts';
import type { Localized } from '../../i18n/languages.ts';
import type { Db } from '../database.ts';

export type SourceRow = typeof sources.$inferSelect;

export async function listStaffSources(db: Db): Promise<SourceRow[]> {
  return db.select().from(sources).orderBy(desc(sources.publishedOn), asc(sources.id));
}

export async function findSourceRow(db: Db, id: number): Promise<SourceRow | undefined> {
  const [row] = await db.select().from(sources).where(eq(sources.id, id));
  return row;
}

export async function updateSourceTexts(
  db: Db,
  id: number,
  version: number,
  values: { title: string; outlet: string; titles: Localized; outlets: Localized },
) {
  const [row] = await db
    .update(sources)
    .set({ ...values, version: sql`${sources.version} + 1` })
    .where(and(eq(sources.id, id), eq(sources.version, version)))
    .returning();
  return row;
}
