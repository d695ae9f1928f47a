// Use case: the snapshots of every public operation, for the public views.
import type { Db } from '../store/database.ts';
import { listPublicOperations } from '../store/repositories/catalog.ts';
import { type Snapshot, loadSnapshot } from './snapshot.ts';

export async function loadPublicSnapshots(deps: { db: Db; now: Date }): Promise<Snapshot[]> {
  const operations = await listPublicOperations(deps.db);
  return Promise.all(operations.map((op) => loadSnapshot(deps, op)));
}
