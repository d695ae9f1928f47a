// The public JSON as of a past moment (GET /api/v1/status?asOf=), cached. The history
// of every public operation is read once per change (the same LISTEN signal as the live
// cache drops it; while not listening, a read is trusted 2 s) and replayed in memory; each
// answer is rendered, compressed and hashed once and kept in a bounded LRU (the points are
// whole days, so a few hundred per operation at most). Privacy: src/domain/public-as-of.ts;
// each day's end is audited with what every process published (the disclosure ledger,
// disclosure-ledger.ts) and recorded there before it is served, so every process serves
// the same bytes for a day and the live page is audited with it.
import type { Clock } from '../clock.ts';
import { endOfDay, localDay } from '../domain/calendar.ts';
import { type DisclosureMemo, createAuditCache, sharedDisclosureMemo } from '../domain/disclosure.ts';
import {
  type AsOfRequest,
  DayChain,
  type OperationHistory,
  asOfDays,
  lastEndedDay,
  loadOperationHistories,
  mergeProjections,
  parseAsOf,
} from '../domain/public-as-of.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { statusJsonAsOf } from '../presenters/public-as-of-data.ts';
import type { Database } from '../store/database.ts';
import type { Listener } from '../store/listener.ts';
import { DisclosureLedger, type Held } from './disclosure-ledger.ts';
import { CHANGE_CHANNEL } from '../store/notify.ts';
import { contentChangedAt } from './last-modified.ts';
import { type Rendition, encodeRendered, toRendition } from './rendition.ts';

/** Answers kept (each a few KB for the seed; the LRU drops the least recently asked). */
const MAX_ANSWERS = 64;
/** Without the change signal, a read of the history is trusted this long. */
const UNSIGNALLED_MS = 2_000;
/** …and with it, this long at most (a safety net, as in cache.ts). */
const MAX_AGE_MS = 10 * 60_000;

export interface AsOfService {
  /** The rendition for a raw ?asOf= value; AppError invalid_as_of / as_of_in_future / as_of_before_operation. */
  get(raw: unknown): Promise<Rendition>;
  /**
   * Records every operation's latest ended day's end, if not yet recorded, so the live page
   * is audited with it from then on (docs/privacy.md, "Pairs audited").
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** With `settleDays`: the first settle this long after start, then every SETTLE_EVERY_MS. */
const SETTLE_FIRST_MS = 5_000;
const SETTLE_EVERY_MS = 5 * 60_000;
/** A settle right after a day ends runs this long after its last millisecond. */
const DAY_END_GRACE_MS = 1_000;

/**
 * Until the next settle: a second after the next end of a local day in any of these time
 * zones, or `every` if sooner. A day end recorded as soon as it ends leaves only seconds
 * in which a live version is built without it (docs/privacy.md, "Pairs audited").
 */
export function untilNextDayEnd(now: number, timeZones: Iterable<string>, every: number): number {
  let next = every;
  for (const tz of timeZones) {
    const end = endOfDay(localDay(new Date(now), tz), tz).getTime() + DAY_END_GRACE_MS;
    if (end > now) next = Math.min(next, end - now);
  }
  return Math.max(next, DAY_END_GRACE_MS);
}

type Loaded = {
  version: number;
  at: number;
  histories: OperationHistory[];
  chains: Map<number, DayChain>;
  held: Map<number, Held>;
};

/** Audits again when another process recorded a state meanwhile, at most this many times. */
const RECORD_ATTEMPTS = 4;

export function createAsOfService(deps: {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Settle each day's end soon after it ends (the server; tests call settle()). */
  settleDays?: boolean;
  /** Whole audit outcomes kept across reloads (default: the process's, shared with the digest). */
  memo?: DisclosureMemo;
}): AsOfService {
  const { database, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let version = 0;
  let listener: Listener | undefined;
  let subscribing: Promise<void> | undefined;
  let loaded: Promise<Loaded> | undefined;
  let loadedMeta: { version: number; at: number } | undefined;
  const answers = new Map<string, Rendition>();
  /** Answers being made: a burst of the same request waits for one (single flight). */
  const making = new Map<string, Promise<Rendition | undefined>>();
  const now = () => clock.now().getTime();
  const ledger = new DisclosureLedger(database);
  if (deps.settleDays) arm(SETTLE_FIRST_MS);
  // Kept across loads: a day audited before is a program seen before, and a day whose
  // inputs did not change (a refused one after an unrelated save) is not audited again.
  const audit = createAuditCache({ memo: deps.memo ?? sharedDisclosureMemo() });
  /** The operations' time zones, as of the last settle (when their days end). */
  let timeZones = new Set<string>();
  // Before the return below: a const after it is never initialised (the settle timer threw).
  const untilNextSettle = () => untilNextDayEnd(now(), timeZones, SETTLE_EVERY_MS);

  const subscribe = () =>
    (subscribing ??= database
      .listen(
        CHANGE_CHANNEL,
        () => version++,
        () => version++,
      )
      .then((l) => {
        listener = l;
      })
      .catch((err: unknown) => {
        logger.warn({ err, kind: 'listen_failed' }, 'as-of answers: cannot listen for changes');
        subscribing = undefined;
      }));

  function current(): Promise<Loaded> {
    const listening = listener?.connected() ?? false;
    const maxAge = listening ? MAX_AGE_MS : UNSIGNALLED_MS;
    if (loaded && loadedMeta && loadedMeta.version === version && now() - loadedMeta.at < maxAge)
      return loaded;
    const meta = { version, at: now() };
    loadedMeta = meta;
    answers.clear();
    loaded = loadOperationHistories(database.db).then(async (histories) => {
      const held = await ledger.held(histories.map((h) => h.live.operation.id));
      const chains = new Map<number, DayChain>();
      for (const h of histories) {
        const id = h.live.operation.id;
        const state = held.get(id)!;
        const stored = await ledger.releases(
          id,
          [...state.days].map(([point, seq]) => ({ point, seq })),
        );
        chains.set(
          id,
          new DayChain(h, audit, { live: state.live?.release, days: stored, memory: ledger.memory.get(id) }),
        );
      }
      return { ...meta, histories, chains, held };
    });
    loaded.catch(() => {
      loaded = undefined;
      loadedMeta = undefined;
    });
    return loaded;
  }

  return {
    async get(raw) {
      const request = typeof raw === 'string' ? parseAsOf(raw) : null;
      if (!request)
        throw new AppError(
          'invalid_as_of',
          'asOf must be a date (2026-03-03) or an ISO 8601 time with its offset (2026-03-03T12:53:00+05:00).',
        );
      await subscribe();
      for (let attempt = 1; ; attempt++) {
        const state = await current();
        const answer = await answerFrom(state, request);
        if (answer) return answer;
        // Another process recorded a state meanwhile: read again, audit again.
        version++;
        if (attempt >= RECORD_ATTEMPTS) throw new AppError('db_unavailable', 'As-of figures unavailable.');
      }
    },
    settle,
    async close() {
      closed = true;
      clearTimeout(timer);
      await listener?.close();
    },
  };

  async function settle(): Promise<void> {
    await subscribe();
    for (let attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
      const state = await current();
      const at = clock.now();
      timeZones = new Set(state.histories.map((h) => h.live.operation.timeZone));
      for (const h of state.histories) {
        const day = lastEndedDay(at, h.live.operation.timeZone);
        if (h.firstDay && day >= h.firstDay) state.chains.get(h.live.operation.id)!.project(day);
      }
      const outcome = await recordPending(state);
      if (outcome === 'none') return;
      // Recorded (by this process, or another one first: audit again, likely nothing new).
      version++;
      if (outcome === 'recorded') return;
    }
  }

  /** Records the days the chains audited; 'stale': another process recorded meanwhile. */
  async function recordPending(state: Loaded): Promise<'none' | 'recorded' | 'stale'> {
    let outcome: 'none' | 'recorded' = 'none';
    for (const chain of state.chains.values()) {
      const todo = chain.pending.splice(0);
      if (todo.length === 0) continue;
      if (!(await ledger.record(state.held.get(chain.operationId)!, todo))) return 'stale';
      outcome = 'recorded';
    }
    return outcome;
  }

  function arm(ms: number) {
    timer = setTimeout(() => {
      void settle()
        .catch((err: unknown) =>
          logger.warn({ err, kind: 'as_of_settle_failed' }, 'as-of: cannot settle the day'),
        )
        .finally(() => {
          if (!closed) arm(untilNextSettle());
        });
    }, ms);
    timer.unref();
  }

  /** The answer, or undefined if the days it audited could not be recorded (audit again). */
  async function answerFrom(state: Loaded, request: AsOfRequest): Promise<Rendition | undefined> {
    const at = clock.now();
    const points = asOfDays(state.histories, request, at);
    const key = `${state.version}:${points.map((p) => `${p.operationId}@${p.day}`).join(',')}`;
    const hit = answers.get(key);
    if (hit) {
      answers.delete(key);
      answers.set(key, hit);
      return hit;
    }
    const pending = making.get(key);
    if (pending) return pending;
    const made = make(state, points, key, at);
    making.set(key, made);
    return made.finally(() => making.delete(key));
  }

  async function make(
    state: Loaded,
    points: { operationId: number; day: string }[],
    key: string,
    at: Date,
  ): Promise<Rendition | undefined> {
    const parts = points.map((p) => state.chains.get(p.operationId)!.project(p.day));
    // Recorded before served, so the live page and other processes audit with them.
    const outcome = await recordPending(state);
    if (outcome === 'stale') return undefined;
    const recorded = outcome === 'recorded';
    const projection = mergeProjections(
      parts.map((x) => x.projection),
      at,
    );
    const body = JSON.stringify(
      statusJsonAsOf(
        projection,
        parts.map((x, i) => ({ operationId: points[i]!.operationId, day: x.day, at: x.at })),
      ),
      null,
      1,
    );
    const encoded = await encodeRendered({ body, contentType: 'application/json; charset=utf-8' });
    const end = new Date(Math.max(...parts.map((x) => x.at.getTime())));
    const rendition = toRendition(encoded, {
      previous: undefined,
      changedAt: contentChangedAt(projection, 'json', end),
      readAt: end,
      degraded: false,
    });
    // What this process recorded moved the version: the next request reads it again.
    if (recorded) version++;
    else {
      answers.set(key, rendition);
      if (answers.size > MAX_ANSWERS) answers.delete(answers.keys().next().value!);
    }
    return rendition;
  }
}
