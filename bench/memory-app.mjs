// The app process of `npm run bench:memory` (bench/memory.ts drives it over IPC):
// starts as server.ts does (fresh folder: migrate + seed; or existing data),
// serves HTTP, and on command runs a phase in-process — staff saves under the
// runner's load, a digest to N subscribers, an N-row CSV import — sampling its
// own memory by phase (summarised by bench/memory-sampler.ts in the runner).
// Plain JavaScript on the compiled app (dist/, as `npm start` runs it): under tsx
// the TypeScript loader alone adds about 80 MB of RSS. BENCH_DB = pglite | postgres://…
import { eq, sql } from 'drizzle-orm';
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
  take();
  const timer = setInterval(take, 250);
  return {
    samples,
    phase: (name) => (take(), (phase = name), take()),
    stop: () => (take(), clearInterval(timer)),
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

async function csvImport(rows) {
  const [route] = await database.rows(
    sql`SELECT min(id) AS id FROM routes WHERE operation_id = ${operation.id}`,
  );
  const made = await database.db
    .insert(movements)
    .values(
      Array.from({ length: rows }, (_, i) => ({
        routeId: route.id,
        label: `Bench ${i}`,
        kind: 'batch',
        scheduledDate: '2026-03-05',
      })),
    )
    .returning({ id: movements.id });
  await database.db
    .insert(passengerCounts)
    .values(made.map(({ id }, i) => ({ movementId: id, ...countsToColumns(figuresFor(100 + (i % 50))) })));
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
  const result = await applyImport(
    { db: database.db, metrics: deps.metrics },
    { importId: checked.importId, actor },
  );
  const [left] = await database.db
    .select({ n: sql`count(*)` })
    .from(movements)
    .where(eq(movements.label, 'Bench 0'));
  return { ...result, made: made.length, found: Number(left?.n ?? 0) };
}

process.on('message', (raw) => {
  const command = raw;
  void (async () => {
    try {
      if (command.cmd === 'stop') {
        mem.phase('stop');
        server.close();
        server.closeAllConnections();
        await deps.publicCache.close();
        await database.close();
        mem.stop();
        process.send?.({ done: 'stop', samples: mem.samples }, () => process.exit(0));
        return;
      }
      mem.phase(
        command.cmd === 'saves'
          ? 'load (public page + saves)'
          : command.cmd === 'digest'
            ? `digest ${command.n}`
            : `CSV import ${command.rows} rows`,
      );
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
process.send?.({ ready: true, port: server.address().port, readyMs });
