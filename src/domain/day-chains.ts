// The day chains (day-chain.ts) of the as-of answers and of the digest's days, held where
// they are audited, behind one interface: inline (tests, benches, CLIs) or, in the server,
// in a worker thread of their own (src/public/as-of-chains.ts), because auditing a day end
// is linear programs over every figure of the day — at a thousand movements 0.5–8 s of CPU,
// growing with the days — and the server's thread must keep answering meanwhile
// (docs/benchmarks.md, "The day end off the server's thread"). The caller reads the
// histories and the ledger, records what was audited before anything is served, and
// renders; the chains, the audit's memo and its wide search (HiGHS) live where the audit runs.
import type { Day } from './calendar.ts';
import {
  type AuditCache,
  type WitnessEngine,
  createAuditCache,
  loadWideSearch,
  sharedDisclosureMemo,
} from './disclosure.ts';
import type { DisclosureMemo } from './disclosure-memo.ts';
import { DayChain, type DayLedger, type PendingDay } from './day-chain.ts';
import type { OperationHistory } from './public-as-of-history.ts';
import type { PublicProjection } from './privacy.ts';

export type Point = { operationId: number; day: string };

/**
 * What the chains are made of: each operation's history and what the ledger holds of it;
 * `until`: a day not yet ended is its state at that moment (the digest sent on its day).
 */
export type ChainsInput = { histories: OperationHistory[]; ledgers: [number, DayLedger][]; until?: Date };

/** Each point's projection (the last safe day's if refused), and the days audited, to record. */
export type ProjectedDays = {
  parts: { projection: PublicProjection; day: Day; at: Date }[];
  pending: [number, PendingDay[]][];
  /** The wide search did not load: the days were audited with the dense search alone. */
  wideSearchFailed?: Error;
};

export interface DayChains {
  /** Makes the chains of a load, and answers its number; the two latest loads are kept. */
  load(input: ChainsInput): Promise<number>;
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
      chains.set(id, new DayChain(h, this.audit, ledgers.get(id), input.until));
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
export function inlineDayChains(o: { memo?: DisclosureMemo } = {}): DayChains {
  const holder = new ChainsHolder(createAuditCache({ memo: o.memo ?? sharedDisclosureMemo() }));
  let loads = 0;
  return {
    load(input) {
      holder.load(++loads, input);
      return Promise.resolve(loads);
    },
    project: (load, points) => holder.project(load, points),
    drop: () => holder.clear(),
    close: () => Promise.resolve(holder.clear()),
  };
}
