// The app for `npm run bench:status`: seeded, with counts being saved several
// times a second (each save notifies, so every cached copy is rebuilt).
// BENCH_DB=pglite | a postgres:// URL; PORT; UPDATES_PER_SECOND; PUBLIC_EXPORT_DIR (optional);
// BENCH_SAME_FIGURES=1: every save sends the figures the movement has (after its first):
// the save's transaction runs, nothing changes, nothing is rebuilt (to tell the save's own
// cost from its builds'); BENCH_LOOP_PROBE=1: the event loop's blocks and PGlite's calls measured (bench/loop-probe.ts),
// read and reset through IPC ('probe').
import { composeApp } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import { updateMovementCounts } from '../src/domain/update-counts.ts';
import { createHttpServer } from '../src/http-server.ts';
import { createLogger } from '../src/log.ts';
import { findMovement, listMovementIds } from '../src/store/repositories/movements.ts';
import { openSeededDatabase } from './bench-database.ts';
import { figuresFor } from './counts.ts';
import { startLoopProbe } from './loop-probe.ts';

const target = process.env.BENCH_DB ?? 'pglite';
const port = Number(process.env.PORT ?? 3100);
const perSecond = Number(process.env.UPDATES_PER_SECOND ?? 5);
const sameFigures = process.env.BENCH_SAME_FIGURES === '1';
// Request logs go to /dev/null in the bench (stdout is ignored), as in production they go to a file.
const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'info',
  DATABASE_URL: target === 'pglite' ? '' : target,
});
const logger = createLogger(process.env.BENCH_LOG ?? 'info');
const probe =
  process.env.BENCH_LOOP_PROBE === '1'
    ? startLoopProbe(target === 'pglite' ? (await import('@electric-sql/pglite')).PGlite : undefined)
    : undefined;
const database = await openSeededDatabase(target, logger);

const ids = await listMovementIds(database.db);
// As server.ts runs it: listening (and, with PUBLIC_EXPORT_DIR, publishing) before the
// first request, behind the same HTTP server with its timeouts.
const { app, deps } = await composeApp(config, database, logger);
const server = createHttpServer(app, config);
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

// The updater: a staff save every 1/perSecond s, alternating movements, one after another.
let n = 0;
let saves = 0;
let running = true;
const updater = (async () => {
  const interval = perSecond > 0 ? 1000 / perSecond : 0;
  let next = Date.now();
  while (running && interval > 0) {
    next += interval;
    const id = ids[n++ % ids.length]!;
    try {
      const found = await findMovement(database.db, id);
      if (found) {
        await updateMovementCounts(
          { db: database.db },
          {
            movementId: id,
            expectedVersion: found.movement.version,
            counts: figuresFor(sameFigures ? 300 : 300 + (n % 50)),
            reason: 'bench: figures updated',
            sourceId: null,
            actor: { id: null, label: 'bench' },
          },
        );
        saves++;
      }
    } catch (err) {
      process.stderr.write(`update failed: ${(err as Error).message}\n`);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
})();

process.on('message', (msg) => {
  if (msg === 'saves') process.send?.({ saves });
  if (msg === 'probe') process.send?.({ probe: probe?.report() });
});
process.send?.({ ready: true, port });
process.on('SIGTERM', () => void stop());
async function stop() {
  running = false;
  await updater;
  server.close();
  server.closeAllConnections();
  await deps.publicCache.close();
  await database.close();
  process.exit(0);
}
