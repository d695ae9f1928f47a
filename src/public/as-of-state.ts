// What the as-of service (as-of.ts) keeps between answers: the change version its answers
// are made at, the answers made (a bounded LRU), and — to make a new one — every public
// operation's history and day chain, read once per change and held where they are audited
// (as-of-chains.ts: a worker thread in the server). Those are MBs at thousands of movements
// (issue 20), so they are dropped after a settle and read again when an answer not yet made
// needs them; the answers made and a small index (each operation's time zone and first
// day) stay, so a repeated answer needs no read.
import {
  type AsOfOperation,
  type AsOfRequest,
  type DayLedger,
  asOfDays,
  asOfOperations,
  lastEndedDay,
  loadOperationHistories,
} from '../domain/public-as-of.ts';
import type { Database } from '../store/database.ts';
import type { DayChains, Point } from '../domain/day-chains.ts';
import type { DisclosureLedger, Held } from './disclosure-ledger.ts';
import type { Rendition } from './rendition.ts';

export type { Point } from '../domain/day-chains.ts';

/** Answers kept (each a few KB for the seed; the LRU drops the least recently asked). */
const MAX_ANSWERS = 64;
/** Without the change signal, a read of the history is trusted this long. */
const UNSIGNALLED_MS = 2_000;
/** …and with it, this long at most (a safety net, as in cache.ts). */
const MAX_AGE_MS = 10 * 60_000;

/** The change version the answers are made at, and when it was read. */
type Meta = { version: number; at: number };
/** What finding a made answer needs: a few bytes per operation. */
export type Index = Meta & { operations: AsOfOperation[] };
/** What making an answer needs: its chains (held by `chains` under the number `load`) and the ledger's heads. */
export type Loaded = Index & { load: number; held: Map<number, Held> };

export class AsOfState {
  /** Raised by every change signal, and when this process recorded a state (read again). */
  version = 0;
  /** Answers being looked up or made: the histories are not dropped under them. */
  busy = 0;
  /** An answer read the histories since the last drop() call: readers are about, keep them. */
  private used = false;
  private meta: Meta | undefined;
  private index: Index | undefined;
  private loaded: Promise<Loaded> | undefined;
  private readonly answers = new Map<string, Rendition>();

  constructor(
    private readonly o: {
      database: Database;
      ledger: DisclosureLedger;
      /** Where the chains are held and audited (their audit's memo is kept across loads there). */
      chains: DayChains;
      now: () => number;
      listening: () => boolean;
    },
  ) {}

  /** The answers made are still those of the current version (signal, or age without one). */
  fresh(): boolean {
    const maxAge = this.o.listening() ? MAX_AGE_MS : UNSIGNALLED_MS;
    const m = this.meta;
    return m !== undefined && m.version === this.version && this.o.now() - m.at < maxAge;
  }

  /** The index of the current version, if it is read (null: read it with current()). */
  currentIndex(): Index | null {
    return this.index && this.fresh() ? this.index : null;
  }

  /** The histories and chains of the current version, read if needed (`answering`: for an answer). */
  current(answering = false): Promise<Loaded> {
    if (answering) this.used = true;
    if (!this.fresh()) {
      this.meta = { version: this.version, at: this.o.now() };
      this.index = undefined;
      this.answers.clear();
      this.loaded = undefined;
    }
    if (this.loaded) return this.loaded;
    // Read again at the same version after the histories were dropped: the answers made
    // stand (nothing public changed; what other processes recorded meanwhile, they serve too).
    const m = this.meta!;
    const made = this.load(m);
    this.loaded = made;
    made.then(
      (state) => {
        if (this.meta === m) this.index = { ...m, operations: state.operations };
      },
      () => {
        if (this.loaded === made) this.loaded = undefined;
        if (this.meta === m) this.meta = undefined;
      },
    );
    return made;
  }

  private async load(m: Meta): Promise<Loaded> {
    const { database, ledger, chains } = this.o;
    const histories = await loadOperationHistories(database.db);
    const held = await ledger.held(histories.map((h) => h.live.operation.id));
    const ledgers: [number, DayLedger][] = [];
    for (const h of histories) {
      const id = h.live.operation.id;
      const state = held.get(id)!;
      const stored = await ledger.releases(
        id,
        [...state.days].map(([point, seq]) => ({ point, seq })),
      );
      ledgers.push([id, { live: state.live?.release, days: stored, memory: ledger.memory.get(id) }]);
    }
    const load = await chains.load({ histories, ledgers });
    return { ...m, operations: asOfOperations(histories), load, held };
  }

  /** An answer made at this version for these points (the most recently used last out). */
  answer(key: string): Rendition | undefined {
    const hit = this.answers.get(key);
    if (hit) {
      this.answers.delete(key);
      this.answers.set(key, hit);
    }
    return hit;
  }

  /** An answer already made at this version: found without the histories. */
  madeAnswer(request: AsOfRequest, at: Date): Rendition | undefined {
    const index = this.currentIndex();
    return index ? this.answer(answerKey(index, asOfDays(index.operations, request, at))) : undefined;
  }

  keep(key: string, rendition: Rendition): void {
    this.answers.set(key, rendition);
    if (this.answers.size > MAX_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
  }

  /**
   * Called after each settle: drops the histories and chains, unless an answer read them
   * since the last call (readers are about: an answer not yet made needs them, and reading
   * them again would make it slower) or is being made. So an idle service holds them for
   * one settle interval at most, and a service answering `?asOf=` keeps them while it does;
   * the next save reads them again anyway.
   */
  drop(): void {
    if (this.busy === 0 && !this.used) {
      this.loaded = undefined;
      this.o.chains.drop();
    }
    this.used = false;
  }

  holdsHistories(): boolean {
    return this.loaded !== undefined;
  }
}

export function answerKey(index: Meta, points: Point[]): string {
  return `${index.version}:${points.map((p) => `${p.operationId}@${p.day}`).join(',')}`;
}

/** The version and each operation's latest ended day: a settle at the same key has nothing new. */
export function settledKey(index: Index, at: Date): string {
  const days = index.operations.map((o) => `${o.operationId}@${lastEndedDay(at, o.timeZone)}`);
  return `${index.version}:${days.join(',')}`;
}
