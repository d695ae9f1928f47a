// The composition root: config → database → app (src/compose.ts) → HTTP server → jobs; reverse on stop.
import { DatabaseUnreachableError, openConfiguredDatabase, prepareDatabase } from './bootstrap.ts';
import { systemClock } from './clock.ts';
import { composeApp } from './compose.ts';
import { ConfigError, loadConfig } from './config.ts';
import {
  PORT_UNAVAILABLE_EXIT,
  PortUnavailableError,
  assertPortFree,
  createHttpServer,
  listen,
} from './http-server.ts';
import { startDigestScheduler } from './jobs/digest-scheduler.ts';
import { startRetentionJob } from './jobs/retention.ts';
import { startConfirmationQueue } from './jobs/confirmation-queue.ts';
import { createLogger } from './log.ts';
import { memoryFlagsProblem } from './node-memory.ts';
import { createConfirmationComposer, createDigestComposer } from './mail/compose.ts';
import { removeStaleTmpFiles } from './store/tmp-files.ts';
import { refuse } from './cli/run-cli.ts';
import { DataDirError } from './store/data-dir.ts';
import { DataDirLockedError } from './store/data-dir-lock.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const heapProblem = config.NODE_ENV === 'production' ? memoryFlagsProblem(config) : undefined;
  if (heapProblem) logger.warn({ kind: 'node_memory_flags' }, heapProblem);
  await assertPortFree(config.PORT, config.HOST);
  const leftovers = removeStaleTmpFiles([config.OUTBOX_DIR, config.PUBLIC_EXPORT_DIR, config.BACKUP_DIR]);
  if (leftovers)
    logger.info({ code: 'tmp_removed', removed: leftovers }, 'removed partial files left by an earlier stop');
  const database = await openConfiguredDatabase(config, logger);
  await prepareDatabase(database, { seed: config.SEED_ON_EMPTY, logger });

  const { app, deps } = await composeApp(config, database, logger);
  const { renderer, metrics, mailer, publicCache, publicAsOf, dayChains } = deps;
  const server = createHttpServer(app, config);
  await listen(server, config.PORT, config.HOST);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    { code: 'listening', port, database: database.kind },
    `Corridor is listening on http://localhost:${port}`,
  );
  const scheduler = config.DIGEST_SCHEDULER
    ? startDigestScheduler({
        database,
        clock: systemClock,
        logger,
        metrics,
        mailer,
        config,
        composeDigest: createDigestComposer(renderer, config.PUBLIC_BASE_URL),
        dayChains,
      })
    : undefined;

  const retention = startRetentionJob({
    database,
    clock: systemClock,
    logger,
    retentionDays: config.RETENTION_DAYS,
  });

  const confirmations = startConfirmationQueue(
    {
      ...{ database, clock: systemClock, logger, metrics, mailer, config },
      composeConfirmation: createConfirmationComposer(renderer),
    },
    { intervalMs: config.CONFIRMATION_QUEUE_INTERVAL_MS },
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ code: 'stopping', signal }, 'stopping: finishing requests in flight');
    const force = setTimeout(() => {
      logger.error({ code: 'stop_timed_out' }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    await scheduler?.stop();
    await retention.stop();
    await confirmations.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await mailer.close();
    await publicCache.close();
    await publicAsOf.close();
    await dayChains.close();
    await database.close();
    logger.info({ code: 'stopped' }, 'stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (
    err instanceof ConfigError ||
    err instanceof DataDirLockedError ||
    err instanceof DataDirError ||
    err instanceof DatabaseUnreachableError ||
    err instanceof PortUnavailableError
  ) {
    refuse(err.code, err.message);
    // A worker of start:cluster that cannot have the port: its primary stops instead of
    // starting another (src/cluster.ts).
    if (err instanceof PortUnavailableError) process.exit(PORT_UNAVAILABLE_EXIT);
  } else {
    console.error('Corridor failed to start:', err);
    console.error('error=start_failed');
  }
  process.exit(1);
});
