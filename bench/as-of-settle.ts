// node --expose-gc --import tsx bench/as-of-settle.ts — the as-of service's CPU and memory
// on the server's thread (docs/privacy.md "A refused day end"; issue 20), one operation of
// BENCH_MOVEMENTS (1,000) movements (bench/as-of-fill.ts), on a fresh PGlite (or
// TEST_DATABASE_URL's empty database). Prints JSON:
// - refused: day 5 made to be refused (values printed for the movements of day 4, 2 from their
//   departed figures, as in test/integration/as-of-memo.test.ts), then saves that change the live page
//   (a figure saved as of now, a new live version recorded, the change signal): the CPU of
//   the next `?asOf=` answer of day 5 after each;
// - settle: the heap (after gc) and RSS once a settle is done, and the wall time of answers
//   after it: one made before it, one not yet made (same version) after two settles with no
//   answer between them (the histories dropped), another then (held again), one after a
//   change signal. BENCH_REFUSE=0: day 5 not made to be refused (the memory part alone).
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { fixedClock } from '../src/clock.ts';
import { DisclosureMemo, discloseOperation } from '../src/domain/disclosure.ts';
import { figureInput, isPublished } from '../src/domain/privacy.ts';
import { loadOperationHistories } from '../src/domain/public-as-of.ts';
import { updateMovementCounts } from '../src/domain/update-counts.ts';
import { createAsOfService } from '../src/public/as-of.ts';
import { DisclosureLedger, LIVE } from '../src/public/disclosure-ledger.ts';
import type { Database } from '../src/store/database.ts';
import { notifyChange } from '../src/store/notify.ts';
import { counts } from '../test/support/factories.ts';
import { openFilledDatabase } from './as-of-fill.ts';

const N = Number(process.env.BENCH_MOVEMENTS ?? 1_000);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
};
const rssMb = () => Math.round(process.memoryUsage().rss / 1e5) / 10;

async function recordLive(database: Database, operationId: number, now: Date) {
  const [h] = await loadOperationHistories(database.db, operationId);
  const op = h!.live.operation;
  const input = figureInput(h!.live, (m) => isPublished(m, op.publicationDelayMinutes, now));
  const d = discloseOperation(operationId, input);
  const ledger = new DisclosureLedger(database);
  const held = (await ledger.held([operationId])).get(operationId)!;
  return d.ok && (await ledger.record(held, [{ point: LIVE, release: d.release }]));
}

async function main() {
  const { database, op, movements, fillMs } = await openFilledDatabase();
  const db = database.db;
  const clock = fixedClock('2026-03-06T12:00:00Z');
  const logger = pino({ level: 'silent' });
  const memo = new DisclosureMemo();
  const service = createAsOfService({ database, clock, logger, memo });
  const signal = async () => {
    await notifyChange(db, { operationId: op.id, kind: 'notice' });
    await new Promise((r) => setTimeout(r, 200));
  };
  const timed = async (day: string) => {
    const c0 = cpu();
    const t0 = performance.now();
    const r = await service.get(day);
    const shown = (JSON.parse(r.identity.toString('utf8')) as { operations: { asOfDay: string }[] })
      .operations[0]!.asOfDay;
    return { cpuMs: Math.round(cpu() - c0), wallMs: Math.round(performance.now() - t0), shown, r };
  };

  // Days 1–4 recorded, then values printed that day 5 cannot be consistent with.
  await service.get('2026-03-04');
  const refuse = process.env.BENCH_REFUSE !== '0';
  // Every movement of day 4: a value 2 from its departed figure, printed (by no state the
  // chain audited with), so day 5 can neither print those figures nor withhold them all.
  for (const m of movements.filter((x) => refuse && x.day === '2026-03-04' && x.D >= 20))
    await database.rows(
      sql`INSERT INTO disclosure_printed (operation_id, cell, value) VALUES (${op.id}, ${`m${m.id}.D`}, ${m.D + 2}) RETURNING id`,
    );
  await signal();
  const first = await timed('2026-03-05');
  const afterSaves: { cpuMs: number; wallMs: number; liveRecorded: boolean }[] = [];
  const other = movements.find((x) => x.day === '2026-03-05')!;
  let version = (
    await database.rows<{ version: number }>(sql`SELECT version FROM movements WHERE id = ${other.id}`)
  )[0]!.version;
  for (let save = 1; save <= 3; save++) {
    clock.advance(60_000);
    const out = await updateMovementCounts(
      { db },
      {
        movementId: other.id,
        expectedVersion: Number(version),
        counts: counts({ registered: { total: other.D + 10 + save }, departed: { total: other.D } }),
        reason: 'bench',
        sourceId: null,
        actor: { id: null, label: 'bench' },
        asOf: clock.now(),
      },
    );
    version = out.version;
    const liveRecorded = await recordLive(database, op.id, clock.now());
    await signal();
    const t = await timed('2026-03-05');
    if (t.r.identity.toString('utf8') !== first.r.identity.toString('utf8')) throw new Error('bytes differ');
    afterSaves.push({ cpuMs: t.cpuMs, wallMs: t.wallMs, liveRecorded });
  }

  // The settle, and what stays in memory after it.
  await service.settle();
  await service.settle();
  const heapAfterSettle = heapMb();
  const rssAfterSettle = rssMb();
  const holds = (service as { holdsHistories?: () => boolean }).holdsHistories?.() ?? true;
  const made = await timed('2026-03-05');
  const notMade = await timed('2026-03-03');
  // The histories held again (read by that answer): the heap with them.
  const heapHeld = heapMb();
  const notMadeWhileHeld = await timed('2026-03-02');
  await service.settle();
  await signal();
  const afterSignal = await timed('2026-03-05');
  console.log(
    JSON.stringify({
      movements: N,
      seed: Number(process.env.BENCH_SEED ?? 2),
      database: database.kind,
      fillMs,
      refused: {
        day5Shows: first.shown,
        firstAnswer: { cpuMs: first.cpuMs, wallMs: first.wallMs },
        afterSavesThatChangeTheLivePage: afterSaves,
        memo: memo.stats(),
      },
      settle: {
        heapUsedMb: heapAfterSettle,
        rssMb: rssAfterSettle,
        holdsHistories: holds,
        heapUsedMbHeld: heapHeld,
        madeAnswer: { cpuMs: made.cpuMs, wallMs: made.wallMs },
        notYetMadeAfterQuietSettles: { cpuMs: notMade.cpuMs, wallMs: notMade.wallMs },
        notYetMadeWhileReadersAsk: { cpuMs: notMadeWhileHeld.cpuMs, wallMs: notMadeWhileHeld.wallMs },
        afterSignal: { cpuMs: afterSignal.cpuMs, wallMs: afterSignal.wallMs },
      },
    }),
  );
  await service.close();
  await database.close();
}

await main();
