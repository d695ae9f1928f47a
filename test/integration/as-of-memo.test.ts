// The as-of service and a refused day end (docs/privacy.md, "A refused day end", "The
// outcome memo"): after any change the service reads every history again and rebuilds its
// day chains, but a day whose joint audit was refused is recorded showing the last day that
// passed, so with its figures unchanged it is not audited again — whatever the live page
// did meanwhile — and a fresh audit of it (the record removed) gives the same bytes.
// PGlite, and PostgreSQL with TEST_DATABASE_URL.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { DisclosureMemo, discloseOperation } from '../../src/domain/disclosure.ts';
import { figureInput, isPublished } from '../../src/domain/privacy.ts';
import { loadOperationHistories } from '../../src/domain/public-as-of.ts';
import { createNotice } from '../../src/domain/staff/notices.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { createAsOfService } from '../../src/public/as-of.ts';
import { DisclosureLedger, LIVE } from '../../src/public/disclosure-ledger.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

const logger = pino({ level: 'silent' });
const D1 = '2026-03-02';
const D2 = '2026-03-03';

async function departed(database: Database, routeId: number, day: string, R: number, D: number) {
  const at = new Date(`${day}T06:00:00Z`);
  const m = await makeMovement(database.db, routeId, { status: 'departed', departedAt: at }, counts({}));
  await updateMovementCounts(
    { db: database.db },
    {
      movementId: m.id,
      expectedVersion: m.version,
      counts: counts({ registered: { total: R }, departed: { total: D } }),
      reason: 'memo test',
      sourceId: null,
      actor: { id: null, label: 'test' },
      asOf: at,
    },
  );
  return m.id;
}

/**
 * An operation whose second day is refused: D1 (one movement, 40 of 60 departed) is
 * recorded, then a value is found printed for that movement's departed figure that no
 * state after it can be consistent with (42: printed by a state the chain did not audit
 * with, as in docs/privacy.md "Not audited jointly"). D2 (another movement departs) keeps
 * 40 printed — D1 printed it, a reader knows it — so D2's audit fails and D1 is shown.
 */
async function refusedSecondDay(database: Database, clock: ReturnType<typeof fixedClock>) {
  const op = await makeOperation(database.db, { smallCountThreshold: 5, publicationDelayMinutes: 0 });
  const { route } = await makeRoute(database.db, op.id);
  const first = await departed(database, route.id, D1, 60, 40);
  await departed(database, route.id, D2, 30, 30);
  const recorder = createAsOfService({ database, clock, logger, memo: new DisclosureMemo() });
  const d1 = await recorder.get(D1);
  await recorder.close();
  await database.rows(
    sql`INSERT INTO disclosure_printed (operation_id, cell, value) VALUES (${op.id}, ${`m${first}.D`}, 42) RETURNING id`,
  );
  return { op, route, d1: d1.identity.toString('utf8') };
}

async function notice(
  database: Database,
  operationId: number,
  clock: ReturnType<typeof fixedClock>,
  text: string,
) {
  await createNotice(
    { db: database.db, now: clock.now() },
    {
      operationId,
      fields: { bodies: { en: text }, pinned: false, sourceId: null, expiresAt: null },
      actor: { id: null, label: 'test' },
    },
  );
}

/** A new live version in the ledger (as the live page's build records it; audited alone here). */
async function recordLive(database: Database, operationId: number, now: Date) {
  const [h] = await loadOperationHistories(database.db, operationId);
  const op = h!.live.operation;
  const input = figureInput(h!.live, (m) => isPublished(m, op.publicationDelayMinutes, now));
  const d = discloseOperation(operationId, input);
  expect(d.ok).toBe(true);
  const ledger = new DisclosureLedger(database);
  const held = (await ledger.held([operationId])).get(operationId)!;
  expect(await ledger.record(held, [{ point: LIVE, release: d.release }])).toBe(true);
}

const shownDay = (body: string) =>
  (JSON.parse(body) as { operations: { asOfDay: string }[] }).operations[0]!.asOfDay;

describe('as-of answers: a refused day is not audited again after an unrelated save', () => {
  it('the refused day is recorded showing the day before; reloads after saves run no audit, same bytes', async () => {
    const database = await createTestDatabase();
    const clock = fixedClock('2026-03-05T12:00:00Z');
    const { op, d1, route } = await refusedSecondDay(database, clock);

    const printed = async () =>
      (await database.rows<{ n: string }>(sql`SELECT count(*) AS n FROM disclosure_printed`))[0]!.n;
    const printedBefore = await printed();
    // Outcomes not kept: every audit asked is a miss, so `misses` counts the audits run.
    const audits = new DisclosureMemo({ entries: 0, bytes: 0 });
    const service = createAsOfService({ database, clock, logger, memo: audits });
    const first = (await service.get(D2)).identity.toString('utf8');
    expect(shownDay(first)).toBe(D1);
    expect(first).toBe(d1);
    expect(audits.stats()).toMatchObject({ hits: 0, misses: 1 });
    // Recorded: the point D2, showing D1's state, with a digest of D2's own figures.
    const [row] = await database.rows<{ release: string }>(
      sql`SELECT release FROM disclosure_releases WHERE operation_id = ${op.id} AND point = ${D2}`,
    );
    const [d1Row] = await database.rows<{ release: string }>(
      sql`SELECT release FROM disclosure_releases WHERE operation_id = ${op.id} AND point = ${D1}`,
    );
    const { refused, ...shown } = JSON.parse(row!.release) as { refused: { day: string; figures: string } };
    expect(refused.day).toBe(D2);
    expect(refused.figures).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(shown)).toBe(d1Row!.release);
    // It printed nothing new: D1's values are all it shows.
    expect(await printed()).toBe(printedBefore);

    // Unrelated saves, each followed by a reload (the clock past the cache's safety net
    // makes sure of it, signal or not): a notice, a movement departing today, and a new
    // live version recorded (the pair of an unrecorded refused day with it was new).
    for (let save = 1; save <= 3; save++) {
      if (save === 1) await notice(database, op.id, clock, 'Notice 1');
      if (save === 2) await departed(database, route.id, '2026-03-05', 50, 50);
      if (save >= 2) await recordLive(database, op.id, clock.now());
      clock.advance(11 * 60_000);
      const again = (await service.get(D2)).identity.toString('utf8');
      expect(again).toBe(first);
      expect(audits.stats()).toMatchObject({ hits: 0, misses: 1 });
    }

    // Another process (its own empty memo) reads the record: no audit, the same bytes.
    const freshMemo = new DisclosureMemo();
    const fresh = createAsOfService({ database, clock, logger, memo: freshMemo });
    expect((await fresh.get(D2)).identity.toString('utf8')).toBe(first);
    expect(freshMemo.stats()).toMatchObject({ hits: 0, misses: 0 });

    // The record removed, a fresh audit runs (with today's live version) and agrees.
    await database.rows(
      sql`DELETE FROM disclosure_releases WHERE operation_id = ${op.id} AND point = ${D2} RETURNING point`,
    );
    const recheck = new DisclosureMemo();
    const audited = createAsOfService({ database, clock, logger, memo: recheck });
    expect((await audited.get(D2)).identity.toString('utf8')).toBe(first);
    expect(recheck.stats()).toMatchObject({ hits: 0, misses: 1 });
    for (const s of [service, fresh, audited]) await s.close();
  });

  it('a backdated correction of the refused day audits it again', async () => {
    const database = await createTestDatabase();
    const clock = fixedClock('2026-03-05T12:00:00Z');
    const { route } = await refusedSecondDay(database, clock);
    const audits = new DisclosureMemo({ entries: 0, bytes: 0 });
    const service = createAsOfService({ database, clock, logger, memo: audits });
    const first = (await service.get(D2)).identity.toString('utf8');
    expect(audits.stats()).toMatchObject({ misses: 1 });
    // Another movement, departed on D2, recorded now as of D2: D2's figures change.
    await departed(database, route.id, D2, 20, 20);
    clock.advance(11 * 60_000);
    const again = (await service.get(D2)).identity.toString('utf8');
    expect(audits.stats()).toMatchObject({ misses: 2 });
    // Still refused (D1's departed figure keeps 40 printed): still D1's state, the same bytes.
    expect(shownDay(again)).toBe(D1);
    expect(again).toBe(first);
    await service.close();
  });

  it('two processes refusing the same day: one records it, the other reads the record', async () => {
    const database = await createTestDatabase();
    const other = usingPostgres()
      ? await openDatabase({ kind: 'postgres', url: testDatabaseUrl(database), poolSize: 5 })
      : database;
    const clock = fixedClock('2026-03-05T12:00:00Z');
    const { op } = await refusedSecondDay(database, clock);
    const memos = [
      new DisclosureMemo({ entries: 0, bytes: 0 }),
      new DisclosureMemo({ entries: 0, bytes: 0 }),
    ];
    const a = createAsOfService({ database, clock, logger, memo: memos[0] });
    const b = createAsOfService({ database: other, clock, logger, memo: memos[1] });
    // Both audit D2 at the same ledger version; the advisory lock lets one record it, the
    // other finds the version moved, reads again and shows the record without an audit.
    const [x, y] = await Promise.all([a.get(D2), b.get(D2)]);
    expect(x.identity.toString('utf8')).toBe(y.identity.toString('utf8'));
    const rows = await database.rows<{ seq: number }>(
      sql`SELECT seq FROM disclosure_releases WHERE operation_id = ${op.id} AND point = ${D2}`,
    );
    expect(rows.map((r) => Number(r.seq))).toEqual([1]);
    const audits = () => memos.map((m) => m.stats().misses);
    // Each audited it at most once (one may have read the other's record first).
    const once = audits();
    expect(Math.max(...once)).toBe(1);
    clock.advance(11 * 60_000);
    await Promise.all([a.get(D2), b.get(D2)]);
    expect(audits()).toEqual(once);
    for (const s of [a, b]) await s.close();
    if (other !== database) await other.close();
  });

  it('a burst of the same request shares one answer', async () => {
    const database = await createTestDatabase();
    const clock = fixedClock('2026-03-05T12:00:00Z');
    await refusedSecondDay(database, clock);
    const memo = new DisclosureMemo();
    const service = createAsOfService({ database, clock, logger, memo });
    const answers = await Promise.all(Array.from({ length: 8 }, () => service.get(D2)));
    expect(new Set(answers).size).toBe(1);
    expect(memo.stats()).toMatchObject({ misses: 1 });
    await service.close();
  });
});
