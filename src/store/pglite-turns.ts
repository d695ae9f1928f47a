// PGlite's queries take turns with the requests. On the server's own thread
// (PGLITE_THREAD=false) each query is WebAssembly executed in one synchronous call, and
// its promise settles in a microtask, so a transaction of twenty queries (a save, a
// re-read of the public snapshots) ran as one uninterrupted block of the event loop —
// 10 to 110 ms measured (docs/benchmarks.md, issue 16) — and every request arriving
// meanwhile waited through all of it. On its own thread (pglite-thread.ts, the default)
// the work is elsewhere, but node hands a worker's quick answers over in one batch, so a
// transaction of short queries could still run without a turn. Here each query first
// waits one turn of the event loop (setImmediate: after the sockets are polled), so
// requests are answered between two queries and the loop is held for one query at a time.
// Nothing else changes: a transaction still holds PGlite's transaction lock between its
// queries (other queries wait for it, as before), and the order of queries is the same.
import type { PGlite } from '@electric-sql/pglite';

/** Taken at load: a test faking the timers (vitest) must not stall the database. */
const realSetImmediate = globalThis.setImmediate;

/** One turn of the event loop: the sockets are polled before this settles. */
export const nextTurn = () => new Promise<void>((resolve) => realSetImmediate(resolve));

type Queryable = Pick<PGlite, 'query' | 'exec'>;
const done = new WeakSet<object>();

function yieldFirst(target: Queryable) {
  if (done.has(target)) return;
  done.add(target);
  const query = target.query.bind(target);
  const exec = target.exec.bind(target);
  target.query = (async (...args: Parameters<PGlite['query']>) => {
    await nextTurn();
    return query(...args);
  }) as PGlite['query'];
  target.exec = async (...args: Parameters<PGlite['exec']>) => {
    await nextTurn();
    return exec(...args);
  };
}

/**
 * Every query and exec of this client, and of each transaction it opens, waits one turn
 * of the event loop before it runs. Idempotent (a test's client is opened many times).
 */
export function queriesTakeTurns(client: PGlite): void {
  if (done.has(client)) return;
  yieldFirst(client);
  const transaction = client.transaction.bind(client);
  // A transaction waits its turn too, so queries start in the order they were asked for.
  client.transaction = (async (fn: Parameters<PGlite['transaction']>[0]) => {
    await nextTurn();
    return transaction((tx) => {
      yieldFirst(tx);
      return fn(tx);
    });
  }) as PGlite['transaction'];
}
