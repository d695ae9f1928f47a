// Disclosure across time. A reader can keep every state we publish, so a new
// state is audited together with the one before it, and against a memory of
// every exact value ever printed (docs/privacy.md, "Across time").
//
// The joint table: the new state's cells, plus the previous state's cells that
// changed since (renamed `p:<id>`, with the relations and display they had), plus
// a change cell `d:<id>` = new − old for each of them, protected like any count
// of people. A cell whose true value did not change is one cell in both states
// (a reader who sees "updated at" can tell it did not move), so what either state
// printed of it, the reader knows now: it cannot be hidden again, and it is not.
//
// Several held states (the live page's previous version, the as-of day ends around
// it: docs/privacy.md, "Pairs audited") join the same way: state i's changed cells
// are `p<i>:<id>` with changes `d<i>:<id>` (i = 0 unsuffixed), a past value shared by
// two held states is one cell, and what each state showed of a cell is intersected.
import type { Cell, Display, Protected, Relation, Table } from './disclosure-table.ts';
import { Table as TableClass, readerBounds, widest } from './disclosure-table.ts';

/** A state as published: its table and how each printed cell was shown. */
export type PublishedState = { table: Table; display: ReadonlyMap<string, Display> };

/** Every exact value ever printed, per cell id (one operation). */
export type DisclosureMemory = Map<string, number[]>;

export type JointProblem = {
  table: Table;
  items: Protected[];
  /** Cells a reader already knows, or past ones: never (re)hidden. */
  frozen: Set<string>;
  /** What the previous state showed of cells unchanged since. */
  extra: Map<string, [number, number]>;
  /** How the previous state showed its renamed cells. */
  initial: Map<string, Display>;
  /** Printed values that would land within k − 1 of a value printed before. */
  mustHide: string[];
};

export function jointProblem(
  current: Table,
  previous: PublishedState | readonly PublishedState[] | undefined,
  memory: DisclosureMemory | undefined,
): JointProblem {
  const k = current.k;
  const frozen = new Set<string>();
  const extra = new Map<string, [number, number]>();
  const initial = new Map<string, Display>();
  const mustHide: string[] = [];
  const list: readonly PublishedState[] =
    previous === undefined ? [] : 'table' in previous ? [previous] : previous;
  const states = list.filter((s) => s.table.k === k);
  if (states.length === 0) {
    const items = current.smallItems();
    memoryItems(current, memory, items, mustHide);
    return { table: current, items, frozen, extra, initial, mustHide };
  }

  const joint = new TableClass(k);
  for (const c of current.cells.values()) joint.cells.set(c.id, c);
  /** What the held states show of each joint cell, intersected. */
  const known = new Map<string, [number, number]>();
  /** Per figure, the joint cells standing for its past values (one per distinct value). */
  const past = new Map<string, Cell[]>();
  const seen = new Set(current.relations.map(key));
  for (const r of current.relations) joint.relations.push(r);
  states.forEach((prev, i) => {
    const tag = i === 0 ? '' : String(i);
    const rename = new Map<string, string>();
    const made: Cell[] = [];
    for (const c of prev.table.cells.values()) {
      const now = current.get(c.id);
      const b = readerBounds(c, prev.display.get(c.id), k);
      let id: string;
      if (now && now.value === c.value && now.derived === c.derived) {
        // The same figure in both states: what the held one showed is known.
        id = c.id;
      } else {
        // The same past value in two held states is one cell too.
        const same = past.get(c.id)?.find((x) => x.value === c.value && x.derived === c.derived);
        if (same) id = same.id;
        else {
          id = `p${tag}:${c.id}`;
          const cell: Cell = { ...c, id };
          joint.cells.set(id, cell);
          made.push(cell);
          past.set(c.id, [...(past.get(c.id) ?? []), cell]);
          frozen.add(id);
          initial.set(id, prev.display.get(c.id) ?? 'value');
          if (now) {
            // The change itself, new − old, is a count of people too.
            const change = `d${tag}:${c.id}`;
            joint.derived(change, now.value - c.value, now.level, { signed: true, def: [c.id, id] });
            joint.relations.push({ ids: [c.id, id, change], coefs: [1, -1, -1] });
          }
        }
      }
      rename.set(c.id, id);
      const k0 = known.get(id);
      known.set(id, k0 ? [Math.max(k0[0], b[0]), Math.min(k0[1], b[1])] : b);
    }
    // A past difference is of past figures.
    for (const cell of made)
      if (cell.def) cell.def = cell.def.map((d) => rename.get(d) ?? d) as [string, string];
    for (const r of prev.table.relations) {
      const mapped: Relation = { ids: r.ids.map((id) => rename.get(id)!), coefs: r.coefs };
      const kk = key(mapped);
      if (seen.has(kk)) continue;
      seen.add(kk);
      joint.relations.push(mapped);
    }
  });
  for (const [id, b] of known) {
    if (frozen.has(id)) {
      extra.set(id, b);
      continue;
    }
    if (b[0] === b[1]) frozen.add(id);
    else if (b[0] > 0 || b[1] < Infinity) extra.set(id, b);
  }
  // What a reader knows for certain of past cells and of cells unchanged since.
  const fixed = (id: string): [number, number] | undefined => known.get(id);
  const items: Protected[] = [];
  for (const it of joint.smallItems(fixed)) items.push(/^d\d*:/.test(it.id) ? { ...it, why: 'change' } : it);
  memoryItems(joint, memory, items, mustHide);
  return { table: joint, items, frozen, extra, initial, mustHide };
}

const key = (r: Relation) => r.ids.map((id, i) => `${r.coefs[i]}${id}`).join(' ');

/**
 * A printed cell whose value is within 1 … k−1 of a value it was printed at before
 * would give that difference away: it may not be printed, and every value between
 * must stay possible.
 */
function memoryItems(
  table: Table,
  memory: DisclosureMemory | undefined,
  items: Protected[],
  mustHide: string[],
) {
  if (!memory || table.k <= 1) return;
  const k = table.k;
  for (const c of table.cells.values()) {
    if (c.derived || /^p\d*:/.test(c.id)) continue;
    const [lo, hi] = widest(c);
    const past = memory.get(c.id);
    if (!past) continue;
    let clash = false;
    for (const u of past) {
      const diff = c.value - u;
      if (diff >= 1 && diff <= k - 1)
        items.push({ id: c.id, lo: Math.max(lo, u + 1), hi: Math.min(hi, u + k - 1), why: 'memory' });
      else if (diff <= -1 && diff >= -(k - 1))
        items.push({ id: c.id, lo: Math.max(lo, u - k + 1), hi: Math.min(hi, u - 1), why: 'memory' });
      else continue;
      clash = true;
    }
    if (clash) mustHide.push(c.id);
  }
}

/** Adds the values a state printed to the memory; returns the additions (for storage). */
export function remember(memory: DisclosureMemory, state: PublishedState): { cell: string; value: number }[] {
  const added: { cell: string; value: number }[] = [];
  for (const c of state.table.cells.values()) {
    if (c.derived || state.display.has(c.id)) continue;
    const list = memory.get(c.id);
    if (list?.includes(c.value)) continue;
    if (list) list.push(c.value);
    else memory.set(c.id, [c.value]);
    added.push({ cell: c.id, value: c.value });
  }
  return added;
}
