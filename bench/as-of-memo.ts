// node --import tsx bench/as-of-memo.ts — the CPU of an `?asOf=` answer after an
// unrelated change signal (a save that changes no public figure: a notice, a note), with
// and without the memo of disclosure outcomes (src/domain/disclosure-memo.ts). One
// operation of BENCH_MOVEMENTS (1,000) movements whose departures and arrivals are spread
// over 1–5 March (the shape of bench/digest-content-data.ts, seed BENCH_SEED), each figure
// saved with its as-of time, on a fresh PGlite (or TEST_DATABASE_URL's database: it must
// be empty and migrated by this script). The as-of service answers the last day; which
// days its chain refused is printed. Then the change signal, and the same answer again:
// the chain is rebuilt from the history and every day not recorded (a refused one) is
// audited again — or found in the memo. BENCH_MEMO=0: no memo (the code before).
import { fixedClock } from '../src/clock.ts';
import { DisclosureMemo } from '../src/domain/disclosure.ts';
import { pino } from 'pino';
import { createAsOfService } from '../src/public/as-of.ts';
import { notifyChange } from '../src/store/notify.ts';
import { DAYS } from './as-of-memo-days.ts';
import { openFilledDatabase } from './as-of-fill.ts';

const N = Number(process.env.BENCH_MOVEMENTS ?? 1_000);
const MEMO = process.env.BENCH_MEMO !== '0';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main() {
  const { database, op, fillMs } = await openFilledDatabase();
  const db = database.db;

  const clock = fixedClock('2026-03-06T12:00:00Z');
  const logger = pino({ level: 'silent' });
  const memo = MEMO ? new DisclosureMemo() : new DisclosureMemo({ entries: 0, bytes: 0 });
  const service = createAsOfService({ database, clock, logger, memo });
  const answer = async () => {
    const c0 = cpu();
    const t0 = performance.now();
    const r = await service.get('2026-03-05');
    const body = r.identity.toString('utf8');
    return { cpuMs: Math.round(cpu() - c0), wallMs: Math.round(performance.now() - t0), body };
  };
  const first = await answer();
  const days: string[] = [];
  for (const d of DAYS) {
    const r = await service.get(d);
    const shown = (JSON.parse(r.identity.toString('utf8')) as { operations: { asOfDay: string }[] })
      .operations[0]!.asOfDay;
    days.push(shown === d ? d : `${d} REFUSED (shows ${shown})`);
  }
  // An unrelated save: the change signal every save sends, with no public figure changed.
  await notifyChange(db, { operationId: op.id, kind: 'notice' });
  await new Promise((r) => setTimeout(r, 200));
  const second = await answer();
  await notifyChange(db, { operationId: op.id, kind: 'notice' });
  await new Promise((r) => setTimeout(r, 200));
  const third = await answer();
  const same = second.body === first.body && third.body === first.body;
  console.log(
    JSON.stringify(
      {
        movements: N,
        seed: Number(process.env.BENCH_SEED ?? 2),
        memo: MEMO,
        database: database.kind,
        fillMs,
        firstAnswer: { cpuMs: first.cpuMs, wallMs: first.wallMs },
        afterUnrelatedSave: { cpuMs: second.cpuMs, wallMs: second.wallMs },
        afterAnotherOne: { cpuMs: third.cpuMs, wallMs: third.wallMs },
        sameBytes: same,
        memoStats: memo.stats(),
        days,
      },
      null,
      2,
    ),
  );
  await service.close();
  await database.close();
}

await main();
