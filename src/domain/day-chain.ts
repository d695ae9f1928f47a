// One operation's public states at the ends of its local days, audited in order
// (docs/privacy.md, "As-of points", "A refused day end"). The as-of answers
// (src/public/as-of.ts) and the digest's days (digest/public-days.ts) read it.
import { createHash } from 'node:crypto';
import { AppError } from '../errors.ts';
import { type Day, endOfDay, shiftDay } from './calendar.ts';
import {
  type AuditCache,
  type DisclosureMemory,
  type FigureInput,
  type Release,
  type WitnessEngine,
  discloseOperation,
  rememberReleases,
} from './disclosure.ts';
import { wideSearchWorthLoading } from './disclosure-highs.ts';
import { type Refusal, storedText } from './disclosure-ledger.ts';
import { type PublicProjection, figureInput, isPublished, toPublicProjection } from './privacy.ts';
import type { FigureAsOf } from '../store/repositories/as-of.ts';
import { type OperationHistory, figureKey, snapshotAt, valuesAsOf } from './public-as-of-history.ts';

/** A day whose published figures differ from the day before: its release (null: refused). */
type ChainEntry = { day: Day; release: Release | null };

/** A day end as the ledger holds it (a refused one: `release` is the state it shows). */
export type RecordedDay = { release: Release; text: string; refused?: Refusal };

/**
 * What every process published of one operation (src/public/disclosure-ledger.ts): the
 * live version, each day's end recorded, every exact value printed. Read, not changed.
 */
export type DayLedger = {
  live?: Release;
  days: ReadonlyMap<Day, RecordedDay>;
  memory?: DisclosureMemory;
};

/** A day end to record: its release, or (refused) the state it shows and its figures' digest. */
export type PendingDay = { point: Day; release: Release; refused?: Refusal };

/** A day recorded as passed, with exactly these figures (the input's text). */
const passedWith = (recorded: { refused?: Refusal; release: Release }, text: string) =>
  !recorded.refused && JSON.stringify(recorded.release.input) === text;

/** The SHA-256 of a day's figure input text: what a refused day is recorded with. */
const figuresDigest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One operation's states at the ends of its days, audited in order. Extended on demand
 * up to the latest day asked for; only days where a published figure changed are kept.
 * A day recorded before with the same figures is shown as it was — a refused one too, if
 * the last day that passed before it is still the state it showed; a new one is audited
 * with every day end before it (any two as-of points), the live version published now,
 * what was recorded for that day before (a correction), and every value printed; it is
 * recorded (`pending`) before it is served, refused or not. The async caller loads the
 * audit's wide search (`engine`, HiGHS) first when `needsWideSearch` says a day is to be audited.
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
  readonly pending: PendingDay[] = [];
  /** Days replayed (their figures changed), not yet audited. */
  private readonly planned: { day: Day; text: string; input: FigureInput }[] = [];
  /** The audit's wide search (HiGHS), loaded by the async caller when `needsWideSearch`. */
  engine: WitnessEngine | undefined;

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

  /** Replays the history up to the end of `to`: the days whose published figures changed, not yet audited. */
  private plan(to: Day) {
    const { h } = this;
    const op = h.live.operation;
    if (!h.firstDay) return;
    let day = this.through ? shiftDay(this.through, 1) : h.firstDay;
    for (; day <= to; day = shiftDay(day, 1)) {
      const at = this.endOf(day);
      while (this.pos < h.history.length && h.history[this.pos]!.asOf.getTime() <= at.getTime()) {
        const f = h.history[this.pos++]!;
        this.values.set(figureKey(f), f);
      }
      const snap = snapshotAt(h, [...this.values.values()], at);
      const input = figureInput(snap, (m) => isPublished(m, op.publicationDelayMinutes, at));
      const text = JSON.stringify(input);
      this.through = day;
      if (text === this.lastInput) continue;
      this.lastInput = text;
      this.planned.push({ day, text, input });
    }
  }

  private extend(to: Day) {
    this.plan(to);
    for (const { day, text, input } of this.planned.splice(0))
      this.entries.push({ day, release: this.audit(day, text, input) });
  }

  /**
   * Whether showing the days up to `to` audits a day (one not recorded with these figures) whose
   * table is large enough for the audit's wide search (`wideSearchWorthLoading`): the async
   * caller then loads it first (`engine`). A day audited without it is audited with the dense
   * search alone (a day it misses, a small table): a refusal at worst, never less safe.
   */
  needsWideSearch(to: Day): boolean {
    this.plan(to);
    return this.planned.some(({ day, text, input }) => {
      if (!wideSearchWorthLoading(input)) return false;
      const recorded = this.ledger.days.get(day);
      if (!recorded) return true;
      if (recorded.refused) return recorded.refused.figures !== figuresDigest(text);
      return !passedWith(recorded, text);
    });
  }

  /** Day `day`'s release, or null if refused (it then shows the last day that passed). */
  private audit(day: Day, text: string, input: ReturnType<typeof figureInput>): Release | null {
    const op = this.h.live.operation;
    const before = lastOf(this.entries, (e) => e.release !== null)?.release ?? undefined;
    const recorded = this.ledger.days.get(day);
    const refusal = recorded?.refused;
    // A refusal recorded for this day showed `before`, unchanged since: readers hold it already.
    const showsBefore = refusal !== undefined && before !== undefined && sameState(recorded!.release, before);
    if (showsBefore && refusal.figures === figuresDigest(text)) {
      // Refused before with these very figures, showing what it would show now: shown so
      // again, not audited again (a retry when its figures or the day before change).
      this.rewritten = false;
      return null;
    }
    // After a backdated correction, the day before may now print something else than
    // when this day was recorded: this day is audited again jointly with it, starting
    // from what was recorded (kept as it was if the pair passes), even with the same figures.
    const asRecorded = recorded !== undefined && passedWith(recorded, text);
    const again = this.rewritten && asRecorded;
    // Every day end a reader can hold with this one: the day before first (the incremental
    // start), then every earlier day that passed, latest first (docs/privacy.md, "Pairs audited").
    const earlier = this.entries
      .filter((e) => e.release !== null && e.release !== before)
      .map((e) => e.release!)
      .reverse();
    // A day whose figures are the live version's (not recorded for this day with them): that
    // state was audited with the latest day end only, not with every earlier one, so it is
    // audited again here, starting from the live version's display (kept if it passes).
    const live = this.ledger.live;
    const likeLive = !again && !asRecorded && live !== undefined && JSON.stringify(live.input) === text;
    const held = again
      ? [recorded.release, before, ...earlier, live]
      : likeLive
        ? [live, before, ...earlier, showsBefore ? undefined : recorded?.release]
        : [before, ...earlier, showsBefore ? undefined : recorded?.release, live];
    const d = discloseOperation(op.id, input, {
      previous: held.filter((r) => r !== undefined),
      memory: this.memory.get(op.id),
      cache: this.cache,
      reaudit: again || likeLive,
      engine: this.engine,
    });
    if (!d.ok) {
      // Shown: the last day that passed. Recorded as such (with a digest of its own
      // figures), so that a reload does not audit it again on the server's thread.
      if (before) {
        const refused = { day, figures: figuresDigest(text) };
        if (storedText(before, refused) !== recorded?.text)
          this.pending.push({ point: day, release: before, refused });
      }
      // The next recorded day was audited with what this day showed when it was recorded
      // (unrecorded: what the day before it showed, which `rewritten` already says).
      this.rewritten = recorded === undefined ? this.rewritten : !sameState(recorded.release, before);
      return null;
    }
    // The same cells hidden as recorded: the recorded state stands, byte for byte.
    const release = again && sameHidden(d.release, recorded.release) ? recorded.release : d.release;
    const changed = JSON.stringify(release) !== recorded?.text;
    rememberReleases(this.memory, [release]);
    if (changed) this.pending.push({ point: day, release });
    // A day recorded again, or new in the chain (a correction made its figures differ from
    // the day before's), makes the next recorded day pair with a new state.
    this.rewritten = recorded === undefined || changed;
    return release;
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

/** The same published state: figures and display (a refusal's shown state against the chain's). */
function sameState(a: Release, b: Release | undefined): boolean {
  return (
    b !== undefined &&
    a.operationId === b.operationId &&
    JSON.stringify(a.input) === JSON.stringify(b.input) &&
    JSON.stringify(a.hidden) === JSON.stringify(b.hidden)
  );
}

function sameHidden(a: Release, b: Release): boolean {
  const key = (r: Release) => JSON.stringify([...r.hidden].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
  return key(a) === key(b);
}

function lastOf<T>(list: readonly T[], test: (x: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return list[i];
  return undefined;
}
