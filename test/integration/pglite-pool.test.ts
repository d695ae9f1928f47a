// The test databases' PGlite pool (test/support/pglite-pool.ts): a PGlite a file closed is
// lent to the next one emptied, as a fresh copy of the template would be, and the holder
// that closed it can no longer use it. The pool was silently off for weeks: openDatabase
// wraps its client's query, exec and transaction (pglite-turns.ts), the wrappers landed on
// the PGlite itself and outlived the lend, the next holder's first query failed with
// "PGlite is closed" and the pool started a new PGlite every time (0.4–1.4 s of CPU each).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, usingPostgres } from '../support/db.ts';
import { makeOperation } from '../support/factories.ts';
import { pglitesStarted } from '../support/pglite-pool.ts';

/** drizzle wraps the driver's error ("Failed query: …"); PGlite's own is its cause. */
const closedError = (err: unknown) =>
  /PGlite is closed/.test(String((err as { cause?: unknown }).cause ?? err));

const operationIds = async (database: Awaited<ReturnType<typeof createTestDatabase>>) =>
  (await database.rows<{ id: number }>(sql`SELECT id FROM operations ORDER BY id`)).map((r) => r.id);

describe.skipIf(usingPostgres())('the PGlite test-database pool', () => {
  it('lends a closed PGlite again, emptied, ids from the start, and the old holder is shut out', async () => {
    const first = await createTestDatabase();
    const op = await makeOperation(first.db, { slug: 'pool-first' });
    await makeOperation(first.db, { slug: 'pool-second' });
    expect(await operationIds(first)).toEqual([op.id, op.id + 1]);
    await first.close();
    const started = pglitesStarted();
    // The pool lends the PGlite closed last first (a stack), so the next ones are this one.

    const second = await createTestDatabase();
    expect(pglitesStarted()).toBe(started); // the same PGlite, not a new one
    expect(await operationIds(second)).toEqual([]);
    const again = await makeOperation(second.db, { slug: 'pool-first' }); // the slug is free again
    expect(again.id).toBe(op.id); // the sequence is back where the template had it
    // Inside a transaction too (openDatabase wraps transaction and each transaction's queries).
    await second.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE operations SET slug = 'pool-renamed' WHERE id = ${again.id}`);
    });
    expect((await second.rows<{ slug: string }>(sql`SELECT slug FROM operations`))[0]!.slug).toBe(
      'pool-renamed',
    );

    await expect(first.rows(sql`SELECT 1`)).rejects.toSatisfy(closedError);
    await second.close();
    await expect(second.rows(sql`SELECT 1`)).rejects.toSatisfy(closedError);

    // Three lends in a row: each holder's wrappers are its own.
    for (let i = 0; i < 3; i++) {
      const next = await createTestDatabase();
      expect(await operationIds(next)).toEqual([]);
      await makeOperation(next.db);
      await next.close();
    }
    expect(pglitesStarted()).toBe(started);
  });

  it('starts a new PGlite instead of lending one whose schema a file changed', async () => {
    const changed = await createTestDatabase();
    await changed.rows(sql`CREATE TABLE pool_extra (id int)`);
    await changed.close();
    // The next one is a new PGlite or another idle one (a file before this one in the
    // worker may have left one), never the changed one: emptying keeps tables, so the
    // extra table would still be there.
    const next = await createTestDatabase();
    expect(await next.rows(sql`SELECT to_regclass('pool_extra') AS t`)).toEqual([{ t: null }]);
    await next.close();
  });
});
