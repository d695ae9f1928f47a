// The day chains (src/domain/day-chains.ts) in a worker thread of their own: the server's
// as-of answers and its digest's days are audited there (as-of-chains-worker.ts), so a day
// end's seconds of linear programs never hold the server's event loop. At a thousand
// movements the settle after a day end held it for up to 8 s, and a digest sent before its
// day had ended (or previewed by staff) for 8 s (docs/benchmarks.md, "The day end off the
// server's thread"). The worker is started when a load is made and exits when the loads are
// dropped (after a settle no answer used, after each digest day: issue 20), and its memory
// goes with it.
import type { Worker } from 'node:worker_threads';
import type { ChainsInput, DayChains, Point, ProjectedDays } from '../domain/day-chains.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { startWorkerWithSemiSpace } from '../node-memory.ts';
import { type WorkerError, fromWorkerError, startSiblingWorker } from '../worker-thread.ts';

export type ChainsRequest =
  | { type: 'load'; id: number; load: number; input: ChainsInput }
  | { type: 'project'; id: number; load: number; points: Point[] };
export type ChainsResponse =
  { id: number; ok: true; projected?: ProjectedDays | null } | { id: number; ok: false; error: WorkerError };

/** In a worker thread of its own (the server), started when a load is made, gone when dropped. */
export function workerDayChains(deps: {
  logger: Logger;
  semiSpaceMb?: number;
}): DayChains & { running(): boolean } {
  let worker: Worker | undefined;
  let nextId = 1;
  let loads = 0;
  let closed = false;
  const pending = new Map<
    number,
    { resolve: (r: ChainsResponse) => void; reject: (e: Error) => void; worker: Worker }
  >();

  const failAll = (w: Worker, err: Error) => {
    for (const [id, p] of pending)
      if (p.worker === w) {
        pending.delete(id);
        p.reject(err);
      }
  };

  function spawn(): Worker {
    const w = startWorkerWithSemiSpace(deps.semiSpaceMb, () =>
      startSiblingWorker(import.meta.url, 'as-of-chains-worker'),
    );
    w.unref();
    w.on('message', (r: ChainsResponse) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      if (r.ok) p.resolve(r);
      else p.reject(fromWorkerError(r.error, (message) => new AppError('internal', message)));
    });
    w.on('error', (err) => {
      deps.logger.error({ err, kind: 'as_of_worker_error' }, 'as-of: the day chains’ worker failed');
      if (worker === w) worker = undefined;
      failAll(w, err);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      failAll(w, new AppError('internal', `the day chains’ worker exited with code ${code}`));
    });
    return w;
  }

  function ask(w: Worker, request: ChainsRequest): Promise<ChainsResponse> {
    return new Promise<ChainsResponse>((resolve, reject) => {
      pending.set(request.id, { resolve, reject, worker: w });
      w.ref(); // a worker with a question pending keeps the process alive; an idle one does not
      w.postMessage(request);
    }).finally(() => {
      if (![...pending.values()].some((p) => p.worker === w)) w.unref();
    });
  }

  return {
    running: () => worker !== undefined,
    async load(input) {
      if (closed) throw new AppError('internal', 'as-of chains closed');
      worker ??= spawn();
      const load = ++loads;
      await ask(worker, { type: 'load', id: nextId++, load, input });
      return load;
    },
    async project(load, points) {
      // No worker: it was dropped (or died) since that load; the caller reads again.
      if (closed || !worker) return null;
      const r = await ask(worker, { type: 'project', id: nextId++, load, points: [...points] });
      return r.ok ? (r.projected ?? null) : null;
    },
    drop() {
      const w = worker;
      if (!w || [...pending.values()].some((p) => p.worker === w)) return;
      worker = undefined;
      void w.terminate();
    },
    async close() {
      closed = true;
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}
