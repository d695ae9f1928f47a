// The app process of `npm run bench:memory` (bench/memory.ts drives it over IPC):
// starts as server.ts does (fresh folder: migrate + seed; or existing data),
// serves HTTP, and on command runs a phase in-process — staff saves under the
// runner's load, a digest to N subscribers, an N-row CSV import — sampling its
// own memory by phase (summarised by bench/memory-sampler.ts in the runner).
// Plain JavaScript on the compiled app (dist/, as `npm start` runs it): under tsx
// the TypeScript loader alone adds about 80 MB of RSS. BENCH_DB = pglite | postgres://…
import fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import v8 from 'node:v8';
import { eq, sql } from 'drizzle-orm';

/**
 * The worker threads the app starts (the public projection worker), recorded before the
 * app is imported so that the probe can ask each for a heap snapshot
 * (BENCH_HEAP_SNAPSHOTS) and BENCH_WORKER_HEAP_MB can try a heap limit on them. (It has
 * no effect while node runs with --max-old-space-size, as start.sh starts it: V8's flags
 * are per process and win over a worker's resourceLimits — its heap_size_limit stays the
 * flag's, measured on node 20.)
 */
const workers = [];
{
  const threads = createRequire(import.meta.url)('node:worker_threads');
  const Original = threads.Worker;
  const tryOldMb = Number(process.env.BENCH_WORKER_HEAP_MB ?? 0);
  threads.Worker = class extends Original {
    constructor(url, options = {}) {
      const limits = tryOldMb ? { maxOldGenerationSizeMb: tryOldMb, ...options.resourceLimits } : undefined;
      super(url, limits ? { ...options, resourceLimits: limits } : options);
      workers.push(this);
      this.once('exit', () => workers.splice(workers.indexOf(this), 1));
    }
  };
  syncBuiltinESMExports();
}
const { movements, passengerCounts } = await import('../dist/db/schema.js');
const { openConfiguredDatabase, prepareDatabase } = await import('../dist/src/bootstrap.js');
const { systemClock } = await import('../dist/src/clock.js');
const { composeApp } = await import('../dist/src/compose.js');
const { loadConfig } = await import('../dist/src/config.js');
const { applyImport } = await import('../dist/src/domain/csv/apply.js');
const { exportCsv } = await import('../dist/src/domain/csv/export.js');
const { checkImport } = await import('../dist/src/domain/csv/import.js');
const { drainRun } = await import('../dist/src/domain/digest/deliver.js');
const { claimDigestRun } = await import('../dist/src/domain/digest/run.js');
const { updateMovementCounts } = await import('../dist/src/domain/update-counts.js');
const { createHttpServer } = await import('../dist/src/http-server.js');
const { createLogger } = await import('../dist/src/log.js');
const { createDigestComposer } = await import('../dist/src/mail/compose.js');
const { createSmtpMailer } = await import('../dist/src/mail/mailer.js');
const { findOperationBySlug } = await import('../dist/src/store/repositories/catalog.js');
const { countsToColumns } = await import('../dist/src/store/repositories/counts.js');
const { findMovement, listMovementIds } = await import('../dist/src/store/repositories/movements.js');
const { createRenderer } = await import('../dist/src/views.js');

const { emptyCounts } = await import('../dist/src/domain/figures.js');

/** Staff figures, as bench/counts.ts writes them. */
function figuresFor(departed) {
  const c = emptyCounts();
  c.registered.total = departed + 20;
  c.departed.total = departed;
  c.departed.over60 = Math.floor(departed / 5);
  c.departed.womenChildren = Math.floor(departed / 3);
  c.arrived.total = departed - 40;
  c.arrived.over60 = Math.floor(departed / 5) - 10;
  return c;
}

/**
 * BENCH_HEAP_SNAPSHOTS=<dir>: a V8 heap snapshot of this thread at the end of each
 * phase (for finding what the heap holds; each forces a full GC, so the figures of a
 * run that takes them are not comparable with one that does not).
 */
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOTS;
let snapshots = 0;
/** The workers' snapshots being written: the app stops (and its worker with it) only after them. */
const writing = [];
function snapshot(phase) {
  if (process.env.BENCH_SMAPS) smaps(phase);
  if (!snapshotDir) return;
  const file = `${snapshotDir}/${process.pid}-${++snapshots}-${phase.replace(/\W+/g, '-')}.heapsnapshot`;
  v8.writeHeapSnapshot(file);
  for (const [i, w] of workers.entries())
    writing.push(
      w.getHeapSnapshot().then(
        (stream) =>
          new Promise((resolve) =>
            stream
              .pipe(fs.createWriteStream(file.replace('.heapsnapshot', `-worker${i}.heapsnapshot`)))
              .on('close', resolve)
              .on('error', resolve),
          ),
      ),
    );
  const m = process.memoryUsage();
  console.error(
    `heap snapshot ${file}: heap after GC ${(m.heapUsed / 1048576).toFixed(1)} MB, rss ${(m.rss / 1048576).toFixed(0)} MB`,
  );
}

/**
 * BENCH_SMAPS=1: where the RSS is at the end of each phase, from /proc/self/smaps: the
 * node binary's pages, small anonymous mappings (mostly V8's heap pages, both threads),
 * malloc's [heap] and arenas (zlib, pg, PGlite's WASM memory is one large mapping).
 */
function smaps(phase) {
  const by = new Map();
  let cur = '';
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const h = line.match(/^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/);
    if (h) {
      const size = (parseInt(h[2], 16) - parseInt(h[1], 16)) / 1048576;
      const name =
        h[4] || `anon ${h[3]} ${size >= 60 ? '>=60M' : size >= 8 ? '8-60M' : size >= 1 ? '1-8M' : '<1M'}`;
      cur = name.startsWith('/')
        ? name.includes('node_modules')
          ? 'file node_modules'
          : name.endsWith('/node')
            ? 'file node'
            : 'file other'
        : name;
      continue;
    }
    const r = line.match(/^Rss:\s+(\d+) kB/);
    if (r) by.set(cur, (by.get(cur) ?? 0) + Number(r[1]) / 1024);
  }
  const h = v8.getHeapStatistics();
  console.error(
    `smaps at end of ${phase} (main thread's V8 heap: ${(h.total_physical_size / 1048576).toFixed(0)} resident, ` +
      `${(h.used_heap_size / 1048576).toFixed(0)} used; ${workers.length} worker(s)): ` +
      [...by]
        .filter(([, v]) => v >= 1)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(' | '),
  );
}

/** Own memory every 250 ms, by phase (bench/memory-sampler.ts summarises). */
const mem = (() => {
  const samples = [];
  const started = performance.now();
  let phase = 'start';
  const mb = (b) => b / 1024 / 1024;
  const take = () => {
    const m = process.memoryUsage();
    samples.push({
      t: performance.now() - started,
      phase,
      rssMb: mb(m.rss),
      heapMb: mb(m.heapUsed),
      externalMb: mb(m.external + m.arrayBuffers),
    });
  };
  // CPU seconds by phase (all threads): what a loaded machine inflates far less than wall time.
  const cpu = [];
  let cpuAt = process.cpuUsage();
  const endCpu = () => {
    const d = process.cpuUsage(cpuAt);
    cpuAt = process.cpuUsage();
    cpu.push({ phase, seconds: (d.user + d.system) / 1e6 });
  };
  take();
  const timer = setInterval(take, 250);
  return {
    samples,
    cpu,
    phase: (name) => (take(), endCpu(), snapshot(phase), (phase = name), take()),
    stop: () => (take(), endCpu(), clearInterval(timer)),
  };
})();

mem.phase(process.env.BENCH_PHASE ?? 'start');
const started = performance.now();
const target = process.env.BENCH_DB ?? 'pglite';
const config = loadConfig({ ...process.env, DATABASE_URL: target === 'pglite' ? '' : target });
const logger = createLogger(process.env.BENCH_LOG ?? 'warn');
const database = await openConfiguredDatabase(config, logger);
await prepareDatabase(database, { seed: true, logger });
const { app, deps } = await composeApp(config, database, logger);
const server = createHttpServer(app, config);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const readyMs = performance.now() - started;
// The whole start, node's own and the imports included, in wall and CPU time (all threads):
// the CPU time is what a loaded machine does not inflate.
const sinceProcessMs = performance.now();
const cpu = process.cpuUsage();
const readyCpuMs = (cpu.user + cpu.system) / 1000;
const operation = await findOperationBySlug(database.db, 'middle-east-2026');
const actor = { id: null, label: 'bench' };

/** Staff saves, `perSecond` a second, for `seconds` (the runner loads the public page meanwhile). */
async function saves(seconds, perSecond = 2) {
  const ids = await listMovementIds(database.db);
  let n = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const id = ids[n++ % ids.length];
    const found = await findMovement(database.db, id);
    if (found)
      await updateMovementCounts(
        { db: database.db },
        {
          movementId: id,
          expectedVersion: found.movement.version,
          counts: figuresFor(300 + (n % 50)),
          reason: 'bench: figures updated',
          sourceId: null,
          actor,
        },
      ).catch(() => {});
    await new Promise((r) => setTimeout(r, 1000 / perSecond));
  }
  return { saves: n };
}

async function digest(n, smtpUrl) {
  await database.rows(sql`
    INSERT INTO subscribers (operation_id, email, language, audience, all_routes, status, unsubscribe_token_hash)
    SELECT ${operation.id}, 'bench' || i || '@example.org', (ARRAY['kk','ru','en'])[1 + i % 3],
      'public', true, 'active', md5(i::text) || md5((i * 7)::text)
    FROM generate_series(1, ${n}) AS i RETURNING 1`);
  const mailer = createSmtpMailer({ url: smtpUrl, poolSize: 8 });
  const claim = await claimDigestRun(
    { database },
    { operation, day: '2026-03-03', now: systemClock.now(), claimedBy: 'bench' },
  );
  const stats = await drainRun(
    {
      database,
      clock: systemClock,
      mailer,
      logger,
      composeDigest: createDigestComposer(createRenderer(), 'http://corridor.test'),
      config: { PUBLIC_BASE_URL: 'http://corridor.test', MAIL_FROM: 'Corridor <digest@corridor.test>' },
    },
    claim.run.id,
    { concurrency: 8 },
  );
  await mailer.close();
  return { sent: stats.sent };
}

/** Rows per INSERT when the benchmark creates its movements (staff create them one at a time). */
const SETUP_BATCH = 500;

/**
 * The benchmark's own setup (movements to import into, the exported file) is a phase of its
 * own, so that the import's figures are the check's and the apply's; then the check. Only the
 * import's id is returned: the file and the check's plan are not held during the apply (the
 * server's check and apply are two requests: nothing of the check is held by the apply).
 */
async function checkedImport(rows) {
  mem.phase(`CSV import ${rows} rows: setup (bench)`);
  const [route] = await database.rows(
    sql`SELECT min(id) AS id FROM routes WHERE operation_id = ${operation.id}`,
  );
  const made = [];
  for (let from = 0; from < rows; from += SETUP_BATCH) {
    const batch = await database.db
      .insert(movements)
      .values(
        Array.from({ length: Math.min(SETUP_BATCH, rows - from) }, (_, j) => ({
          routeId: route.id,
          label: `Bench ${from + j}`,
          kind: 'batch',
          scheduledDate: '2026-03-05',
        })),
      )
      .returning({ id: movements.id });
    await database.db.insert(passengerCounts).values(
      batch.map(({ id }, j) => ({
        movementId: id,
        ...countsToColumns(figuresFor(100 + ((from + j) % 50))),
      })),
    );
    made.push(...batch);
  }
  const [source] = await database.rows(sql`SELECT min(id) AS id FROM sources`);
  const { content } = await exportCsv(database.db, operation.id);
  const edited = content
    .split('\r\n')
    .map((line, i) =>
      i === 0 || !line.includes(',Bench ')
        ? line
        : line.replace(/^((?:[^,]*,){5})(\d+),/, (_m, h, v) => `${h}${Number(v) + 1},`),
    )
    .join('\r\n');
  mem.phase(`CSV import ${rows} rows: check`);
  const checked = await checkImport(
    { db: database.db },
    {
      operationId: operation.id,
      filename: 'bench.csv',
      content: edited,
      reason: 'bench import',
      source: { kind: 'existing', id: source.id },
      actor,
    },
  );
  return { importId: checked.importId, made: made.length };
}

async function csvImport(rows) {
  const { importId, made } = await checkedImport(rows);
  mem.phase(`CSV import ${rows} rows: apply`);
  // Where the memory is halfway through the apply (BENCH_SMAPS, BENCH_HEAP_SNAPSHOTS).
  let probed = false;
  const result = await applyImport(
    { db: database.db, metrics: deps.metrics },
    {
      importId,
      actor,
      onProgress: (done, total) => {
        if (probed || done < total / 2) return;
        probed = true;
        snapshot('CSV import apply, halfway');
      },
    },
  );
  const [left] = await database.db
    .select({ n: sql`count(*)` })
    .from(movements)
    .where(eq(movements.label, 'Bench 0'));
  return { ...result, made, found: Number(left?.n ?? 0) };
}

process.on('message', (raw) => {
  const command = raw;
  void (async () => {
    try {
      if (command.cmd === 'stop') {
        mem.phase('stop');
        await Promise.all(writing);
        server.close();
        server.closeAllConnections();
        await deps.publicCache.close();
        await database.close();
        mem.stop();
        process.send?.({ done: 'stop', samples: mem.samples, cpu: mem.cpu }, () => process.exit(0));
        return;
      }
      // The import names its own phases (setup, check, apply).
      if (command.cmd !== 'import')
        mem.phase(command.cmd === 'saves' ? 'load (public page + saves)' : `digest ${command.n}`);
      const result =
        command.cmd === 'saves'
          ? await saves(command.seconds)
          : command.cmd === 'digest'
            ? await digest(command.n, command.smtpUrl)
            : await csvImport(command.rows);
      mem.phase('idle');
      process.send?.({ done: command.cmd, result });
    } catch (err) {
      process.send?.({ done: command.cmd, error: err.stack });
    }
  })();
});
process.send?.({ ready: true, port: server.address().port, readyMs, sinceProcessMs, readyCpuMs });
