// npm run bench:as-of-day-end — how long the server's thread is held by the settle that
// records each day's end (src/public/as-of.ts), with the day chains audited on it (inline,
// the code before) and in their worker thread (as-of-chains.ts, the server since 6 December
// 2026). One operation of BENCH_MOVEMENTS (1,000) movements over 1–5 March
// (bench/as-of-fill.ts), on a fresh PGlite (or TEST_DATABASE_URL's empty database). The
// clock moves a day at a time, from noon on 2 March to noon on 7 March, and the service
// settles after each step, as the server's timer does a second after each day end. A 1 ms
// timer on the server's thread measures its longest block meanwhile (what a request
// arriving then waits). Both ways run on the same figures: the ledger's rows are cleared
// between them, so each audits every day end anew. Then the digest sent on 5 March at noon
// UTC (its day not ended, so not yet settled; the days before it settled first, unmeasured),
// whose day is audited where the digest's days are (src/domain/digest/public-days.ts).
// Prints a row per step and mode, then the ratio of the longest blocks.
import { sql } from 'drizzle-orm';
import { inlineDayChains } from '../src/domain/day-chains.ts';
import { DisclosureMemo } from '../src/domain/disclosure.ts';
import { claimDigestRun } from '../src/domain/digest/run.ts';
import { listOperations } from '../src/store/repositories/catalog.ts';
import { pino } from 'pino';
import { createAsOfService } from '../src/public/as-of.ts';
import { workerDayChains } from '../src/public/as-of-chains.ts';
import { openFilledDatabase } from './as-of-fill.ts';

const N = Number(process.env.BENCH_MOVEMENTS ?? 1_000);
const { database, op, fillMs } = await openFilledDatabase();
const operation = (await listOperations(database.db)).find((o) => o.id === op.id)!;
const logger = pino({ level: 'warn' });
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
console.log(`${N} movements, ${database.kind}, filled in ${(fillMs / 1000).toFixed(1)} s`);
console.log(
  'mode     settle after             wall ms   CPU ms (process)   longest block of this thread, ms',
);

const longest: Record<string, number> = {};
const digest: Record<string, number> = {};
for (const mode of ['inline', 'worker'] as const) {
  await database.db.execute(sql`DELETE FROM disclosure_printed`);
  await database.db.execute(sql`DELETE FROM disclosure_releases`);
  let nowIso = '2026-03-02T12:00:00Z';
  const clock = { now: () => new Date(nowIso) };
  const chains = mode === 'worker' ? workerDayChains({ logger }) : undefined;
  const service = createAsOfService({ database, clock, logger, ...(chains ? { chains } : {}) });
  let last = performance.now();
  let block = 0;
  const tick = setInterval(() => {
    const t = performance.now();
    block = Math.max(block, t - last);
    last = t;
  }, 1);
  longest[mode] = 0;
  for (const day of ['02', '03', '04', '05', '06', '07']) {
    nowIso = `2026-03-${day}T12:00:00Z`;
    last = performance.now();
    block = 0;
    const t0 = performance.now();
    const c0 = cpuMs();
    await service.settle();
    const wall = performance.now() - t0;
    longest[mode] = Math.max(longest[mode] ?? 0, block);
    console.log(
      `${mode.padEnd(8)} ${nowIso.padEnd(24)} ${wall.toFixed(0).padStart(7)} ${(cpuMs() - c0).toFixed(0).padStart(10)} ${block.toFixed(0).padStart(20)}`,
    );
  }
  // The digest of 5 March, sent on 5 March (noon UTC: the afternoon in the operation's zone).
  await database.db.execute(sql`DELETE FROM disclosure_printed`);
  await database.db.execute(sql`DELETE FROM disclosure_releases`);
  nowIso = '2026-03-05T12:00:00Z';
  await service.settle(); // the days before it, recorded as the server's settles would have
  // Inline: on this thread, with a memo of its own (the process's would recall the day from
  // the settles above; a digest sent before its day ends has never seen that day).
  const dayChains =
    mode === 'worker' ? workerDayChains({ logger }) : inlineDayChains({ memo: new DisclosureMemo() });
  last = performance.now();
  block = 0;
  const t0 = performance.now();
  const c0 = cpuMs();
  await claimDigestRun(
    { database, dayChains },
    { operation, day: '2026-03-05', now: new Date(nowIso), claimedBy: 'bench' },
  );
  digest[mode] = block;
  console.log(
    `${mode.padEnd(8)} ${'digest of 5 March'.padEnd(24)} ${(performance.now() - t0).toFixed(0).padStart(7)} ${(cpuMs() - c0).toFixed(0).padStart(10)} ${block.toFixed(0).padStart(20)}`,
  );
  await database.db.execute(sql`DELETE FROM digest_deliveries`);
  await database.db.execute(sql`DELETE FROM digest_runs`);
  clearInterval(tick);
  await dayChains.close();
  await service.close();
}
console.log(
  `longest block: inline ${longest.inline!.toFixed(0)} ms, worker ${longest.worker!.toFixed(0)} ms ` +
    `(${((longest.worker! / longest.inline!) * 100).toFixed(1)} % of inline); ` +
    `the digest's: inline ${digest.inline!.toFixed(0)} ms, worker ${digest.worker!.toFixed(0)} ms ` +
    `(${((digest.worker! / digest.inline!) * 100).toFixed(1)} %)`,
);
await database.close();
