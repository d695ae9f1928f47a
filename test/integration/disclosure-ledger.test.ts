// The disclosure ledger (docs/privacy.md, "Across processes"): what every app instance
// published lives in the database, so two instances on one database publish one chain of
// states, each audited with the states a reader can hold with it — the live page's
// version before it and the as-of day ends. Runs on PGlite and, with TEST_DATABASE_URL,
// on PostgreSQL with two connection pools (two instances as nginx would balance them).
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { createAsOfService } from '../../src/public/as-of.ts';
import { DisclosureLedger, LIVE } from '../../src/public/disclosure-ledger.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { recordPublication } from '../../src/store/repositories/disclosure.ts';
import { startTestServer } from '../support/app.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

const LATER = new Date('2026-09-15T08:00:00Z');
const clock = fixedClock(LATER);

type Figure = { status: string; value: number | null };
type Json = {
  operations: { totals: Record<string, Figure>; routes: { totals: Record<string, Figure> }[] }[];
};

/** A second connection to the same database: its own pool on PostgreSQL (PGlite has one). */
async function secondConnection(database: Database): Promise<Database> {
  if (!usingPostgres()) return database;
  const other = await openDatabase({ kind: 'postgres', url: testDatabaseUrl(database), poolSize: 5 });
  return other;
}

/** One operation, one route, one departed movement of 60 registered, `departed` departed. */
async function operationWith(database: Database, departed: number, asOf: Date) {
  const op = await makeOperation(database.db, { smallCountThreshold: 5, publicationDelayMinutes: 0 });
  const { route } = await makeRoute(database.db, op.id);
  const m = await makeMovement(
    database.db,
    route.id,
    { status: 'departed', departedAt: new Date('2026-03-03T06:00:00Z') },
    counts({}),
  );
  let version = m.version;
  const save = async (value: number, at: Date) => {
    const r = await updateMovementCounts(
      { db: database.db },
      {
        movementId: m.id,
        expectedVersion: version,
        counts: counts({ registered: { total: 60 }, departed: { total: value } }),
        reason: 'ledger test',
        sourceId: null,
        actor: { id: null, label: 'test' },
        asOf: at,
      },
    );
    version = r.version;
  };
  await save(departed, asOf);
  return { op, save };
}

const liveOf = async (url: string) =>
  ((await (await fetch(`${url}/api/v1/status`)).json()) as Json).operations[0]!;
const dayOf = async (url: string, day: string) => {
  const res = await fetch(`${url}/api/v1/status?asOf=${day}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Json).operations[0]!;
};
const bothExact = (a: Figure, b: Figure) => a.status === 'value' && b.status === 'value';

describe('disclosure ledger: two app instances on one database', () => {
  it('publish one chain: the second instance shows the state the first recorded, as it was', async () => {
    const database = await createTestDatabase();
    const other = await secondConnection(database);
    const { save } = await operationWith(database, 40, new Date('2026-03-03T06:00:00Z'));
    const a = await startTestServer(database, { clock });
    const b = await startTestServer(other, { clock });
    const first = await liveOf(a.url);
    expect(first.totals.departed).toEqual({ status: 'value', value: 40 });
    await save(43, new Date(LATER.getTime() - 3_600_000));
    // A follows its own version (once the change signal reached it); B never saw 40, yet
    // is audited with what A printed.
    let fromA = await liveOf(a.url);
    for (let i = 0; i < 100 && JSON.stringify(fromA) === JSON.stringify(first); i++) {
      await new Promise((r) => setTimeout(r, 100));
      fromA = await liveOf(a.url);
    }
    const fromB = await liveOf(b.url);
    expect(fromB).toEqual(fromA);
    expect(bothExact(first.totals.departed!, fromA.totals.departed!)).toBe(false);
    const rows = await database.rows<{ point: string; seq: number }>(
      sql`SELECT point, seq FROM disclosure_releases ORDER BY point`,
    );
    expect(rows.map((r) => [r.point, Number(r.seq)])).toEqual([[LIVE, 2]]);
    if (other !== database) await other.close();
  });

  it('audit the live page with an as-of day end: a reader holding both cannot subtract (day first)', async () => {
    const database = await createTestDatabase();
    const { save } = await operationWith(database, 40, new Date('2026-03-03T06:00:00Z'));
    await save(43, new Date(LATER.getTime() - 3_600_000));
    const s = await startTestServer(database, { clock });
    const day = await dayOf(s.url, '2026-09-14');
    const live = await liveOf(s.url);
    expect([day.totals.departed!.value, live.totals.departed!.value]).toContain(40);
    expect(bothExact(day.totals.departed!, live.totals.departed!)).toBe(false);
    expect(bothExact(day.routes[0]!.totals.departed!, live.routes[0]!.totals.departed!)).toBe(false);
  });

  it('audit an as-of day end with the live page another instance published (live first)', async () => {
    const database = await createTestDatabase();
    const other = await secondConnection(database);
    const { save } = await operationWith(database, 40, new Date('2026-03-03T06:00:00Z'));
    await save(43, new Date(LATER.getTime() - 3_600_000));
    const a = await startTestServer(database, { clock });
    const b = await startTestServer(other, { clock });
    const live = await liveOf(a.url);
    const day = await dayOf(b.url, '2026-09-14');
    expect(live.totals.departed).toEqual({ status: 'value', value: 43 });
    expect(bothExact(day.totals.departed!, live.totals.departed!)).toBe(false);
    // The day's end is recorded: A serves B's bytes for it.
    expect(await dayOf(a.url, '2026-09-14')).toEqual(day);
    if (other !== database) await other.close();
  });
});

describe('disclosure ledger: recording', () => {
  it('records one of two states audited at the same version, and the other is told to audit again', async () => {
    const database = await createTestDatabase();
    const other = await secondConnection(database);
    const op = await makeOperation(database.db, {});
    const publication = (value: number) => ({
      operationId: op.id,
      version: 0,
      releases: [{ point: LIVE, text: JSON.stringify({ value }) }],
      printed: [{ cell: 'op.D', value }],
    });
    const outcomes = await Promise.all([
      recordPublication(database, publication(40)),
      recordPublication(other, publication(43)),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['recorded', 'stale']);
    const printed = await database.rows<{ value: number }>(sql`SELECT value FROM disclosure_printed`);
    expect(printed).toHaveLength(1);
    // A third instance, started later, reads what was printed and the version it is at.
    const ledger = new DisclosureLedger(other);
    const held = (await ledger.held([op.id])).get(op.id)!;
    expect(held.version).toBe(1);
    expect(ledger.memory.get(op.id)?.get('op.D')).toEqual([Number(printed[0]!.value)]);
    expect((await recordPublication(database, publication(50))).outcome).toBe('stale');
    if (other !== database) await other.close();
  });
});

describe('disclosure ledger: day ends settled as they end', () => {
  it('records yesterday’s end, and the live page built after is audited with it', async () => {
    const database = await createTestDatabase();
    const { save } = await operationWith(database, 40, new Date('2026-03-03T06:00:00Z'));
    await save(43, new Date(LATER.getTime() - 3_600_000));
    const service = createAsOfService({ database, clock, logger: pino({ level: 'silent' }) });
    await service.settle();
    // A day is recorded where its figures changed: the end of 14 September is that of 3 March.
    const points = await database.rows<{ point: string }>(sql`SELECT point FROM disclosure_releases`);
    expect(points.map((r) => r.point)).toEqual(['2026-03-03']);
    await service.settle(); // nothing new: nothing written
    const s = await startTestServer(database, { clock });
    const live = await liveOf(s.url);
    const day = await dayOf(s.url, '2026-09-14');
    expect(bothExact(day.totals.departed!, live.totals.departed!)).toBe(false);
    const after = await database.rows<{ point: string; seq: number }>(
      sql`SELECT point, seq FROM disclosure_releases ORDER BY point`,
    );
    expect(after.map((r) => [r.point, Number(r.seq)])).toEqual([
      ['2026-03-03', 1],
      [LIVE, 1],
    ]);
    await service.close();
  });
});
