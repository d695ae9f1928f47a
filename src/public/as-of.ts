// The public JSON as of a past moment (GET /api/v1/status?asOf=), cached. The history
// of every public operation is read once per change (the same LISTEN signal as the live
// cache drops it; while not listening, a read is trusted 2 s) and replayed in memory; each
// answer is rendered, compressed and hashed once and kept in a bounded LRU (the points are
// whole days, so a few hundred per operation at most); what it keeps between answers, and
// what it drops after a settle: as-of-state.ts. Privacy: src/domain/public-as-of.ts;
// each day's end is audited with what every process published (the disclosure ledger,
// disclosure-ledger.ts) and recorded there before it is served, so every process serves
// the same bytes for a day and the live page is audited with it.
import type { Clock } from '../clock.ts';
import { endOfDay, localDay } from '../domain/calendar.ts';
import type { DisclosureMemo } from '../domain/disclosure.ts';
import {
  type AsOfRequest,
  asOfDays,
  lastEndedDay,
  mergeProjections,
  parseAsOf,
} from '../domain/public-as-of.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { statusJsonAsOf } from '../presenters/public-as-of-data.ts';
import type { Database } from '../store/database.ts';
import type { Listener } from '../store/listener.ts';
import { type DayChains, type ProjectedDays, inlineDayChains } from '../domain/day-chains.ts';
import { type Loaded, type Point, AsOfState, answerKey, settledKey } from './as-of-state.ts';
import { DisclosureLedger } from './disclosure-ledger.ts';
import { CHANGE_CHANNEL } from '../store/notify.ts';
import { contentChangedAt } from './last-modified.ts';
import { type Rendition, encodeRendered, toRendition } from './rendition.ts';

export interface AsOfService {
  /** The rendition for a raw ?asOf= value; AppError invalid_as_of / as_of_in_future / as_of_before_operation. */
  get(raw: unknown): Promise<Rendition>;
  /**
   * Records every operation's latest ended day's end, if not yet recorded, so the live page
   * is audited with it from then on (docs/privacy.md, "Pairs audited").
   */
  settle(): Promise<void>;
  /** Whether the histories and day chains are in memory (dropped after a settle: issue 20). */
  holdsHistories(): boolean;
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

/** Audits again when another process recorded a state meanwhile, at most this many times. */
const RECORD_ATTEMPTS = 4;

export function createAsOfService(deps: {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Settle each day's end soon after it ends (the server; tests call settle()). */
  settleDays?: boolean;
  /**
   * Where the day chains are held and audited (the server: a worker thread, as-of-chains.ts);
   * default: on this thread, with `memo`.
   */
  chains?: DayChains;
  /** Inline chains: whole audit outcomes kept across reloads (default: the process's, shared with the digest). */
  memo?: DisclosureMemo;
}): AsOfService {
  const { database, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let listener: Listener | undefined;
  let subscribing: Promise<void> | undefined;
  /** The version and days the last settle found nothing to record at. */
  let settled: string | undefined;
  /** Answers being made: a burst of the same request waits for one (single flight). */
  const making = new Map<string, Promise<Rendition | undefined>>();
  const now = () => clock.now().getTime();
  const ledger = new DisclosureLedger(database);
  // Their audit's memo is kept across loads: a day audited before is a program seen before,
  // and a day whose inputs did not change is not audited again (disclosure-memo.ts).
  const chains = deps.chains ?? inlineDayChains({ memo: deps.memo });
  const state = new AsOfState({
    database,
    ledger,
    chains,
    now,
    listening: () => listener?.connected() ?? false,
  });
  if (deps.settleDays) arm(SETTLE_FIRST_MS);
  /** The operations' time zones, as of the last settle (when their days end). */
  let timeZones = new Set<string>();
  // Before the return below: a const after it is never initialised (the settle timer threw).
  const untilNextSettle = () => untilNextDayEnd(now(), timeZones, SETTLE_EVERY_MS);

  const subscribe = () =>
    (subscribing ??= database
      .listen(
        CHANGE_CHANNEL,
        () => state.version++,
        () => state.version++,
      )
      .then((l) => {
        listener = l;
      })
      .catch((err: unknown) => {
        logger.warn({ err, kind: 'listen_failed' }, 'as-of answers: cannot listen for changes');
        subscribing = undefined;
      }));

  return {
    async get(raw) {
      const request = typeof raw === 'string' ? parseAsOf(raw) : null;
      if (!request)
        throw new AppError(
          'invalid_as_of',
          'asOf must be a date (2026-03-03) or an ISO 8601 time with its offset (2026-03-03T12:53:00+05:00).',
        );
      await subscribe();
      // An answer made since the last change needs no histories (dropped after a settle).
      const made = state.madeAnswer(request, clock.now());
      if (made) return made;
      state.busy++;
      try {
        for (let attempt = 1; ; attempt++) {
          const loaded = await state.current(true);
          const answer = await answerFrom(loaded, request);
          if (answer) return answer;
          // Another process recorded a state meanwhile: read again, audit again.
          state.version++;
          if (attempt >= RECORD_ATTEMPTS) throw new AppError('db_unavailable', 'As-of figures unavailable.');
        }
      } finally {
        state.busy--;
      }
    },
    settle,
    holdsHistories: () => state.holdsHistories(),
    async close() {
      closed = true;
      clearTimeout(timer);
      await listener?.close();
      await chains.close();
    },
  };

  async function settle(): Promise<void> {
    await subscribe();
    // Nothing changed since the last settle found every latest day recorded: nothing to read.
    try {
      const index = state.currentIndex();
      if (index && settled === settledKey(index, clock.now())) return;
      for (let attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
        const loaded = await state.current();
        const at = clock.now();
        timeZones = new Set(loaded.operations.map((o) => o.timeZone));
        const points: Point[] = [];
        for (const o of loaded.operations) {
          const day = lastEndedDay(at, o.timeZone);
          if (o.firstDay && day >= o.firstDay) points.push({ operationId: o.operationId, day });
        }
        const projected = await project(loaded, points);
        // Dropped meanwhile (or its worker gone): read again.
        if (!projected) {
          state.version++;
          continue;
        }
        const outcome = await recordPending(loaded, projected);
        if (outcome === 'none') {
          settled = settledKey(loaded, at);
          return;
        }
        // Recorded (by this process, or another one first: audit again, likely nothing new).
        state.version++;
        if (outcome === 'recorded') return;
      }
    } finally {
      // What the settle read goes, unless answers use it (issue 20); the answers made stay.
      state.drop();
    }
  }

  /** The points projected with the load's chains (null: dropped meanwhile, read again). */
  async function project(loaded: Loaded, points: Point[]): Promise<ProjectedDays | null> {
    const projected = await chains.project(loaded.load, points);
    if (projected?.wideSearchFailed)
      logger.warn(
        { err: projected.wideSearchFailed, kind: 'wide_search_unavailable' },
        'as-of: the audit’s wide search did not load',
      );
    return projected;
  }

  /** Records the days the chains audited; 'stale': another process recorded meanwhile. */
  async function recordPending(
    loaded: Loaded,
    projected: ProjectedDays,
  ): Promise<'none' | 'recorded' | 'stale'> {
    let outcome: 'none' | 'recorded' = 'none';
    for (const [operationId, todo] of projected.pending) {
      if (!(await ledger.record(loaded.held.get(operationId)!, todo))) return 'stale';
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
  async function answerFrom(loaded: Loaded, request: AsOfRequest): Promise<Rendition | undefined> {
    const at = clock.now();
    const points = asOfDays(loaded.operations, request, at);
    const key = answerKey(loaded, points);
    const hit = state.answer(key);
    if (hit) return hit;
    const pending = making.get(key);
    if (pending) return pending;
    const made = make(loaded, points, key, at);
    making.set(key, made);
    return made.finally(() => making.delete(key));
  }

  async function make(
    loaded: Loaded,
    points: Point[],
    key: string,
    at: Date,
  ): Promise<Rendition | undefined> {
    const projected = await project(loaded, points);
    if (!projected) return undefined; // dropped meanwhile: read again
    const { parts } = projected;
    // Recorded before served, so the live page and other processes audit with them.
    const outcome = await recordPending(loaded, projected);
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
    if (recorded) state.version++;
    else state.keep(key, rendition);
    return rendition;
  }
}
