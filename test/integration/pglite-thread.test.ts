// The embedded database on a thread of its own (src/store/pglite-thread.ts): it answers as
// a PGlite on the caller's thread does — results and their types, errors with their SQLSTATE
// and query, transactions, LISTEN, COPY through a blob, a dump loaded back — and, what it is
// for, a long query no longer holds the event loop. PGlite only: PostgreSQL has no such thread.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, pgliteStartParams } from '../../src/store/database.ts';
import { startPgliteThread } from '../../src/store/pglite-thread.ts';
import { pgliteTemplate, usingPostgres } from '../support/db.ts';

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const c of opened) await c.close().catch(() => undefined);
});

/** One of each, from the tests' migrated template (each test uses tables of its own). */
let there: PGlite;
let here: PGlite;
beforeAll(async () => {
  if (usingPostgres()) return;
  const startParams = await pgliteStartParams();
  there = await startPgliteThread({ loadDataDir: pgliteTemplate(), startParams });
  here = new PGlite({ loadDataDir: pgliteTemplate(), startParams });
  opened.push(there, here);
  await here.waitReady;
});

/** The longest gap between ticks of a 1 ms timer while `work` runs, and the work's own time. */
async function loopHeldDuring(work: () => Promise<unknown>) {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  await work();
  const took = performance.now() - started;
  // The tick after a block is the one that measures it.
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(timer);
  return { longest, took };
}

const HEAVY = `SELECT count(*)::int AS n FROM generate_series(1, 2000000) g WHERE g % 7 = 3`;

describe.skipIf(usingPostgres())('PGlite on its own thread', () => {
  it('answers as PGlite on this thread does: values and their types', async () => {
    const query = `SELECT 1::int AS i, 2::bigint AS b, 1.5::numeric AS n, true AS t, 'ü→'::text AS s,
      '2026-03-05 10:00:00+05'::timestamptz AS at, '2026-03-05'::date AS d, '{"a":[1,null]}'::jsonb AS j,
      ARRAY[1,2,NULL]::int[] AS a, NULL::text AS nothing, $1::text AS p, $2::int AS q`;
    for (const options of [undefined, { rowMode: 'array' as const }]) {
      const expected = await here.query(query, ['x', 7], options);
      const got = await there.query(query, ['x', 7], options);
      expect(got.rows).toEqual(expected.rows);
      expect(got.fields).toEqual(expected.fields);
    }
    expect((await there.exec('SELECT 1 AS one; SELECT 2 AS two')).map((r) => r.rows)).toEqual([
      [{ one: 1 }],
      [{ two: 2 }],
    ]);
  });

  it('raises errors with their SQLSTATE and query, and goes on answering', async () => {
    const client = there;
    // A failed parse with parameters (its Sync sent after), a failed exec, a failed execute.
    await expect(client.query('SELEC $1::int', [1])).rejects.toMatchObject({
      code: '42601',
      query: 'SELEC $1::int',
    });
    await expect(client.exec('SELECT * FROM nowhere')).rejects.toMatchObject({ code: '42P01' });
    await expect(client.query('SELECT 1 / $1::int AS x', [0])).rejects.toMatchObject({ code: '22012' });
    expect((await client.query('SELECT $1::int + 1 AS x', [1])).rows).toEqual([{ x: 2 }]);
  });

  it('a COMMIT that rolled back is an error (25P02); tx.rollback() is not', async () => {
    const client = there;
    await client.exec('CREATE TABLE thread_u (id int PRIMARY KEY); INSERT INTO thread_u VALUES (1)');
    const failed = client.transaction(async (tx) => {
      await tx.query('INSERT INTO thread_u VALUES (2)');
      await tx.query('INSERT INTO thread_u VALUES (1)').catch(() => undefined);
    });
    await expect(failed).rejects.toMatchObject({ code: '25P02' });
    await client.transaction(async (tx) => {
      await tx.query('INSERT INTO thread_u VALUES (3)');
      await tx.rollback();
      expect(tx.closed).toBe(true);
    });
    expect((await client.query('SELECT id FROM thread_u ORDER BY id')).rows).toEqual([{ id: 1 }]);
  });

  it('delivers notifications to LISTEN, and stops after UNLISTEN', async () => {
    const client = there;
    const got: string[] = [];
    const unlisten = await client.listen('Changes', (payload) => got.push(payload));
    await client.query(`SELECT pg_notify('changes', 'one')`);
    await client.transaction(async (tx) => {
      await tx.query(`SELECT pg_notify('changes', 'two')`);
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['one', 'two']);
    await unlisten();
    await client.query(`SELECT pg_notify('changes', 'three')`);
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['one', 'two']);
  });

  it('copies to and from a blob', async () => {
    const client = there;
    await client.exec('CREATE TABLE thread_c (a int, b text)');
    const blob = new Blob(['1,один\n2,екі\n']);
    await client.query(`COPY thread_c FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob });
    const out = await client.query(
      `COPY (SELECT * FROM thread_c ORDER BY a) TO '/dev/blob' WITH (FORMAT csv)`,
    );
    expect(await out.blob?.text()).toBe('1,один\n2,екі\n');
  });

  it('dumps its data folder, and a new one starts from the dump', async () => {
    const client = there;
    await client.exec(`CREATE TABLE thread_kept (v text); INSERT INTO thread_kept VALUES ('yes')`);
    const dump = await client.dumpDataDir('gzip');
    expect(dump.size).toBeGreaterThan(1000);
    const again = await startPgliteThread({ loadDataDir: dump, startParams: await pgliteStartParams() });
    opened.push(again);
    expect((await again.query('SELECT v FROM thread_kept')).rows).toEqual([{ v: 'yes' }]);
  });

  it('in a data folder, through drizzle: SQLSTATE in err.cause.code, transactions whole, kept across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-thread-'));
    try {
      const first = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'data') });
      await first.rows(sql`CREATE TABLE kept (id int PRIMARY KEY)`);
      const err = await first.rows(sql`INSERT INTO kept VALUES (1), (1)`).catch((e: unknown) => e);
      expect((err as { cause?: { code?: string } }).cause?.code).toBe('23505');
      await first.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO kept VALUES (1)`);
        await tx.execute(sql`INSERT INTO kept VALUES (2)`);
      });
      await expect(
        first.db.transaction(async (tx) => {
          await tx.execute(sql`INSERT INTO kept VALUES (3)`);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await first.close();
      // Closed: a query is refused with PGlite's own words (drizzle names the query around them).
      const refused = await first.rows(sql`SELECT 1`).catch((e: unknown) => e);
      expect(String((refused as Error).cause ?? refused)).toMatch(/closed/);
      const second = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'data') });
      expect(await second.rows(sql`SELECT id FROM kept ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a long query does not hold the event loop (on this thread it does)', async () => {
    const onThread = await loopHeldDuring(() => there.query(HEAVY));
    const onCaller = await loopHeldDuring(() => here.query(HEAVY));
    // The query takes a while either way; only on the caller's thread is the loop held through it.
    expect(onCaller.took).toBeGreaterThan(50);
    expect(onCaller.longest).toBeGreaterThan(onCaller.took * 0.8);
    expect(onThread.longest).toBeLessThan(Math.max(25, onThread.took / 4));
  });
});
