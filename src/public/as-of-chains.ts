// Where the as-of answers' day chains (domain/day-chain.ts) are held and audited: in a
// worker thread of their own (the server: as-of-chains-worker.ts) or inline (tests,
// benches). Auditing a day end is linear programs over every figure of the day: at a
// thousand movements a day end took 0.5–7 s of CPU, growing with the days, and the settle
// a second after each day end ran it on the server's thread, which then answered nothing
// (no public page, no staff save) meanwhile (docs/benchmarks.md, "The day end off the
// server's thread"). The server's thread reads the histories and the ledger, records what
// was audited, and renders the answer; the chains, the audit's memo and its wide search
// (HiGHS) live where the audit runs. A load is kept there until dropped (after a settle no
// answer used: issue 20), the worker then exits, and its memory goes with it.
import type { Worker } from 'node:worker_threads';
import type { Day } from '../domain/calendar.ts';
import {
  type AuditCache,
  type WitnessEngine,
  createAuditCache,
  loadWideSearch,
  sharedDisclosureMemo,
} from '../domain/disclosure.ts';
import type { DisclosureMemo } from '../domain/disclosure-memo.ts';
import type { PendingDay } from '../domain/day-chain.ts';
import { DayChain, type DayLedger, type OperationHistory } from '../domain/public-as-of.ts';
import type { PublicProjection } from '../domain/privacy.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import type { Logger } from '../log.ts';
import { startWorkerWithSemiSpace } from '../node-memory.ts';
import { startSiblingWorker } from '../worker-thread.ts';

export type Point = { operationId: number; day: string };

/** What the chains are made of: every public operation's history and what the ledger holds of it. */
export type ChainsInput = { histories: OperationHistory[]; ledgers: [number, DayLedger][] };

/** Each point's projection (the last safe day's if refused), and the days audited, to record. */
export type ProjectedDays = {
  parts: { projection: PublicProjection; day: Day; at: Date }[];
  pending: [number, PendingDay[]][];
  /** The wide search did not load: the days were audited with the dense search alone. */
  wideSearchFailed?: Error;
};

export interface AsOfChains {
  /** Makes the chains of a load (`load` numbers it); the two latest loads are kept. */
  load(load: number, input: ChainsInput): Promise<void>;
  /** Projects the points with that load's chains; null: that load is no longer held. */
  project(load: number, points: readonly Point[]): Promise<ProjectedDays | null>;
  /** Drops every load (the worker exits once nothing waits on it). */
  drop(): void;
  close(): Promise<void>;
}

/** The chains themselves, on the thread that audits: synchronous audits, one request at a time. */
export class ChainsHolder {
  private readonly loads = new Map<
    number,
    { chains: Map<number, DayChain>; engine?: Promise<WitnessEngine | undefined> }
  >();
  private wideSearchError: Error | undefined;

  constructor(private readonly audit: AuditCache) {}

  load(load: number, input: ChainsInput): void {
    const ledgers = new Map(input.ledgers);
    const chains = new Map<number, DayChain>();
    for (const h of input.histories) {
      const id = h.live.operation.id;
      chains.set(id, new DayChain(h, this.audit, ledgers.get(id)));
    }
    this.loads.set(load, { chains });
    // An answer still being made with the load before finishes with it; older ones go.
    for (const key of this.loads.keys()) if (key < load - 1) this.loads.delete(key);
  }

  async project(load: number, points: readonly Point[]): Promise<ProjectedDays | null> {
    const held = this.loads.get(load);
    if (!held) return null;
    const chains = points.map((p) => held.chains.get(p.operationId)!);
    // The wide search first, only if a day to show is not recorded with its figures; if it
    // cannot load, the days are audited with the dense search alone (a refusal, never a leak).
    let wideSearchFailed: Error | undefined;
    if (points.some((p, i) => chains[i]!.needsWideSearch(p.day))) {
      const first = !held.engine; // a failure is reported once per load, by the call that loaded
      held.engine ??= loadWideSearch().catch((err: unknown) => {
        this.wideSearchError = err instanceof Error ? err : new Error(String(err));
        return undefined;
      });
      const engine = await held.engine;
      if (!engine && first) wideSearchFailed = this.wideSearchError;
      for (const chain of held.chains.values()) chain.engine = engine;
    }
    const parts = points.map((p, i) => chains[i]!.project(p.day));
    const pending: [number, PendingDay[]][] = [];
    for (const chain of held.chains.values()) {
      const todo = chain.pending.splice(0);
      if (todo.length > 0) pending.push([chain.operationId, todo]);
    }
    return { parts, pending, ...(wideSearchFailed ? { wideSearchFailed } : {}) };
  }

  clear(): void {
    this.loads.clear();
  }
}

/** On the caller's thread (tests, benches): the same holder, no copies. */
export function inlineAsOfChains(o: { memo?: DisclosureMemo } = {}): AsOfChains {
  const holder = new ChainsHolder(createAuditCache({ memo: o.memo ?? sharedDisclosureMemo() }));
  return {
    load: (load, input) => Promise.resolve(holder.load(load, input)),
    project: (load, points) => holder.project(load, points),
    drop: () => holder.clear(),
    close: () => Promise.resolve(holder.clear()),
  };
}

export type ChainsRequest =
  | { type: 'load'; id: number; load: number; input: ChainsInput }
  | { type: 'project'; id: number; load: number; points: Point[] };
export type ChainsResponse =
  | { id: number; ok: true; projected?: ProjectedDays | null }
  | { id: number; ok: false; error: { message: string; stack: string; code?: ErrorCode } };

/** In a worker thread of its own (the server), started when a load is made, gone when dropped. */
export function workerAsOfChains(deps: {
  logger: Logger;
  semiSpaceMb?: number;
}): AsOfChains & { running(): boolean } {
  let worker: Worker | undefined;
  let nextId = 1;
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
      if (r.ok) return p.resolve(r);
      const err = new AppError(r.error.code ?? 'internal', r.error.message);
      err.stack = r.error.stack;
      p.reject(err);
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
    async load(load, input) {
      if (closed) throw new AppError('internal', 'as-of chains closed');
      worker ??= spawn();
      await ask(worker, { type: 'load', id: nextId++, load, input });
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
