// `npm test` runs every project (as CI does); `npm run test:fast` runs only the fast ones:
// everything except the files that start processes, browsers, nginx or PostgreSQL clusters.
// The fast files share their workers' modules (isolate: false): importing the app and
// compiling PGlite's WASM once per worker instead of once per file is most of the fast
// loop's minute. The few files that replace modules (vi.mock) keep a process each.
import os from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Files that spawn processes, drive Chromium, nginx or stop PostgreSQL, or write whole
 * database folders to disk: most of a full run's time.
 */
const SLOW = [
  'test/browser/**',
  // pg_dump and pg_restore; on PGlite, three on-disk data folders and a 40 MB tar.gz each
  // way, under flock helper processes (7-8 s of CPU, the fast loop's heaviest file).
  'test/integration/backup-restore.test.ts',
  // Builds dist/ (esbuild) and runs the built server and a CLI as processes.
  'test/integration/built-server.test.ts',
  'test/fuzz/digest-cli-days.test.ts',
  'test/integration/cluster.test.ts',
  'test/integration/data-folder.test.ts',
  // Worker threads of the as-of chains, each starting TypeScript through tsx (about 1 s).
  'test/integration/as-of-chains-worker.test.ts',
  // The projection worker thread, likewise (three workers, about 2 s of CPU each).
  'test/integration/projection-worker.test.ts',
  // A PGlite started without the migrated template (initdb in the process, ~850 MB), then
  // migrated step by step: the migration that hashes unsubscribe tokens, on old rows.
  'test/integration/unsubscribe-at-rest.test.ts',
  'test/integration/digest-cli.test.ts',
  'test/integration/digest-crash.test.ts',
  'test/integration/digest-postgres-stop.test.ts',
  'test/integration/disk-full.test.ts',
  'test/integration/kill-during-updates.test.ts',
  'test/integration/listener-liveness.test.ts',
  'test/integration/nginx-config.test.ts',
  // PGlite on its own thread: a new thread and database per case, a data folder written and
  // reopened, a dump loaded, a query over 2,000,000 rows (8 s, the fast loop's heaviest file).
  'test/integration/pglite-thread.test.ts',
  'test/integration/postgres-restart.test.ts',
  'test/integration/postgres-start.test.ts',
  'test/integration/process-lifecycle.test.ts',
  'test/integration/public-validators-external.test.ts',
  'test/integration/signup-limits-two-processes.test.ts',
  'test/integration/user-cli.test.ts',
];

/** Files that replace modules for their whole process (vi.mock): they run isolated. */
const ISOLATED = [
  'test/http/i18n-new-language.test.ts',
  'test/unit/public-build-coalescing.test.ts',
  'test/unit/public-spike-builds.test.ts',
];

const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  setupFiles: ['test/support/close-databases.ts'],
  env: { TZ: 'UTC' },
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      // Every core: a worker spends its time in its own PGlite and app, so the main process
      // is idle (vitest's default of cores - 1 runs the fast files one by one on 2 cores).
      // Its own groupOrder because the slow files keep vitest's default. Not isolated: a
      // file runs after others in the same process, with their modules already loaded;
      // what it opens (database, server) it closes in afterAll, as every file does.
      {
        test: {
          ...shared,
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [...SLOW, ...ISOLATED],
          isolate: false,
          maxWorkers: os.availableParallelism(),
          sequence: { groupOrder: 0 },
        },
      },
      // Beside them, in the same workers' budget (a group's projects share one maxWorkers).
      {
        test: {
          ...shared,
          name: 'fast-isolated',
          include: ISOLATED,
          maxWorkers: os.availableParallelism(),
          sequence: { groupOrder: 0 },
        },
      },
      { test: { ...shared, name: 'slow', include: SLOW, sequence: { groupOrder: 1 } } },
    ],
  },
});
