// Any two as-of points held together (issue 14, docs/privacy.md "Pairs audited"): each new
// day end is audited jointly with EVERY day end recorded before it, so a reader holding two
// day ends far apart (D0 and D2) learns no more of a protected figure than one holding
// either. The product's own `DayChain` (src/domain/day-chain.ts) publishes the days of a
// history; the independent reader (test/support/reader.ts: exhaustive search, no linear
// programming) reads every pair of day ends shown. Before, only consecutive day ends were
// audited together, and the regression case below narrowed a "fewer than 4" between D0 and D2.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DayChain } from '../../src/domain/day-chain.ts';
import {
  type Release,
  type WitnessEngine,
  createAuditCache,
  discloseOperation,
  loadWideSearch,
} from '../../src/domain/disclosure.ts';
import { endOfDay } from '../../src/domain/calendar.ts';
import { figureInput, isPublished, toPublicProjection } from '../../src/domain/privacy.ts';
import type { PublicProjection } from '../../src/domain/privacy.ts';
import { type OperationHistory, snapshotAt, valuesAsOf } from '../../src/domain/public-as-of-history.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import type { FigureAsOf } from '../../src/store/repositories/as-of.ts';
import { Reader, readChanges, readState } from '../support/reader.ts';
import { propertyRuns } from '../support/runs.ts';
import { movement, route, snapshot } from '../support/snapshots.ts';

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];
const TZ = 'Asia/Almaty';

/** A movement's totals at one day's end (null: not reported). */
type Figures = { R: number | null; D: number | null; A: number | null };
/** Per route, per movement, its figures at each day's end (index: day). */
type Plan = { k: number; routes: Figures[][][] };

/** The operation's history: every movement departed on the first morning, its figures saved each day. */
function historyOf(plan: Plan): OperationHistory {
  const morning = (day: string) => new Date(`${day}T03:00:00Z`);
  const figures: FigureAsOf[] = [];
  let id = 0;
  const routes = plan.routes.map((movements, r) =>
    route(
      movements.map((days) => {
        id++;
        days.forEach((f, d) => {
          const before = d > 0 ? days[d - 1]! : undefined;
          for (const [stage, key] of [
            ['registered', 'R'],
            ['departed', 'D'],
            ['arrived', 'A'],
          ] as const) {
            const value = f[key];
            if (value === null || (before && before[key] === value)) continue;
            figures.push({
              movementId: id,
              stage,
              field: 'total',
              value,
              asOf: morning(DAYS[d]!),
              asOfTimeKnown: true,
              sourceId: null,
              recordedAt: morning(DAYS[d]!),
            });
          }
        });
        return movement({
          id,
          status: 'arrived',
          departedAt: morning(DAYS[0]!),
          arrivedAt: new Date(`${DAYS[0]}T09:00:00Z`),
          createdAt: morning(DAYS[0]!),
          figuresAsOf: morning(DAYS[0]!),
        });
      }),
      { id: 100 + r },
    ),
  );
  figures.sort((a, b) => a.asOf.getTime() - b.asOf.getTime());
  const live = snapshot(routes, { smallCountThreshold: plan.k, publicationDelayMinutes: 0, timeZone: TZ });
  return { live, history: figures, firstDay: DAYS[0]! };
}

type Shown = { day: string; snap: Snapshot; projection: PublicProjection };

/** The day ends as the product's chain shows them (a refused day shows the last that passed). */
function chainDays(h: OperationHistory, days: number, engine?: WitnessEngine): Shown[] {
  const chain = new DayChain(h, createAuditCache());
  // As the as-of service and the digest do: the wide search loaded when a day is audited.
  chain.engine = engine;
  const shown: Shown[] = [];
  for (const day of DAYS.slice(0, days)) {
    const p = chain.project(day);
    if (p.day !== day) continue; // refused: it shows a state already in the list
    shown.push({ day, snap: truthAt(h, day), projection: p.projection });
  }
  return shown;
}

function truthAt(h: OperationHistory, day: string): Snapshot {
  const at = endOfDay(day, TZ);
  return snapshotAt(h, valuesAsOf(h.history, at), at);
}

/** The old rule, for the regression: each day end audited with the day before only. */
function dayBeforeOnly(h: OperationHistory, days: number): Shown[] {
  const cache = createAuditCache();
  const shown: Shown[] = [];
  let before: Release | undefined;
  for (const day of DAYS.slice(0, days)) {
    const snap = truthAt(h, day);
    const at = endOfDay(day, TZ);
    const input = figureInput(snap, (m) => isPublished(m, 0, at));
    const d = discloseOperation(snap.operation.id, input, { previous: before ? [before] : [], cache });
    if (!d.ok) continue;
    before = d.release;
    // Shown as the chain shows a state it audited: republished from its release.
    const previous = new Map([[d.release.operationId, [d.release]]]);
    shown.push({ day, snap, projection: toPublicProjection(snap, at, { previous, cache }) });
  }
  return shown;
}

/** What the reader narrows holding two day ends (any two, not only consecutive ones). */
function pairProblems(k: number, a: Shown, b: Shown): string[] {
  const pair = new Reader(k);
  const before = readState(pair, 'a', a.snap, a.projection.operations[0]!);
  const after = readState(pair, 'b', b.snap, b.projection.operations[0]!, { tag: 'a', truths: before });
  readChanges(pair, { tag: 'a', truths: before }, { tag: 'b', truths: after });
  return pair.uncovered().map((u) => `${a.day} + ${b.day}: ${u.name} cannot be ${u.value}`);
}

function everyPair(k: number, shown: Shown[]): string[] {
  const problems: string[] = [];
  for (let i = 0; i < shown.length; i++)
    for (let j = i + 1; j < shown.length; j++) problems.push(...pairProblems(k, shown[i]!, shown[j]!));
  return problems;
}

/** Cases of the property in the full run (a tenth in the fast loop). */
const DAY_ENDS_RUNS = 40;

// Figures that move over the days: mostly small (protected), some large; R ≥ D ≥ A.
const figure = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 7 }) },
  { weight: 1, arbitrary: fc.integer({ min: 8, max: 30 }) },
);
const dayFigures = fc
  .record({ R: figure, D: figure, A: fc.option(figure, { nil: null }) })
  .map(({ R, D, A }) => ({ R, D: Math.min(D, R), A: A === null ? null : Math.min(A, D, R) }));
/** Arrived, once reported, stays reported (a saved figure is not taken back): at most departed. */
function consistent(days: Figures[]): Figures[] {
  let arrived: number | null = null;
  return days.map((f) => {
    const A = f.A ?? (arrived === null ? null : Math.min(arrived, f.D!));
    arrived = A;
    return { ...f, A };
  });
}
/** 1–2 routes of 1–2 movements, k 3–6, their figures at 3–4 day ends. */
const planSpec: fc.Arbitrary<Plan> = fc.integer({ min: 3, max: 4 }).chain((days) =>
  fc.record({
    k: fc.integer({ min: 3, max: 6 }),
    routes: fc.array(
      fc.array(fc.array(dayFigures, { minLength: days, maxLength: days }).map(consistent), {
        minLength: 1,
        maxLength: 2,
      }),
      { minLength: 1, maxLength: 2 },
    ),
  }),
);

describe('disclosure: any two day ends held together (issue 14)', () => {
  let engine: WitnessEngine;
  beforeAll(async () => {
    engine = await loadWideSearch();
  });

  it('a reader holding D0 and D2 does not narrow what consecutive pairs protect (regression)', () => {
    // One movement, k = 5: registered and departed 2 at D0 ("fewer than 5"), 0 at D1, 6 at D2.
    // With each day audited only with the day before, each consecutive pair passes, but a
    // reader holding D0 and D2 narrows D0's figures (found by the finder of this file's
    // history, 5 December 2026; the case docs/privacy.md described).
    const plan: Plan = {
      k: 5,
      routes: [
        [
          [
            { R: 2, D: 2, A: 0 },
            { R: 0, D: 0, A: 0 },
            { R: 6, D: 6, A: null },
          ],
        ],
      ],
    };
    const h = historyOf(plan);
    const old = dayBeforeOnly(h, 3);
    expect(old.map((s) => s.day)).toEqual(DAYS.slice(0, 3));
    expect(pairProblems(plan.k, old[0]!, old[1]!)).toEqual([]);
    expect(pairProblems(plan.k, old[1]!, old[2]!)).toEqual([]);
    expect(pairProblems(plan.k, old[0]!, old[2]!).length).toBeGreaterThan(0);

    const shown = chainDays(h, 3, engine);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(everyPair(plan.k, shown)).toEqual([]);
  });

  it('property: no reader narrows a protected figure holding any two day ends the chain shows', () => {
    let cases = 0;
    let pairs = 0;
    let refused = 0;
    fc.assert(
      fc.property(planSpec, (plan) => {
        cases++;
        const days = plan.routes[0]![0]!.length;
        const shown = chainDays(historyOf(plan), days, engine);
        refused += days - shown.length;
        pairs += (shown.length * (shown.length - 1)) / 2;
        expect(everyPair(plan.k, shown)).toEqual([]);
      }),
      {
        numRuns: propertyRuns(DAY_ENDS_RUNS, process.env.DAY_ENDS_RUNS),
        seed: Number(process.env.DISCLOSURE_SEED ?? 20261205),
      },
    );
    expect(cases).toBeGreaterThan(0);
    expect(pairs).toBeGreaterThan(cases);
    // Refusals are safe but stale: few of them.
    expect(refused).toBeLessThanOrEqual(cases);
  }, 300_000);
});
