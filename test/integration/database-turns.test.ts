// The event loop runs between two queries of the same transaction (issue 16: the public
// page's p99 while counts are saved). On PGlite the database runs on the server's thread
// and each query settles in a microtask, so a transaction used to hold the loop from its
// BEGIN to its COMMIT; src/store/pglite-turns.ts makes each query wait a turn first. On
// PostgreSQL every query is a round trip over a socket, which yields already. Both are
// checked here (TEST_DATABASE_URL), with what a transaction sees unchanged (on PGlite
// nothing runs inside it; a failure rolls it back) and a test faking the timers answered.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, usingPostgres } from '../support/db.ts';

const database = await createTestDatabase();

/** Counts turns of the event loop (a chain of setImmediate) until stopped. */
function turnCounter() {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    now: () => turns,
    stop: () => void (running = false),
  };
}

afterEach(() => void vi.useRealTimers());

describe('queries take turns with the rest of the event loop', () => {
  it('lets the loop turn between every two queries of a transaction', async () => {
    const turns = turnCounter();
    const seen: number[] = [];
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 12; i++) {
        await tx.execute(sql`select ${i}::int as i`);
        seen.push(turns.now());
      }
    });
    turns.stop();
    // Strictly increasing: at least one turn between each query and the next.
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
  });

  it('lets the loop turn between queries outside a transaction', async () => {
    const turns = turnCounter();
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      await database.rows(sql`select ${i}::int as i`);
      seen.push(turns.now());
    }
    turns.stop();
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
  });

  it.skipIf(usingPostgres())(
    'runs nothing else between the statements of a transaction (PGlite: one connection)',
    async () => {
      await database.rows(sql`create table turn_tx (n int)`);
      try {
        let outside: Promise<unknown> | undefined;
        const inside = await database.db.transaction(async (tx) => {
          await tx.execute(sql`insert into turn_tx values (1)`);
          // Asked for while the transaction is open, and given turns to run: it waits.
          outside = database.rows(sql`insert into turn_tx values (2)`);
          for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
          return database.rows<{ n: number }>(sql`select count(*)::int as n from turn_tx`, tx);
        });
        await outside;
        expect(inside[0]!.n).toBe(1);
        const after = await database.rows<{ n: number }>(sql`select count(*)::int as n from turn_tx`);
        expect(after[0]!.n).toBe(2);
      } finally {
        await database.rows(sql`drop table turn_tx`);
      }
    },
  );

  it('still rolls a failed transaction back whole', async () => {
    await database.rows(sql`create table turn_rollback (n int)`);
    try {
      await expect(
        database.db.transaction(async (tx) => {
          await tx.execute(sql`insert into turn_rollback values (1)`);
          await tx.execute(sql`select 1 / 0`);
        }),
      ).rejects.toThrow();
      const rows = await database.rows<{ n: number }>(sql`select count(*)::int as n from turn_rollback`);
      expect(rows[0]!.n).toBe(0);
    } finally {
      await database.rows(sql`drop table turn_rollback`);
    }
  });

  it('answers while a test fakes the timers (setImmediate included)', async () => {
    vi.useFakeTimers();
    const rows = await database.rows<{ n: number }>(sql`select 7::int as n`);
    expect(rows[0]!.n).toBe(7);
  });
});
