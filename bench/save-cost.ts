// What one staff save costs the app's event loop (issue 16: the p99 of the public reads
// while counts are saved several times a second). The app as bench/app-server.ts composes
// it, no HTTP load: N saves one after another, each followed by a public read that waits
// for the rebuilt copy. Printed per save: the save's wall time (on PGlite the database
// runs on this thread, so it is time the loop is held), the time until the new copy is
// served, the main thread's CPU time for both, and the event loop's delay histogram
// (what a request arriving meanwhile waits). BENCH_DB=pglite | postgres URL; SAVES (40);
// HOT=all (below).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { composeApp } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import { updateMovementCounts } from '../src/domain/update-counts.ts';
import { createLogger } from '../src/log.ts';
import { findMovement, listMovementIds } from '../src/store/repositories/movements.ts';
import { openSeededDatabase } from './bench-database.ts';
import { figuresFor } from './counts.ts';

const target = process.env.BENCH_DB ?? 'pglite';
const saves = Number(process.env.SAVES ?? 40);
const config = loadConfig({ ...process.env, DATABASE_URL: target === 'pglite' ? '' : target });
const logger = createLogger('warn');
const database = await openSeededDatabase(target, logger);
const ids = await listMovementIds(database.db);
const { deps } = await composeApp(config, database, logger);
const cache = deps.publicCache;
await cache.start();
// HOT=all: every output of bench:status has been asked for, so each build renders them all
// (as in the benchmark); otherwise only the Russian page is.
const variants =
  process.env.HOT === 'all'
    ? (['ru', 'kk', 'en'] as const).flatMap((lang) =>
        (['html', 'atom', 'csv', 'json', 'hxl', 'methodology'] as const).map((format) => ({ lang, format })),
      )
    : [{ lang: 'ru' as const, format: 'html' as const }];
for (const v of variants) {
  cache.peek(v.lang, v.format);
  await new Promise((r) => setTimeout(r, 100));
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const loop = monitorEventLoopDelay({ resolution: 1 });
const rows: { save: number; visible: number; saveCpu: number; totalCpu: number }[] = [];
for (let n = 0; n < saves + 3; n++) {
  const id = ids[n % ids.length]!;
  const found = (await findMovement(database.db, id))!;
  if (n === 3) loop.enable(); // the first few warm the caches
  const t0 = performance.now();
  const c0 = cpu();
  await updateMovementCounts(
    { db: database.db },
    {
      movementId: id,
      expectedVersion: found.movement.version,
      counts: figuresFor(300 + n),
      reason: 'bench: figures updated',
      sourceId: null,
      actor: { id: null, label: 'bench' },
    },
  );
  const t1 = performance.now();
  const c1 = cpu();
  // Wait for the copies of the new figures (the notification drops the old ones).
  const before = variants.map((v) => cache.peek(v.lang, v.format));
  for (let i = 0; i < 2000; i++) {
    if (variants.every((v, j) => ((r) => r && r !== before[j])(cache.peek(v.lang, v.format)))) break;
    await new Promise((r) => setTimeout(r, 1));
  }
  if (n >= 3)
    rows.push({ save: t1 - t0, visible: performance.now() - t0, saveCpu: c1 - c0, totalCpu: cpu() - c0 });
  await new Promise((r) => setTimeout(r, 50));
}
loop.disable();
const med = (k: keyof (typeof rows)[0]) =>
  [...rows.map((r) => r[k])].sort((a, b) => a - b)[rows.length >> 1]!;
console.log(
  `${target === 'pglite' ? 'PGlite' : 'PostgreSQL'}, ${rows.length} saves (median): save ${med('save').toFixed(1)} ms wall, ` +
    `${med('saveCpu').toFixed(1)} ms CPU of this process; new copies (${variants.length}) served after ${med('visible').toFixed(1)} ms, ` +
    `${med('totalCpu').toFixed(1)} ms CPU of this process (main thread and worker)`,
);
console.log(
  `event loop delay meanwhile: p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
);
await cache.close();
await database.close();
process.exit(0);
