// The public digest across days (issue 14: "at least consecutive digest days"). The
// digest once printed "Over 60 — Departed: 13 (+3)": each day was projected on its own.
// Now it prints the as-of day ends recorded in the disclosure ledger, D audited jointly
// with D−1, so the independent reader (test/support/reader.ts: exhaustive search, no
// linear programming) holding both digests — and the live page built afterwards — finds
// every protected cell's interval covering its protection interval. PGlite and, with
// TEST_DATABASE_URL, PostgreSQL (two connection pools: two processes agree).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { readStateAsOf } from '../../src/domain/as-of.ts';
import { endOfDay } from '../../src/domain/calendar.ts';
import type { Change, DigestContent } from '../../src/domain/digest/content-model.ts';
import { publicDaysInMemory, recordedPublicDays } from '../../src/domain/digest/public-days.ts';
import { claimDigestRun, computeDigest, runContent } from '../../src/domain/digest/run.ts';
import type { Release } from '../../src/domain/disclosure.ts';
import { DisclosureLedger } from '../../src/domain/disclosure-ledger.ts';
import { type PublicProjection, toPublicProjection } from '../../src/domain/privacy.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import { loadSnapshot } from '../../src/domain/snapshot.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { listOperations } from '../../src/store/repositories/catalog.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';
import { Reader, readChanges, readState } from '../support/reader.ts';

const K = 5;
const D0 = '2026-03-03';
const D1 = '2026-03-04';
/** 2026-03-05 13:00 local (Asia/Almaty): both days have ended. */
const NOW = new Date('2026-03-05T08:00:00Z');
const tz = 'Asia/Almaty';

/** The issue's case: over-60 departed 10 at the end of D0, 13 at the end of D1 (+3). */
async function issueCase(database: Database) {
  const op = await makeOperation(database.db, { smallCountThreshold: K, publicationDelayMinutes: 0 });
  const { route } = await makeRoute(database.db, op.id);
  const m = await makeMovement(
    database.db,
    route.id,
    { status: 'departed', departedAt: new Date('2026-03-03T04:00:00Z') },
    counts({}),
  );
  let version = m.version;
  const save = async (departed: number, over60: number, asOf: Date) => {
    const r = await updateMovementCounts(
      { db: database.db },
      {
        movementId: m.id,
        expectedVersion: version,
        counts: counts({
          registered: { total: 60, over60: 20 },
          departed: { total: departed, over60 },
        }),
        reason: 'digest disclosure test',
        sourceId: null,
        actor: { id: null, label: 'test' },
        asOf,
      },
    );
    version = r.version;
  };
  await save(40, 10, new Date('2026-03-03T06:00:00Z'));
  await save(43, 13, new Date('2026-03-04T06:00:00Z'));
  return op;
}

/** A second connection to the same database: its own pool on PostgreSQL (PGlite has one). */
async function secondConnection(database: Database): Promise<Database> {
  if (!usingPostgres()) return database;
  return openDatabase({ kind: 'postgres', url: testDatabaseUrl(database), poolSize: 5 });
}

/** What the reader cannot rule out, holding these states together (each with its truths). */
function uncovered(states: { snap: Snapshot; projection: PublicProjection }[]): string[] {
  const reader = new Reader(K);
  let prev: { tag: string; truths: Map<string, number> } | undefined;
  states.forEach((s, i) => {
    const tag = `s${i}`;
    const truths = readState(reader, tag, s.snap, s.projection.operations[0]!, prev);
    if (prev) readChanges(reader, prev, { tag, truths });
    prev = { tag, truths };
  });
  return reader.uncovered().map((u) => `${u.name} cannot be ${u.value}`);
}

/** Every change the digest prints as a number: 0, or at least k either way. */
function smallChanges(content: DigestContent): number[] {
  const all: Change[] = [
    ...content.routes.flatMap((r) => Object.values(r.change ?? {})),
    ...content.groups.flatMap((g) => Object.values(g.change ?? {})),
  ];
  return all
    .filter((c): c is Extract<Change, { kind: 'delta' }> => c.kind === 'delta')
    .map((c) => c.value)
    .filter((v) => v !== 0 && Math.abs(v) < K);
}

const stateAt = async (database: Database, opId: number, day: string) =>
  readStateAsOf(database.db, opId, endOfDay(day, tz));

describe('public digest: consecutive days audited together', () => {
  it('each day alone would give the over-60 change away (+3): the regression the ledger closes', async () => {
    const database = await createTestDatabase();
    const op = await issueCase(database);
    const [s0, s1] = [await stateAt(database, op.id, D0), await stateAt(database, op.id, D1)];
    const alone = [
      { snap: s0, projection: toPublicProjection(s0, endOfDay(D0, tz)) },
      { snap: s1, projection: toPublicProjection(s1, endOfDay(D1, tz)) },
    ];
    expect(uncovered(alone)).toContain('d:g.over60.D cannot be 1');
    // The two days projected together (no ledger) do not.
    const both = publicDaysInMemory(s1, s0, D1);
    expect(
      uncovered([
        { snap: s0, projection: both.before!.projection },
        { snap: s1, projection: both.day.projection },
      ]),
    ).toEqual([]);
  });

  it('prints the recorded day ends: no small change, the reader covers both digests and the live page after them', async () => {
    const database = await createTestDatabase();
    const op = await issueCase(database);
    const deps = { database };
    for (const day of [D0, D1])
      await claimDigestRun(deps, { operation: op, day, now: NOW, claimedBy: 'test' });
    const rows = await database.rows<{ point: string }>(
      sql`SELECT point FROM disclosure_releases WHERE operation_id = ${op.id} ORDER BY point`,
    );
    expect(rows.map((r) => r.point)).toEqual([D0, D1]);

    const run = await claimDigestRun(deps, { operation: op, day: D1, now: NOW, claimedBy: 'test' });
    const content = runContent(run.run)!.public;
    expect(smallChanges(content)).toEqual([]);
    // The digest's figures are the recorded day end's, shown again as it was.
    const days = (await recordedPublicDays(database, op.id, D1, NOW))!;
    const pubOp = days.day.projection.operations[0]!;
    expect(content.groups.map((g) => g.figures)).toEqual(pubOp.groups.map((g) => g.figures));
    expect(content.totals.departed).toEqual(pubOp.totals.departed);

    const [s0, s1] = [await stateAt(database, op.id, D0), await stateAt(database, op.id, D1)];
    const digests = [
      { snap: s0, projection: days.before!.projection },
      { snap: s1, projection: days.day.projection },
    ];
    expect(uncovered(digests)).toEqual([]);

    // The live page built now is audited with the latest day end: the digest's.
    const live = await liveBuild(database, op.id);
    expect(live.projection.disclosure.ok).toBe(true);
    expect(uncovered([digests[1]!, live])).toEqual([]);
  });

  it('sent on its day, prints the day so far (delay counted to now); the day end after it is audited with it', async () => {
    const database = await createTestDatabase();
    const op = await issueCase(database);
    await database.db.execute(sql`UPDATE operations SET publication_delay_minutes = 60 WHERE id = ${op.id}`);
    const { route } = await makeRoute(database.db, op.id);
    // Departed at 19:30 local on D1: public at 20:30, after the digest of 20:00.
    const late = await makeMovement(
      database.db,
      route.id,
      { status: 'departed', scheduledDate: D1, departedAt: new Date('2026-03-04T14:30:00Z') },
      counts({ registered: { total: 30 }, departed: { total: 30 } }),
    );
    const operation = (await listOperations(database.db)).find((o) => o.id === op.id)!;
    const at20 = new Date('2026-03-04T15:00:00Z');
    const sent = await computeDigest({ database }, { operation, day: D1, now: at20 });
    expect(sent.public.departed.map((l) => l.id)).not.toContain(late.id);
    const partial = (await recordedPublicDays(database, op.id, D1, at20))!;
    const seqOf = async () =>
      Number(
        (
          await database.rows<{ seq: number }>(
            sql`SELECT seq FROM disclosure_releases WHERE operation_id = ${op.id} AND point = ${D1}`,
          )
        )[0]!.seq,
      );
    const before = await seqOf();
    // After the day ended: its real end, recorded in place of the digest's, audited with it.
    const end = (await recordedPublicDays(database, op.id, D1, NOW))!;
    expect(await seqOf()).toBe(before + 1);
    const published = end.day.projection.operations[0]!.routes.flatMap((r) => r.movements);
    expect(published.some((m) => m.id === late.id && m.published)).toBe(true);
    const snap = await stateAt(database, op.id, D1);
    const soFar = await readStateAsOf(database.db, op.id, at20);
    expect(
      uncovered([
        { snap: soFar, projection: partial.day.projection },
        { snap, projection: end.day.projection },
      ]),
    ).toEqual([]);
  });

  it('two processes print the same digest day and record it once', async () => {
    const database = await createTestDatabase();
    const other = await secondConnection(database);
    const op = await issueCase(database);
    const a = await computeDigest({ database }, { operation: op, day: D1, now: NOW });
    const seqs = async () =>
      (
        await database.rows<{ point: string; seq: number }>(
          sql`SELECT point, seq FROM disclosure_releases WHERE operation_id = ${op.id} ORDER BY point`,
        )
      ).map((r) => [r.point, Number(r.seq)]);
    const recorded = await seqs();
    const b = await computeDigest({ database: other }, { operation: op, day: D1, now: NOW });
    expect({ ...b.public, generatedAt: '' }).toEqual({ ...a.public, generatedAt: '' });
    expect(await seqs()).toEqual(recorded);
    if (other !== database) await other.close();
  });
});

describe('public digest: a backdated correction is audited forward', () => {
  it('re-audits the recorded day after the corrected one jointly with it; every pair a reader can hold is covered', async () => {
    const database = await createTestDatabase();
    const op = await issueCase(database);
    // Both days recorded (the digests of D0 and D1 were sent).
    await recordedPublicDays(database, op.id, D1, NOW);
    const old0 = (await recordedPublicDays(database, op.id, D0, NOW))!.day;
    const points = async () =>
      (
        await database.rows<{ point: string; seq: number }>(
          sql`SELECT point, seq FROM disclosure_releases WHERE operation_id = ${op.id} ORDER BY point`,
        )
      ).map((r) => [r.point, Number(r.seq)] as const);
    const before = new Map(await points());
    // Entered on 5 March as of 3 March: D0 ended with 12 over-60 departures, not 10. D1's
    // own figures (43, 13, saved as of 4 March) stand: D1's input is what was recorded.
    const [m] = await database.rows<{ id: number; version: number }>(
      sql`SELECT m.id, m.version FROM movements m JOIN routes r ON r.id = m.route_id WHERE r.operation_id = ${op.id}`,
    );
    await updateMovementCounts(
      { db: database.db },
      {
        movementId: Number(m!.id),
        expectedVersion: Number(m!.version),
        counts: counts({ registered: { total: 60, over60: 20 }, departed: { total: 40, over60: 12 } }),
        reason: 'a correction of 3 March',
        sourceId: null,
        actor: { id: null, label: 'test' },
        asOf: new Date('2026-03-03T07:00:00Z'),
      },
    );
    const days = (await recordedPublicDays(database, op.id, D1, NOW))!;
    expect(days.day.day).toBe(D1);
    expect(days.before!.day).toBe(D0);
    const after = new Map(await points());
    // D0 recorded again (its figures changed); D1 recorded again only if its display had to change.
    expect(after.get(D0)).toBeGreaterThan(before.get(D0)!);
    const [s0, s1] = [await stateAt(database, op.id, D0), await stateAt(database, op.id, D1)];
    const old = await readStateAsOf(database.db, op.id, new Date('2026-03-03T06:30:00Z'));
    const d1 = { snap: s1, projection: days.day.projection };
    const new0 = { snap: s0, projection: days.before!.projection };
    // The corrected D0 with D1 (the pair the re-walk audits), and the old D0 with the new one.
    expect(uncovered([new0, d1])).toEqual([]);
    expect(uncovered([{ snap: old, projection: old0.projection }, new0])).toEqual([]);
    // Asked again, nothing moves: the chain is recorded as it now stands.
    await recordedPublicDays(database, op.id, D1, NOW);
    expect(new Map(await points())).toEqual(after);
  });
});

/** The live page's state as src/public/build.ts audits it: with the recorded live version and latest day end. */
async function liveBuild(database: Database, opId: number) {
  const ledger = new DisclosureLedger(database);
  const held = (await ledger.held([opId])).get(opId)!;
  const operation = (await listOperations(database.db)).find((o) => o.id === opId)!;
  const snap = await loadSnapshot({ db: database.db, now: NOW }, operation);
  const previous = [held.live?.release, held.lastDay?.release].filter((r): r is Release => !!r);
  const projection = toPublicProjection(snap, NOW, {
    previous: new Map([[opId, previous]]),
    memory: ledger.memory,
  });
  return { snap, projection };
}
