// The public figures of one operation as a disclosure table (disclosure-table.ts):
// which cells exist and how they add up. This is the whole of what a reader can
// combine, across the page, JSON, CSV, feed and digest (they all print the same
// cells), so the audit of this table covers every output.
//
// Cell ids:
//   m<id>.R|D|A, m<id>.R-D, m<id>.D-A     a published movement's figures and their differences
//   r<id>.R|D|A, r<id>.R-D, r<id>.D-A     a route's totals over its published movements
//   op.Rp (derived), op.D, op.A           the operation's published totals (op.A is "home")
//   h.waiting, h.onTheWay, h.notReported, h.total   the headline (headline.ts)
//   g.<group>.R|D|A, g.<group>.R-D|D-A    priority groups over published movements
//   g.nbd.R|D|A                           people with no breakdown reported
//   day.<YYYY-MM-DD>, day.undated         arrivals per local day
import { GROUPS, STAGES, type Counts, type Stage, notBrokenDown } from './figures.ts';
import { type Headline, reconcileHeadline } from './headline.ts';
import { Table } from './disclosure-table.ts';

/** The figures of one operation that the public outputs print, serialisable (a release keeps it). */
export type FigureInput = {
  k: number;
  /** Published movements (departed, past the delay, not cancelled), in route order. */
  movements: {
    id: number;
    route: number;
    /** The local day of its arrival; null when not recorded. */
    arrivedDay: string | null;
    arrivedStatus: boolean;
    counts: Counts;
  }[];
  /** Registered on live movements not (publicly) left: known figures and how many have none. */
  waiting: { known: number[]; unknown: number };
  /** Every route id, in page order. */
  routes: number[];
  /** The days of the arrivals chart, quiet days included. */
  days: string[];
};

const S: Record<Stage, 'R' | 'D' | 'A'> = { registered: 'R', departed: 'D', arrived: 'A' };

export function headlineOf(input: FigureInput): Headline {
  return reconcileHeadline([
    ...input.movements.map((m) => ({ published: true, arrivedStatus: m.arrivedStatus, counts: m.counts })),
    ...input.waiting.known.map((v) => ({
      published: false,
      arrivedStatus: false,
      counts: registeredOnly(v),
    })),
    ...Array.from({ length: input.waiting.unknown }, () => ({
      published: false,
      arrivedStatus: false,
      counts: registeredOnly(null),
    })),
  ]);
}

function registeredOnly(v: number | null): Counts {
  const empty = { total: null, womenChildren: null, over60: null, medical: null, other: null };
  return { registered: { ...empty, total: v }, departed: { ...empty }, arrived: { ...empty } };
}

export function buildTable(input: FigureInput): { table: Table; headline: Headline } {
  const t = new Table(input.k);
  const byRoute = new Map<number, FigureInput['movements']>();
  for (const m of input.movements) {
    const list = byRoute.get(m.route);
    if (list) list.push(m);
    else byRoute.set(m.route, [m]);
  }
  for (const m of input.movements) {
    for (const s of STAGES) t.shown(`m${m.id}.${S[s]}`, m.counts[s].total, 'movement');
    t.difference(`m${m.id}.R-D`, `m${m.id}.R`, `m${m.id}.D`, 'movement');
    t.difference(`m${m.id}.D-A`, `m${m.id}.D`, `m${m.id}.A`, 'movement', { signed: false });
  }
  for (const r of input.routes) {
    const ms = byRoute.get(r) ?? [];
    for (const s of ['R', 'D', 'A'])
      t.total(
        `r${r}.${s}`,
        ms.map((m) => `m${m.id}.${s}`),
        'route',
      );
    t.difference(`r${r}.R-D`, `r${r}.R`, `r${r}.D`, 'route');
    t.difference(`r${r}.D-A`, `r${r}.D`, `r${r}.A`, 'route', { signed: false });
  }
  const routeCells = (s: string) => input.routes.map((r) => `r${r}.${s}`).filter((id) => t.has(id));
  // The published registered total is printed nowhere, but follows from the routes.
  const rp = routeCells('R');
  if (rp.length) {
    t.derived(
      'op.Rp',
      rp.reduce((a, id) => a + t.value(id), 0),
      'operation',
      { protect: false },
    );
    t.sum('op.Rp', rp);
  }
  t.total('op.D', routeCells('D'), 'operation');
  if (!t.total('op.A', routeCells('A'), 'headline')) t.shown('op.A', 0, 'headline');

  // The headline (headline.ts), with the same sums as relations.
  const headline = headlineOf(input);
  const g2 = input.movements.filter(
    (m) => m.counts.departed.total === null && m.counts.registered.total !== null,
  );
  const g3 = input.movements.filter(
    (m) => m.counts.departed.total !== null && m.counts.arrived.total === null && m.arrivedStatus,
  );
  if (input.waiting.known.length) t.shown('h.waiting', headline.waiting.value, 'headline');
  t.shown('h.onTheWay', headline.onTheWay.value, 'headline');
  t.shown('h.notReported', headline.stageNotReported.value, 'headline');
  t.shown('h.total', headline.total.value, 'headline');
  if (t.has('op.D'))
    t.relate(['h.onTheWay', 'op.D', 'op.A', ...g3.map((m) => `m${m.id}.D`)], [1, -1, 1, ...g3.map(() => 1)]);
  const notReportedParts = [...g2.map((m) => `m${m.id}.R`), ...g3.map((m) => `m${m.id}.D`)];
  t.sum('h.notReported', notReportedParts);
  t.sum(
    'h.total',
    ['h.waiting', 'h.onTheWay', 'op.A', 'h.notReported'].filter((id) => t.has(id)),
  );

  // Priority groups: over published movements only, so every row compares like with like.
  const stageTotal: Record<Stage, string> = { registered: 'op.Rp', departed: 'op.D', arrived: 'op.A' };
  for (const s of STAGES) {
    const withTotal = input.movements.filter((m) => m.counts[s].total !== null);
    const parts: string[] = [];
    for (const g of GROUPS) {
      const known = withTotal.map((m) => m.counts[s][g]).filter((v): v is number => v !== null);
      if (known.length === 0) continue;
      t.shown(
        `g.${g}.${S[s]}`,
        known.reduce((a, b) => a + b, 0),
        'group',
      );
      parts.push(`g.${g}.${S[s]}`);
    }
    if (parts.length === 0) continue;
    t.shown(
      `g.nbd.${S[s]}`,
      withTotal.reduce((a, m) => a + (notBrokenDown(m.counts[s]) ?? 0), 0),
      'group',
    );
    t.sum(stageTotal[s], [...parts, `g.nbd.${S[s]}`]);
  }
  for (const g of [...GROUPS, 'nbd']) {
    t.difference(`g.${g}.R-D`, `g.${g}.R`, `g.${g}.D`, 'group');
    t.difference(`g.${g}.D-A`, `g.${g}.D`, `g.${g}.A`, 'group');
  }

  // Arrivals per local day; quiet days are printed zeros.
  const byDay = new Map<string, string[]>();
  const undated: string[] = [];
  for (const m of input.movements) {
    if (m.counts.arrived.total === null) continue;
    if (m.arrivedDay === null) undated.push(`m${m.id}.A`);
    else byDay.set(m.arrivedDay, [...(byDay.get(m.arrivedDay) ?? []), `m${m.id}.A`]);
  }
  const dayCells: string[] = [];
  for (const d of input.days) {
    const parts = byDay.get(d) ?? [];
    if (!parts.length) t.shown(`day.${d}`, 0, 'day');
    else t.total(`day.${d}`, parts, 'day');
    dayCells.push(`day.${d}`);
  }
  if (undated.length) {
    t.total('day.undated', undated, 'day');
    dayCells.push('day.undated');
  }
  if (dayCells.length && t.has('op.A')) t.sum('op.A', dayCells);
  return { table: t, headline };
}
