// The as-of service and the memo of disclosure outcomes (docs/privacy.md, "The outcome
// memo"): after any change the service reads every history again and rebuilds its day
// chains, but a day whose joint audit was refused, with inputs unchanged, is not audited
// again — and a fresh audit of it (another service, its own memo) gives the same bytes.
// PGlite, and PostgreSQL with TEST_DATABASE_URL.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { DisclosureMemo } from '../../src/domain/disclosure.ts';
import { createNotice } from '../../src/domain/staff/notices.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { createAsOfService } from '../../src/public/as-of.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase } from '../support/db.ts';
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
  return { op, d1: d1.identity.toString('utf8') };
}

const shownDay = (body: string) =>
  (JSON.parse(body) as { operations: { asOfDay: string }[] }).operations[0]!.asOfDay;

describe('as-of answers: a refused day is not audited again after an unrelated save', () => {
  it('the reload after a notice finds the refusal in the memo; a fresh audit gives the same bytes', async () => {
    const database = await createTestDatabase();
    const clock = fixedClock('2026-03-05T12:00:00Z');
    const { op, d1 } = await refusedSecondDay(database, clock);

    const memo = new DisclosureMemo();
    const service = createAsOfService({ database, clock, logger, memo });
    const first = (await service.get(D2)).identity.toString('utf8');
    expect(shownDay(first)).toBe(D1);
    expect(first).toBe(d1);
    const audited = memo.stats();
    expect(audited).toMatchObject({ hits: 0, misses: 1, entries: 1 });

    // Two unrelated saves (notices), each followed by a reload: the history is read again
    // (the clock past the cache's safety net makes sure of it, signal or not).
    for (let save = 1; save <= 2; save++) {
      await createNotice(
        { db: database.db, now: clock.now() },
        {
          operationId: op.id,
          fields: { bodies: { en: `Notice ${save}` }, pinned: false, sourceId: null, expiresAt: null },
          actor: { id: null, label: 'test' },
        },
      );
      clock.advance(11 * 60_000);
      const again = (await service.get(D2)).identity.toString('utf8');
      expect(again).toBe(first);
      expect(memo.stats()).toMatchObject({ hits: save, misses: audited.misses });
    }

    // A fresh audit of the same inputs (another service, its own empty memo) runs and agrees.
    const freshMemo = new DisclosureMemo();
    const fresh = createAsOfService({ database, clock, logger, memo: freshMemo });
    expect((await fresh.get(D2)).identity.toString('utf8')).toBe(first);
    expect(freshMemo.stats()).toMatchObject({ hits: 0, misses: 1 });

    // Without a memo that keeps anything (the code before), the same reload audits again.
    const none = new DisclosureMemo({ entries: 0, bytes: 0 });
    const before = createAsOfService({ database, clock, logger, memo: none });
    await before.get(D2);
    clock.advance(11 * 60_000);
    expect((await before.get(D2)).identity.toString('utf8')).toBe(first);
    expect(none.stats()).toMatchObject({ hits: 0, misses: 2 });
    for (const s of [service, fresh, before]) await s.close();
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
