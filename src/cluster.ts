// npm run start:cluster: several app processes on one port, sharing PostgreSQL.
// The primary migrates (and seeds) once, forks the workers, starts a new one
// when one dies, and passes SIGTERM/SIGINT on for a graceful stop.
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { DatabaseUnreachableError, openConfiguredDatabase, prepareDatabase } from './bootstrap.ts';
import { refuse } from './cli/run-cli.ts';
import { ConfigError, loadConfig } from './config.ts';
import { PORT_UNAVAILABLE_EXIT, PortUnavailableError, assertPortFree } from './http-server.ts';
import { createLogger } from './log.ts';
import { siblingEntry } from './paths.ts';
import { monotonicMs } from './clock.ts';
import { nodeMemoryFlags } from './node-memory.ts';

const serverEntry = siblingEntry(import.meta.url, 'server');

async function primary(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.DATABASE_URL) {
    refuse(
      'cluster_needs_postgres',
      'start:cluster needs PostgreSQL: set DATABASE_URL. The embedded database (PGlite) belongs to ' +
        'one process; use `npm start` for it.',
    );
    process.exit(1);
  }
  await assertPortFree(config.PORT, config.HOST);
  const database = await openConfiguredDatabase(config, logger);
  try {
    await prepareDatabase(database, { seed: config.SEED_ON_EMPTY, logger });
  } finally {
    await database.close();
  }

  const count = config.WORKERS || os.availableParallelism();
  // Workers run the ordinary server; migrations are already applied, so their
  // own check (under the advisory lock) finds nothing to do. Each gets the configured
  // heap flags (src/node-memory.ts), whatever the primary was started with.
  const heapFlag = /^--(max-(old|semi)-space-size=|liftoff-only$|optimize-for-size$)/;
  const execArgv = [...process.execArgv.filter((a) => !heapFlag.test(a)), ...nodeMemoryFlags(config)];
  cluster.setupPrimary({ exec: serverEntry, execArgv });
  const env = { SEED_ON_EMPTY: 'false' };
  let stopping = false;
  const recentDeaths: number[] = [];

  const fork = () => {
    const worker = cluster.fork(env);
    logger.info({ code: 'worker_started', worker: worker.process.pid }, 'cluster: worker started');
    return worker;
  };

  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) return;
    // The port was taken after the primary's check: another worker would fail the same way.
    if (code === PORT_UNAVAILABLE_EXIT) {
      refuse('port_in_use', `Port ${config.PORT} is in use by another process: stop it, or set PORT.`);
      stop('port_in_use', 1);
      return;
    }
    logger.error(
      { code: 'worker_died', worker: worker.process.pid, exitCode: code, signal },
      'cluster: worker died; starting another',
    );
    // A worker that keeps dying at start (say, the database refuses it) is
    // restarted with a growing delay instead of a tight fork loop.
    const now = monotonicMs();
    recentDeaths.push(now);
    while (recentDeaths.length && recentDeaths[0]! < now - 60_000) recentDeaths.shift();
    const delay =
      recentDeaths.length > count ? Math.min(30_000, 500 * 2 ** (recentDeaths.length - count)) : 0;
    setTimeout(fork, delay);
  });

  for (let i = 0; i < count; i++) fork();
  logger.info(
    { code: 'cluster_started', workers: count, pid: process.pid },
    `cluster: ${count} workers on port ${config.PORT}`,
  );

  /** Every worker stopped (SIGTERM, then SIGKILL after the timeout); then exits with `exitCode`. */
  const stop = (signal: NodeJS.Signals | 'port_in_use', exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ code: 'cluster_stopping', signal }, 'cluster: stopping workers');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    for (const w of workers) w.process.kill('SIGTERM');
    const force = setTimeout(() => {
      logger.error({ code: 'cluster_stop_timed_out' }, 'cluster: workers did not stop in time; killing them');
      for (const w of workers) w.process.kill('SIGKILL');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 2_000);
    force.unref();
    const check = () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info({ code: 'cluster_stopped' }, 'cluster: stopped cleanly');
        process.exit(exitCode);
      }
    };
    cluster.on('exit', check);
    check();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

primary().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof PortUnavailableError;
  refuse(
    known || err instanceof DatabaseUnreachableError ? err.code : 'start_failed',
    known ? err.message : `Corridor cluster failed to start: ${String(err)}`,
  );
  process.exit(1);
});
