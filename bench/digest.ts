// npm run bench:digest — the daily digest for 1,000 and then 10,000 subscribers,
// each run in its own process on a fresh embedded database, delivered over SMTP
// to a local sink. Prints time end to end (claim + render + send + record) and
// peak and steady RSS, live heap and external memory for both sizes, with the ratio: memory should stay flat while
// the subscribers grow tenfold. Target: 10,000 in under 60 s.
//
// `npm run bench:digest -- --content`: the digest's content alone (buildDigestContent)
// for 1,000 and 5,000 movements generated in memory (bench/digest-content-data.ts),
// CPU and wall time, against baselines measured in the same process on the same data:
// one cold public projection of the day, and the two cold projections (the day and
// the day before, no shared cache) the content used to make. Target (issue 21): 5,000
// movements in under 5 s. BENCH_DIGEST_SIZES=1000,5000 by default.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { sampleSelf } from './memory-sampler.ts';

const SIZES = [1_000, 10_000];
const CONCURRENCY = 8;

type Result = {
  n: number;
  ms: number;
  claimMs: number;
  sendMs: number;
  sent: number;
  peakRssMb: number;
  steadyRssMb: number;
  peakHeapMb: number;
  peakExternalMb: number;
};

async function child(n: number, smtpUrl: string): Promise<Result> {
  const { openDatabase } = await import('../src/store/database.ts');
  const { migrateDatabase } = await import('../src/store/migrate.ts');
  const { seedReportedFigures } = await import('../src/domain/seed.ts');
  const { claimDigestRun } = await import('../src/domain/digest/run.ts');
  const { drainRun } = await import('../src/domain/digest/deliver.ts');
  const { createDigestComposer } = await import('../src/mail/compose.ts');
  const { createSmtpMailer } = await import('../src/mail/mailer.ts');
  const { createRenderer } = await import('../src/views.ts');
  const { silentLogger } = await import('../src/log.ts');
  const { systemClock } = await import('../src/clock.ts');
  const { findOperationBySlug } = await import('../src/store/repositories/catalog.ts');

  // BENCH_PGLITE_THREAD=false: PGlite on this thread (src/store/pglite-thread.ts).
  const database = await openDatabase({
    kind: 'pglite',
    thread: process.env.BENCH_PGLITE_THREAD !== 'false',
  });
  await migrateDatabase(database);
  await seedReportedFigures({ db: database.db });
  const operation = (await findOperationBySlug(database.db, 'middle-east-2026'))!;
  // Subscribers in the three languages, one in ten on chosen routes, a few staff.
  await database.rows(sql`
    INSERT INTO subscribers (operation_id, email, language, audience, all_routes, status)
    SELECT ${operation.id}, 'bench' || i || '@example.org', (ARRAY['kk','ru','en'])[1 + i % 3],
      CASE WHEN i % 500 = 0 THEN 'staff' ELSE 'public' END, i % 10 <> 0, 'active'
    FROM generate_series(1, ${n}) AS i RETURNING 1`);
  await database.rows(sql`
    INSERT INTO subscriber_routes (subscriber_id, route_id)
    SELECT s.id, (SELECT min(id) FROM routes WHERE operation_id = ${operation.id}) FROM subscribers s WHERE NOT s.all_routes
    RETURNING 1`);

  // Live heap: sampled after a full GC, so uncollected garbage does not count as growth.
  const gc = (globalThis as { gc?: () => void }).gc;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    gc?.();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 2_000);
  const mailer = createSmtpMailer({ url: smtpUrl, poolSize: CONCURRENCY });
  const memory = sampleSelf();
  memory.phase('digest');
  const t0 = performance.now();
  const claim = await claimDigestRun(
    { database },
    { operation, day: '2026-03-03', now: new Date(), claimedBy: 'bench' },
  );
  const t1 = performance.now();
  const stats = await drainRun(
    {
      database,
      clock: systemClock,
      mailer,
      logger: silentLogger,
      composeDigest: createDigestComposer(createRenderer(), 'http://corridor.test'),
      config: { PUBLIC_BASE_URL: 'http://corridor.test', MAIL_FROM: 'Corridor <digest@corridor.test>' },
    },
    claim.run.id,
    { concurrency: CONCURRENCY },
  );
  const t2 = performance.now();
  clearInterval(sampler);
  const sending = memory.stop().find((p) => p.phase === 'digest')!;
  await mailer.close();
  await database.close();
  return {
    n,
    ms: t2 - t0,
    claimMs: t1 - t0,
    sendMs: t2 - t1,
    sent: stats.sent,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    steadyRssMb: sending.steadyRssMb,
    peakHeapMb: peakHeap / 1024 / 1024,
    peakExternalMb: sending.peakExternalMb,
  };
}

async function parent() {
  let received = 0;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 100,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  sink.on('error', () => {});
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const url = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
  const results: Result[] = [];
  for (const n of SIZES) {
    received = 0;
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(n), url],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let s = '';
      p.stdout.on('data', (d) => (s += d));
      p.on('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`child exited ${code}`))));
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Result;
    if (received !== n || r.sent !== n)
      throw new Error(`expected ${n} delivered, sink got ${received}, run sent ${r.sent}`);
    results.push(r);
    console.log(
      `${String(n).padStart(6)} subscribers: ${(r.ms / 1000).toFixed(1)} s end to end ` +
        `(claim+enqueue ${(r.claimMs / 1000).toFixed(2)} s, send ${(r.sendMs / 1000).toFixed(1)} s, ${Math.round(n / (r.ms / 1000))}/s), ` +
        `peak RSS ${r.peakRssMb.toFixed(0)} MB, steady RSS ${r.steadyRssMb.toFixed(0)} MB, peak live heap ${r.peakHeapMb.toFixed(0)} MB, ` +
        `peak external ${r.peakExternalMb.toFixed(0)} MB; sink received ${received}`,
    );
  }
  sink.close();
  const [a, b] = results as [Result, Result];
  console.log(
    `ratio ${b.n / a.n}x subscribers → time ×${(b.ms / a.ms).toFixed(2)}, peak RSS ×${(b.peakRssMb / a.peakRssMb).toFixed(2)}, peak live heap ×${(b.peakHeapMb / a.peakHeapMb).toFixed(2)}`,
  );
  console.log(
    b.ms < 60_000
      ? `target met: ${b.n} in ${(b.ms / 1000).toFixed(1)} s < 60 s`
      : `TARGET MISSED: ${(b.ms / 1000).toFixed(1)} s`,
  );
}

async function contentBench() {
  const { digestContentBench } = await import('./digest-content.ts');
  digestContentBench((process.env.BENCH_DIGEST_SIZES ?? '1000,5000').split(',').map(Number));
}

const i = process.argv.indexOf('--child');
if (process.argv.includes('--content')) {
  await contentBench();
} else if (i > 0) {
  const result = await child(Number(process.argv[i + 1]), process.argv[i + 2]!);
  console.log(JSON.stringify(result));
  process.exit(0);
} else {
  await parent();
}
