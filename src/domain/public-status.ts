// Use case: the snapshots of every public operation, for the public views.
// One read-only, repeatable-read transaction: every figure on the page comes
// from the same committed state (a save landing between two of the reads
// cannot make a route disagree with its operation's totals), and on PGlite
// the reads queue once behind a writer instead of once per query.
import type { Db } from '../store/database.ts';
import { type OperationRow, listPublicOperations } from '../store/repositories/catalog.ts';
import { type Snapshot, loadSnapshot } from './snapshot.ts';

export async function loadPublicSnapshots(deps: { db: Db; now: Date }): Promise<Snapshot[]> {
  return deps.db.transaction(
    async (tx) => {
      const operations = await listPublicOperations(tx);
      const snapshots: Snapshot[] = [];
      for (const op of operations) snapshots.push(await loadSnapshot({ db: tx, now: deps.now }, op));
      return snapshots;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * Who publishes the public pages, for a page built without the projection (an error
 * page): the public operations' authorities, in the projection's order (by id).
 */
export async function loadPublishers(deps: {
  db: Db;
}): Promise<{ authority: OperationRow['authority']; authorityUrl: OperationRow['authorityUrl'] }[]> {
  return (await listPublicOperations(deps.db)).map((o) => ({
    authority: o.authority,
    authorityUrl: o.authorityUrl,
  }));
}
