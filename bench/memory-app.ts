// The app process of `npm run bench:memory` (bench/memory.ts drives it over IPC):
// starts as server.ts does (fresh folder: migrate + seed; or existing data),
// serves HTTP, and on command runs a phase in-process — staff saves under the
// runner's load, a digest to N subscribers, an N-row CSV import — sampling its
// own memory by phase (bench/memory-sampler.ts). BENCH_DB = pglite | postgres://…
import { eq, sql } from 'drizzle-orm';
import { movements, passengerCounts } from '../db/schema.ts';
import { openConfiguredDatabase, prepareDatabase } from '../src/bootstrap.ts';
import { systemClock } from '../src/clock.ts';
import { composeApp } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import { applyImport } from '../src/domain/csv/apply.ts';
import { exportCsv } from '../src/domain/csv/export.ts';
import { checkImport } from '../src/domain/csv/import.ts';
import { drainRun } from '../src/domain/digest/deliver.ts';
import { claimDigestRun } from '../src/domain/digest/run.ts';
import { updateMovementCounts } from '../src/domain/update-counts.ts';
import { createHttpServer } from '../src/http-server.ts';
import { createLogger } from '../src/log.ts';
import { createDigestComposer } from '../src/mail/compose.ts';
import { createSmtpMailer } from '../src/mail/mailer.ts';
import { findOperationBySlug } from '../src/store/repositories/catalog.ts';
import { countsToColumns } from '../src/store/repositories/counts.ts';
import { findMovement, listMovementIds } from '../src/store/repositories/movements.ts';
import { createRenderer } from '../src/views.ts';
import { figuresFor } from './counts.ts';
import { sampleSelf } from './memory-sampler.ts';

const mem = sampleSelf();
mem.phase(process.env.BENCH_PHASE ?? 'start');
const started = performance.now();
const target = process.env.BENCH_DB ?? 'pglite';
const config = loadConfig({ ...process.env, DATABASE_URL: target === 'pglite' ? '' : target });
const logger = createLogger(process.env.BENCH_LOG ?? 'warn');
const database = await openConfiguredDatabase(config, logger);
await prepareDatabase(database, { seed: true, logger });
const { app, deps } = await composeApp(config, database, logger);
const server = createHttpServer(app, config);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const readyMs = performance.now() - started;
const operation = (await findOperationBySlug(database.db, 'middle-east-2026'))!;
const actor = { id: null, label: 'bench' };

/** Staff saves, `perSecond` a second, for `seconds` (the runner loads the public page meanwhile). */
async function saves(seconds: number, perSecond = 2) {
  const ids = await listMovementIds(database.db);
  let n = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const id = ids[n++ % ids.length]!;
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

async function digest(n: number, smtpUrl: string) {
  await database.rows(sql`
    INSERT INTO subscribers (operation_id, email, language, audience, all_routes, status, unsubscribe_token)
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

async function csvImport(rows: number) {
  const [route] = await database.rows<{ id: number }>(
    sql`SELECT min(id) AS id FROM routes WHERE operation_id = ${operation.id}`,
  );
  const made = await database.db
    .insert(movements)
    .values(
      Array.from({ length: rows }, (_, i) => ({
        routeId: route!.id,
        label: `Bench ${i}`,
        kind: 'batch' as const,
        scheduledDate: '2026-03-05',
      })),
    )
    .returning({ id: movements.id });
  await database.db
    .insert(passengerCounts)
    .values(made.map(({ id }, i) => ({ movementId: id, ...countsToColumns(figuresFor(100 + (i % 50))) })));
  const [source] = await database.rows<{ id: number }>(sql`SELECT min(id) AS id FROM sources`);
  const { content } = await exportCsv(database.db, operation.id);
  const edited = content
    .split('\r\n')
    .map((line, i) =>
      i === 0 || !line.includes(',Bench ')
        ? line
        : line.replace(/^((?:[^,]*,){5})(\d+),/, (_m, h: string, v: string) => `${h}${Number(v) + 1},`),
    )
    .join('\r\n');
  const checked = await checkImport(
    { db: database.db },
    {
      operationId: operation.id,
      filename: 'bench.csv',
      content: edited,
      reason: 'bench import',
      sourceId: source!.id,
      actor,
    },
  );
  const result = await applyImport(
    { db: database.db, metrics: deps.metrics },
    { importId: checked.importId, actor },
  );
  const [left] = await database.db
    .select({ n: sql<number>`count(*)` })
    .from(movements)
    .where(eq(movements.label, 'Bench 0'));
  return { ...result, made: made.length, found: Number(left?.n ?? 0) };
}

type Command =
  | { cmd: 'saves'; seconds: number }
  | { cmd: 'digest'; n: number; smtpUrl: string }
  | { cmd: 'import'; rows: number }
  | { cmd: 'stop' };

process.on('message', (raw) => {
  const command = raw as Command;
  void (async () => {
    try {
      if (command.cmd === 'stop') {
        mem.phase('stop');
        server.close();
        server.closeAllConnections();
        await deps.publicCache.close();
        await database.close();
        const phases = mem.stop();
        process.send?.({ done: 'stop', phases, samples: mem.samples }, () => process.exit(0));
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
      process.send?.({ done: command.cmd, error: (err as Error).stack });
    }
  })();
});
process.send?.({ ready: true, port: (server.address() as { port: number }).port, readyMs });
