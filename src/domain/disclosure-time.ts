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
import type { Display, Protected, Relation, Table } from './disclosure-table.ts';
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
  previous: PublishedState | undefined,
  memory: DisclosureMemory | undefined,
): JointProblem {
  const k = current.k;
  const frozen = new Set<string>();
  const extra = new Map<string, [number, number]>();
  const initial = new Map<string, Display>();
  const mustHide: string[] = [];
  if (!previous || previous.table.k !== k) {
    const items = current.smallItems();
    memoryItems(current, memory, items, mustHide);
    return { table: current, items, frozen, extra, initial, mustHide };
  }

  const joint = new TableClass(k);
  for (const c of current.cells.values()) joint.cells.set(c.id, c);
  const rename = new Map<string, string>();
  for (const c of previous.table.cells.values()) {
    const now = current.get(c.id);
    if (now && now.value === c.value && now.derived === c.derived) {
      // The same figure in both states: what the previous one showed is known.
      const b = readerBounds(c, previous.display.get(c.id), k);
      if (b[0] === b[1]) frozen.add(c.id);
      else extra.set(c.id, b);
      rename.set(c.id, c.id);
      continue;
    }
    const old = `p:${c.id}`;
    rename.set(c.id, old);
    joint.cells.set(old, { ...c, id: old });
    frozen.add(old);
    const d = previous.display.get(c.id);
    if (d) initial.set(old, d);
    if (now) {
      // The change itself, new − old, is a count of people too.
      const change = `d:${c.id}`;
      joint.derived(change, now.value - c.value, now.level, { signed: true, def: [c.id, old] });
      joint.relations.push({ ids: [c.id, old, change], coefs: [1, -1, -1] });
    }
  }
  const seen = new Set(current.relations.map(key));
  for (const r of current.relations) joint.relations.push(r);
  for (const r of previous.table.relations) {
    const mapped: Relation = { ids: r.ids.map((id) => rename.get(id)!), coefs: r.coefs };
    const kk = key(mapped);
    if (seen.has(kk)) continue;
    seen.add(kk);
    joint.relations.push(mapped);
  }
  // What a reader knows for certain of past cells and of cells unchanged since.
  const known = (id: string): [number, number] | undefined => {
    const c = joint.get(id)!;
    if (frozen.has(id)) return readerBounds(c, initial.get(id), k);
    return extra.get(id);
  };
  const items: Protected[] = [];
  for (const it of joint.smallItems(known))
    items.push(it.id.startsWith('d:') ? { ...it, why: 'change' } : it);
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
    if (c.derived || c.id.startsWith('p:')) continue;
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
