// The public state as of a past moment (GET /api/v1/status?asOf=, docs/public-api.md).
//
// Privacy (docs/privacy.md, "As-of points"): a reader who can ask for any moment could
// subtract two states a minute apart and recover a small change. So the points that can
// be asked for are coarsened to the ends of whole local days that have ended — the same
// states the daily digests describe — and every such state goes through the same
// suppression and audit as the live page, chained day after day: each day's state is
// audited jointly with the day before it (where anything public changed) and against the
// memory of every exact value printed at an earlier day's end. A day whose audit fails
// shows the last day that passed.
//
// Built from the history by as-of and event times (as-of.ts), never by write time: the
// history is read once per change (src/public/as-of.ts caches it) and replayed in memory.
import type { Db } from '../store/database.ts';
import { type FigureAsOf, figureHistory } from '../store/repositories/as-of.ts';
import { listPublicOperations } from '../store/repositories/catalog.ts';
import { AppError } from '../errors.ts';
import { rewind } from './as-of.ts';
import { type Day, endOfDay, isDay, localDay, shiftDay } from './calendar.ts';
import {
  type AuditCache,
  type DisclosureMemory,
  type Release,
  discloseOperation,
  rememberReleases,
} from './disclosure.ts';
import { type PublicProjection, figureInput, isPublished, toPublicProjection } from './privacy.ts';
import { type Snapshot, loadSnapshot } from './snapshot.ts';

/** What ?asOf= asked for: a local day, or an instant (with its offset). */
export type AsOfRequest = { kind: 'day'; day: Day } | { kind: 'instant'; at: Date };

const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** "2026-03-03", or an ISO 8601 time with its offset ("2026-03-03T12:53+05:00", "…Z"); null if neither. */
export function parseAsOf(raw: string): AsOfRequest | null {
  if (raw.length > 40) return null;
  if (isDay(raw)) return { kind: 'day', day: raw };
  const m = INSTANT.exec(raw);
  if (!m || !isDay(m[1]!)) return null;
  const at = new Date(raw);
  return Number.isNaN(at.getTime()) ? null : { kind: 'instant', at };
}

/** The latest local day whose end is at or before `at`: the point an instant is coarsened to. */
export function lastEndedDay(at: Date, timeZone: string): Day {
  const day = localDay(at, timeZone);
  return endOfDay(day, timeZone).getTime() <= at.getTime() ? day : shiftDay(day, -1);
}

/** One operation's history, loaded once, replayed day by day. */
export type OperationHistory = {
  live: Snapshot;
  /** Every recorded figure, in as-of order. */
  history: FigureAsOf[];
  /** The first local day anything about it was known; null: nothing yet. */
  firstDay: Day | null;
};

/** The live snapshots of every public operation (or only `only`: the digest's), every notice kept, and their histories. */
export async function loadOperationHistories(db: Db, only?: number): Promise<OperationHistory[]> {
  return db.transaction(
    async (tx) => {
      const out: OperationHistory[] = [];
      for (const op of await listPublicOperations(tx)) {
        if (only !== undefined && op.id !== only) continue;
        // now = 0: no notice is filtered out as expired; each day filters its own.
        const live = await loadSnapshot({ db: tx, now: new Date(0) }, op);
        const ids = live.routes.flatMap((r) => r.movements.map((m) => m.id));
        const history = await figureHistory(tx, ids);
        out.push({ live, history, firstDay: firstDay(live, history) });
      }
      return out;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function firstDay(live: Snapshot, history: FigureAsOf[]): Day | null {
  const times: number[] = history.length ? [history[0]!.asOf.getTime()] : [];
  for (const r of live.routes)
    for (const m of r.movements)
      for (const t of [m.createdAt, m.departedAt, m.arrivedAt, m.statusAsOf, m.cancelledAt])
        if (t) times.push(t.getTime());
  if (times.length === 0) return null;
  return localDay(new Date(Math.min(...times)), live.operation.timeZone);
}

const key = (f: FigureAsOf) => `${f.movementId}.${f.stage}.${f.field}`;

/** Each figure's last value as of `at` (the history is in as-of order). */
function valuesAsOf(history: FigureAsOf[], at: Date): FigureAsOf[] {
  const values = new Map<string, FigureAsOf>();
  for (const f of history) {
    if (f.asOf.getTime() > at.getTime()) break;
    values.set(key(f), f);
  }
  return [...values.values()];
}

/** The operation as the public would have seen it at `at` (notices of that moment only). */
function snapshotAt(h: OperationHistory, figures: FigureAsOf[], at: Date): Snapshot {
  const s = rewind(h.live, figures, at);
  const t = at.getTime();
  const op = s.operation;
  // Closed later: it was still active then.
  const closedLater = op.status === 'closed' && op.closedAt !== null && op.closedAt.getTime() > t;
  return {
    ...s,
    operation: closedLater ? { ...op, status: 'active' } : op,
    notices: s.notices.filter(
      (n) => n.publishedAt.getTime() <= t && (!n.expiresAt || n.expiresAt.getTime() > t),
    ),
  };
}

/** A day whose published figures differ from the day before: its release (null: refused). */
type ChainEntry = { day: Day; release: Release | null };

/**
 * What every process published of one operation (src/public/disclosure-ledger.ts): the
 * live version, each day's end recorded, every exact value printed. Read, not changed.
 */
export type DayLedger = {
  live?: Release;
  days: ReadonlyMap<Day, { release: Release; text: string }>;
  memory?: DisclosureMemory;
};

/**
 * One operation's states at the ends of its days, audited in order. Extended on demand
 * up to the latest day asked for; only days where a published figure changed are kept.
 * A day recorded before with the same figures is shown as it was; a new one is audited
 * with the day before it, the live version published now, what was recorded for that
 * day before (a correction), and every value printed; it is recorded (`pending`) before
 * it is served.
 */
export class DayChain {
  private readonly entries: ChainEntry[] = [];
  private through: Day | null = null;
  private pos = 0;
  private readonly values = new Map<string, FigureAsOf>();
  private lastInput: string | null = null;
  /** The last day audited now shows something else than what was recorded for it. */
  private rewritten = false;
  private readonly memory = new Map<number, DisclosureMemory>();
  /** Days audited here, not yet recorded. */
  readonly pending: { point: Day; release: Release }[] = [];

  constructor(
    readonly h: OperationHistory,
    private readonly cache: AuditCache,
    private readonly ledger: DayLedger = { days: new Map() },
    /** A day not yet ended is its state at this moment (the digest sent on its day), not at its end. */
    private readonly until?: Date,
  ) {
    const shared: DisclosureMemory = new Map();
    for (const [cell, values] of ledger.memory ?? []) shared.set(cell, [...values]);
    this.memory.set(h.live.operation.id, shared);
  }

  get operationId() {
    return this.h.live.operation.id;
  }

  private extend(to: Day) {
    const { h } = this;
    const op = h.live.operation;
    if (!h.firstDay) return;
    let day = this.through ? shiftDay(this.through, 1) : h.firstDay;
    for (; day <= to; day = shiftDay(day, 1)) {
      const at = this.endOf(day);
      while (this.pos < h.history.length && h.history[this.pos]!.asOf.getTime() <= at.getTime()) {
        const f = h.history[this.pos++]!;
        this.values.set(key(f), f);
      }
      const snap = snapshotAt(h, [...this.values.values()], at);
      const input = figureInput(snap, (m) => isPublished(m, op.publicationDelayMinutes, at));
      const text = JSON.stringify(input);
      this.through = day;
      if (text === this.lastInput) continue;
      this.lastInput = text;
      const before = lastOf(this.entries, (e) => e.release !== null)?.release ?? undefined;
      const recorded = this.ledger.days.get(day);
      // After a backdated correction, the day before may now print something else than
      // when this day was recorded: this day is audited again jointly with it, starting
      // from what was recorded (kept as it was if the pair passes), even with the same figures.
      const again =
        this.rewritten && recorded !== undefined && JSON.stringify(recorded.release.input) === text;
      const held = again
        ? [recorded.release, before, this.ledger.live]
        : [before, recorded?.release, this.ledger.live];
      const d = discloseOperation(op.id, input, {
        previous: held.filter((r) => r !== undefined),
        memory: this.memory.get(op.id),
        cache: this.cache,
        reaudit: again,
      });
      // The same cells hidden as recorded: the recorded state stands, byte for byte.
      const release = again && d.ok && sameHidden(d.release, recorded.release) ? recorded.release : d.release;
      const changed = d.ok && JSON.stringify(release) !== recorded?.text;
      if (d.ok) {
        rememberReleases(this.memory, [release]);
        if (changed) this.pending.push({ point: day, release });
      }
      // A day recorded again (or refused now) makes the next recorded day pair with a new state.
      this.rewritten = recorded !== undefined && (changed || !d.ok);
      this.entries.push({ day, release: d.ok ? release : null });
    }
  }

  private endOf(day: Day): Date {
    const end = endOfDay(day, this.h.live.operation.timeZone);
    return this.until && this.until.getTime() < end.getTime() ? this.until : end;
  }

  /** The public projection of this operation at the end of `day` (the last safe day's if refused). */
  project(day: Day): { projection: PublicProjection; day: Day; at: Date } {
    this.extend(day);
    const entry = lastOf(this.entries, (e) => e.day <= day);
    const safe = lastOf(this.entries, (e) => e.day <= day && e.release !== null);
    const shown = entry?.release ? day : safe?.day;
    if (!shown || !safe) throw new AppError('internal', 'No safe state of that day.');
    const at = this.endOf(shown);
    const id = this.operationId;
    // The state audited in extend(), shown as it was (same figures: the same release).
    const projection = toPublicProjection(snapshotAt(this.h, valuesAsOf(this.h.history, at), at), at, {
      previous: new Map([[id, [safe.release!]]]),
      cache: this.cache,
    });
    const same = JSON.stringify(projection.disclosure.releases[0]) === JSON.stringify(safe.release);
    if (!same) throw new AppError('internal', 'The as-of state does not replay.');
    return { projection, day: shown, at };
  }
}

function sameHidden(a: Release, b: Release): boolean {
  const key = (r: Release) => JSON.stringify([...r.hidden].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
  return key(a) === key(b);
}

function lastOf<T>(list: readonly T[], test: (x: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return list[i];
  return undefined;
}

/** Where each operation's as-of point falls, or why there is none. */
export function asOfDays(
  histories: OperationHistory[],
  request: AsOfRequest,
  now: Date,
): { operationId: number; day: Day }[] {
  const points: { operationId: number; day: Day }[] = [];
  let future = false;
  let earliest: Day | null = null;
  for (const h of histories) {
    const tz = h.live.operation.timeZone;
    const day = request.kind === 'day' ? request.day : lastEndedDay(request.at, tz);
    if (day > lastEndedDay(now, tz)) {
      future = true;
      continue;
    }
    if (!h.firstDay) continue;
    if (!earliest || h.firstDay < earliest) earliest = h.firstDay;
    if (day < h.firstDay) continue;
    points.push({ operationId: h.live.operation.id, day });
  }
  if (future)
    throw new AppError(
      'as_of_in_future',
      `No state as of that moment yet: the latest is the end of ${lastEndedDay(now, histories[0]!.live.operation.timeZone)}; the live figures are /api/v1/status.`,
    );
  if (points.length === 0)
    throw new AppError(
      'as_of_before_operation',
      earliest
        ? `Nothing was known yet at that moment: the first day with figures is ${earliest}.`
        : 'Nothing has been published yet.',
    );
  return points;
}

/** Several operations' projections as one (each was projected at its own day's end). */
export function mergeProjections(parts: PublicProjection[], at: Date): PublicProjection {
  const last = parts.map((p) => p.lastUpdatedAt.getTime());
  return {
    operations: parts.flatMap((p) => p.operations),
    generatedAt: at,
    lastUpdatedAt: new Date(last.length ? Math.max(...last) : 0),
    validUntil: null,
    disclosure: {
      ok: parts.every((p) => p.disclosure.ok),
      releases: parts.flatMap((p) => p.disclosure.releases),
      operations: parts.flatMap((p) => p.disclosure.operations),
    },
  };
}
