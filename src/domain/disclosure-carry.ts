// Incremental suppression: what the previous published state withheld, carried
// over where nothing it depends on changed, so a save re-decides one route and
// the operation level, not the whole table.
//
// Routes are independent blocks of the disclosure table (disclosure-cells.ts):
// a route's movement and route cells relate to the rest only through the
// operation-level relations (operation totals, days, the headline). Each route is
// keyed by a hash of its published inputs (its movements' figures, arrival days
// and states, and k); a route whose key is the same as in the previous release
// starts from the complementary cells that release withheld. Cells outside any
// route (operation totals, headline, groups, days) start from theirs when their
// value did not change.
//
// This is only a starting point for suppression, never a verdict: the exact audit
// (disclosure-audit.ts) still proves every protected value possible over the
// whole table, and repairs whatever the carried pattern no longer covers. Safety
// never rests on the keys; a stale key can only cost cells or time.
import type { FigureInput } from './disclosure-cells.ts';
import type { Display, Table } from './disclosure-table.ts';

/** Keys of the inputs seen (the previous state's are asked for again at every save). */
const keysOf = new WeakMap<FigureInput, Map<number, string>>();

/** The published inputs of each route, as one string per route id. */
export function routeKeys(input: FigureInput): Map<number, string> {
  const known = keysOf.get(input);
  if (known) return known;
  const parts = new Map<number, string[]>();
  for (const r of input.routes) parts.set(r, [`k${input.k}`]);
  for (const m of input.movements) {
    const c = m.counts;
    const stage = (s: keyof typeof c) => {
      const f = c[s];
      return `${f.total},${f.womenChildren},${f.over60},${f.medical},${f.other}`;
    };
    parts
      .get(m.route)
      ?.push(
        `${m.id}:${m.arrivedDay ?? '-'}:${m.arrivedStatus ? 1 : 0}:${stage('registered')}/${stage('departed')}/${stage('arrived')}`,
      );
  }
  const keys = new Map<number, string>();
  for (const [r, list] of parts) keys.set(r, list.join(';'));
  keysOf.set(input, keys);
  return keys;
}

/** The route a cell belongs to (movement and route cells), or undefined (operation level). */
function routeOfCell(id: string, routeOfMovement: ReadonlyMap<number, number>): number | undefined {
  const m = /^([mr])(\d+)\./.exec(id);
  if (!m) return undefined;
  const n = Number(m[2]);
  return m[1] === 'r' ? n : routeOfMovement.get(n);
}

/**
 * The withheld cells of the previous release that still stand as a starting point:
 * in a route whose published inputs did not change, or at the operation level with
 * the same value as then.
 */
export function carriedWithheld(
  previous: { input: FigureInput; table: Table; display: ReadonlyMap<string, Display> },
  input: FigureInput,
  table: Table,
): string[] {
  if (previous.input.k !== input.k) return [];
  const before = routeKeys(previous.input);
  const now = routeKeys(input);
  const routeOfMovement = new Map(input.movements.map((m) => [m.id, m.route]));
  const out: string[] = [];
  for (const [id, d] of previous.display) {
    if (d !== 'withheld') continue;
    const c = table.get(id);
    if (!c || c.derived) continue;
    const r = routeOfCell(id, routeOfMovement);
    if (r === undefined) {
      if (/^[mr]\d+\./.test(id)) continue; // a movement no longer published
      if (previous.table.get(id)?.value === c.value) out.push(id);
    } else if (before.get(r) !== undefined && before.get(r) === now.get(r)) out.push(id);
  }
  return out;
}
