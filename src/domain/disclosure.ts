// Small-count protection of everything public, in one call per operation:
// the figures become a table of cells and relations (disclosure-cells.ts), the
// state is joined with the previous published one and the memory of printed
// values (disclosure-time.ts), complementary cells are withheld until the exact
// audit proves every protected value possible (disclosure-suppress.ts,
// disclosure-audit.ts), and the result says how each figure may be printed.
// The rule and what it covers: docs/privacy.md.
import { type AuditCache, type AuditResult } from './disclosure-audit.ts';
import { carriedWithheld } from './disclosure-carry.ts';
import { type FigureInput, buildTable } from './disclosure-cells.ts';
import { type MemoOutcome, memoKey, memoOf } from './disclosure-memo.ts';
import { suppressTheChange } from './disclosure-joint.ts';
import type { WitnessEngine } from './disclosure-highs.ts';
import type { WithholdCause } from './disclosure-suppress.ts';
import type { Display, Table } from './disclosure-table.ts';
import { type DisclosureMemory, type PublishedState, jointProblem, remember } from './disclosure-time.ts';
import type { Headline } from './headline.ts';

export type { AuditCache, DisclosureMemory, FigureInput, PublishedState, WitnessEngine };
export { loadWideSearch } from './disclosure-highs.ts';
export { DisclosureMemo, createAuditCache, memoOf, sharedDisclosureMemo } from './disclosure-memo.ts';

export type PublicFigure =
  | { kind: 'value'; value: number }
  /** A lower bound: some people it counts have no reported figure (headline buckets only). */
  | { kind: 'at_least'; value: number }
  | { kind: 'not_reported' }
  | { kind: 'fewer_than'; threshold: number }
  | { kind: 'withheld' };

/** One operation's published state, serialisable: what the next state is audited against. */
export type Release = {
  operationId: number;
  input: FigureInput;
  /** Every printed cell not shown as a number, and how it is shown. */
  hidden: [string, Display][];
};

export type OperationDisclosure = {
  table: Table;
  headline: Headline;
  display: Map<string, Display>;
  /** The audit passed: this state may be published. */
  ok: boolean;
  audit: AuditResult;
  release: Release;
  /** Cells withheld beyond the small ones (secondary suppression). */
  withheld: number;
  /** The withheld cells by the step that withheld them (empty when republished). */
  withheldBy: Partial<Record<WithholdCause, number>>;
  rounds: number;
};

/** The states a reader can hold with this one: the first is the one it follows (incremental start). */
export type HeldStates = Release | readonly Release[];

export type DiscloseOptions = {
  /** The state published before this one, or every state a reader can hold with it (same operation). */
  previous?: HeldStates;
  /** Every value printed before (same operation); read, not changed. */
  memory?: DisclosureMemory;
  cache?: AuditCache;
  /**
   * Audit even a state a reader already holds with the same figures (a recorded day end
   * whose day before was corrected since: public-as-of.ts); it starts from the first held.
   */
  reaudit?: boolean;
  /**
   * The audit's wide witness search (HiGHS, disclosure-highs.ts), loaded by an async caller:
   * where the dense search's neighbourhood is cut at its limit, the whole component.
   */
  engine?: WitnessEngine;
};

/** The state of each release this process made or read, built once (a save's build reads the one before). */
const builtStates = new WeakMap<Release, PublishedState>();

export function stateOf(release: Release): PublishedState {
  let state = builtStates.get(release);
  if (!state) {
    state = { table: buildTable(release.input).table, display: new Map(release.hidden) };
    builtStates.set(release, state);
  }
  return state;
}

export function discloseOperation(
  operationId: number,
  input: FigureInput,
  o: DiscloseOptions = {},
): OperationDisclosure {
  const held = o.previous === undefined ? [] : 'input' in o.previous ? [o.previous] : [...o.previous];
  const { table, headline } = buildTable(input);
  // The very state a reader already holds is shown as it was: nothing new to audit,
  // and every process (or as-of answer) that meets it again prints the same bytes.
  const text = JSON.stringify(input);
  const same = o.reaudit
    ? undefined
    : held.find((r) => r.operationId === operationId && JSON.stringify(r.input) === text);
  if (same) return republished(operationId, input, table, headline, same);
  // An audit run before with the very same inputs is not run again (disclosure-memo.ts).
  const memo = memoOf(o.cache);
  const key =
    memo &&
    memoKey({
      operationId,
      input: text,
      table,
      held,
      memory: o.memory,
      reaudit: !!o.reaudit,
      engine: o.engine !== undefined,
    });
  const known = key === undefined ? undefined : memo!.get(key);
  if (known) return fromOutcome(operationId, input, table, headline, known);
  const states = held.map(stateOf);
  const problem = jointProblem(table, states, o.memory);
  // Incremental: routes whose published inputs did not change start from what the
  // previous state withheld (disclosure-carry.ts); the audit still proves the whole.
  const first = held[0];
  const seed = first ? carriedWithheld({ input: first.input, ...states[0]! }, input, table) : [];
  // Jointly with held states, a failing pair withholds more of the new state
  // (disclosure-joint.ts) before the caller falls back to the old one.
  const s = suppressTheChange(table, states, problem, new Map(input.movements.map((m) => [m.id, m.route])), {
    cache: o.cache,
    seed,
    engine: o.engine,
  });
  const display = new Map<string, Display>();
  const withheldBy: Partial<Record<WithholdCause, number>> = {};
  for (const [id, d] of s.display) {
    if (!table.has(id)) continue;
    display.set(id, d);
    const cause = d === 'withheld' ? s.causes.get(id) : undefined;
    if (cause) withheldBy[cause] = (withheldBy[cause] ?? 0) + 1;
  }
  const outcome: MemoOutcome = {
    ok: s.audit.ok,
    hidden: [...display],
    audit: s.audit,
    withheld: countWithheld(display),
    withheldBy,
    rounds: s.rounds,
  };
  if (key !== undefined) memo!.set(key, outcome);
  return fromOutcome(operationId, input, table, headline, outcome);
}

function fromOutcome(
  operationId: number,
  input: FigureInput,
  table: Table,
  headline: Headline,
  o: MemoOutcome,
): OperationDisclosure {
  const display = new Map(o.hidden);
  return {
    table,
    headline,
    display,
    ok: o.ok,
    audit: o.audit,
    release: primed({ operationId, input, hidden: o.hidden }, table, display),
    withheld: o.withheld,
    withheldBy: o.withheldBy,
    rounds: o.rounds,
  };
}

function countWithheld(display: ReadonlyMap<string, Display>): number {
  let n = 0;
  for (const d of display.values()) if (d === 'withheld') n++;
  return n;
}

/** A state a reader already holds, shown as it was: the outcome of an audit with nothing to audit. */
function republished(
  operationId: number,
  input: FigureInput,
  table: Table,
  headline: Headline,
  same: Release,
): OperationDisclosure {
  return fromOutcome(operationId, input, table, headline, {
    ok: true,
    hidden: [...same.hidden],
    audit: {
      ok: true,
      failures: [],
      stats: { components: 0, audited: 0, reused: 0, solves: 0, unknowns: 0 },
    },
    withheld: countWithheld(new Map(same.hidden)),
    withheldBy: {},
    rounds: 0,
  });
}

/** A release whose state is the table it was made from (stateOf need not build it again). */
function primed(release: Release, table: Table, display: ReadonlyMap<string, Display>): Release {
  builtStates.set(release, { table, display: new Map(display) });
  return release;
}

/** How a cell is printed; `atLeast`: its value is a lower bound. */
export function figureOf(d: OperationDisclosure, id: string, atLeast = false): PublicFigure {
  const c = d.table.get(id);
  if (!c || c.derived) return { kind: 'not_reported' };
  const shown = d.display.get(id);
  if (atLeast) {
    // "Fewer than k" would be false of a lower bound; a bound of 0 says nothing.
    // (Either way the reader learns less than the audit assumed.)
    if (shown === 'withheld') return { kind: 'withheld' };
    if (shown === 'fewer_than' || c.value === 0) return { kind: 'not_reported' };
    return { kind: 'at_least', value: c.value };
  }
  if (shown === 'fewer_than') return { kind: 'fewer_than', threshold: d.table.k };
  if (shown === 'withheld') return { kind: 'withheld' };
  return { kind: 'value', value: c.value };
}

/**
 * Once a state is published: the values it printed join each operation's memory.
 * Returns what was new (what a store of the memory must add).
 */
export function rememberReleases(
  memories: Map<number, DisclosureMemory>,
  releases: readonly Release[],
): { operationId: number; cell: string; value: number }[] {
  const added: { operationId: number; cell: string; value: number }[] = [];
  for (const r of releases) {
    let memory = memories.get(r.operationId);
    if (!memory) {
      memory = new Map();
      memories.set(r.operationId, memory);
    }
    for (const a of remember(memory, stateOf(r))) added.push({ operationId: r.operationId, ...a });
  }
  return added;
}

/** The exact values a release prints that the memory does not hold yet (what a store of it must add). */
export function newlyPrinted(
  memory: DisclosureMemory | undefined,
  release: Release,
  printed: PrintedValues = printedValues(release),
): { cell: string; value: number }[] {
  const added: { cell: string; value: number }[] = [];
  for (let i = 0; i < printed.cells.length; i++) {
    const cell = printed.cells[i]!;
    const value = printed.values[i]!;
    if (memory?.get(cell)?.includes(value)) continue;
    added.push({ cell, value });
  }
  return added;
}

/** Every exact value a release prints, as two parallel arrays (cheap to send between threads). */
export type PrintedValues = { cells: string[]; values: number[] };

export function printedValues(release: Release): PrintedValues {
  const out: PrintedValues = { cells: [], values: [] };
  const state = stateOf(release);
  for (const c of state.table.cells.values()) {
    if (c.derived || state.display.has(c.id)) continue;
    out.cells.push(c.id);
    out.values.push(c.value);
  }
  return out;
}
