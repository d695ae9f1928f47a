// The change signal: sent inside the writing transaction, so listeners hear it
// only once the change is committed.
import { sql } from 'drizzle-orm';
import type { Db } from './database.ts';

export const CHANGE_CHANNEL = 'corridor_changes';

export type ChangeSignal = { operationId: number; kind: string };

export async function notifyChange(db: Db, signal: ChangeSignal): Promise<void> {
  await db.execute(sql`SELECT pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(signal)})`);
}
