// A reader who holds the live page and an as-of day's end side by side (issue 14):
// every state is published audited jointly with the states a reader can hold with
// it — the live page's version before it and the latest day's end; a day's end with
// every day end before it (any two as-of points) and the live version then current —
// and the independent reader
// (test/support/reader.ts, exhaustive search, no linear programming) checks every
// such pair, over random operations and random sequences of edits and day ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DisclosureMemory,
  type Release,
  createAuditCache,
  discloseOperation,
  rememberReleases,
} from '../../src/domain/disclosure.ts';
import { type Counts, GROUPS } from '../../src/domain/figures.ts';
import { type PublicProjection, toPublicProjection } from '../../src/domain/privacy.ts';
import type { Snapshot, SnapshotMovement } from '../../src/domain/snapshot.ts';
import { DIGEST_DAY, digestStates } from '../../bench/digest-content-data.ts';
import { Reader, readChanges, readState } from '../support/reader.ts';
import { NOW, counts, movement, route, snapshot } from '../support/snapshots.ts';
import { fastLoop, propertyRuns } from '../support/runs.ts';

type Kind = 'live' | 'day';
type Published = { kind: Kind; snap: Snapshot; projection: PublicProjection; held: number[] };

/** Publish as the product does: each new state audited with the states a reader can hold with it. */
function publishTimeline(steps: { snap: Snapshot; order: Kind[] }[], chains: 'both' | 'own' = 'both') {
  const memory = new Map<number, DisclosureMemory>();
  const cache = createAuditCache();
  const published: Published[] = [];
  const last: Record<Kind, number | undefined> = { live: undefined, day: undefined };
  let refused = 0;
  for (const { snap, order } of steps) {
    for (const kind of order) {
      // First the state it follows (the incremental start), then — a day end — every day
      // end before it (docs/privacy.md, "Pairs audited"), then the other chain's latest.
      const other: Kind = kind === 'live' ? 'day' : 'live';
      const earlierDays =
        kind === 'day' && chains === 'both'
          ? published.flatMap((p, i) => (p.kind === 'day' && i !== last.day ? [i] : [])).reverse()
          : [];
      const held = [last[kind], ...earlierDays, chains === 'both' ? last[other] : undefined].filter(
        (i): i is number => i !== undefined,
      );
      const releases = held.flatMap((i) => published[i]!.projection.disclosure.releases);
      const previous = new Map<number, Release[]>();
      for (const r of releases) previous.set(r.operationId, [...(previous.get(r.operationId) ?? []), r]);
      let projection = toPublicProjection(snap, NOW, { previous, memory, cache });
      const liveHeld =
        kind === 'day' && last.live !== undefined ? liveRelease(published[last.live]!) : undefined;
      const mine = projection.disclosure.releases[0];
      if (liveHeld && mine && JSON.stringify(mine.input) === JSON.stringify(liveHeld.input)) {
        // A day end with the live version's figures: audited again with every day end, from
        // the live version's display (DayChain, `likeLive`), then shown from that release.
        const others = releases.filter((r) => r !== liveHeld);
        const d = discloseOperation(mine.operationId, mine.input, {
          previous: [liveHeld, ...others],
          memory: memory.get(mine.operationId),
          cache,
          reaudit: true,
        });
        if (!d.ok) {
          refused++;
          continue;
        }
        projection = toPublicProjection(snap, NOW, {
          previous: new Map([[d.release.operationId, [d.release]]]),
        });
      }
      if (!projection.disclosure.ok) {
        refused++;
        continue;
      }
      last[kind] = published.length;
      published.push({ kind, snap, projection, held });
      rememberReleases(memory, projection.disclosure.releases);
    }
  }
  return { published, refused };
}

const liveRelease = (p: Published) => p.projection.disclosure.releases[0];

/** What the reader narrows: in each state alone and in each pair a state was audited with. */
function readPairs(published: Published[]): string[] {
  const problems: string[] = [];
  published.forEach((p, i) => {
    const k = p.snap.operation.smallCountThreshold;
    const single = new Reader(k);
    readState(single, 's', p.snap, p.projection.operations[0]!);
    for (const u of single.uncovered()) problems.push(`${p.kind} ${i}: ${u.name} cannot be ${u.value}`);
    for (const j of p.held) {
      const q = published[j]!;
      const pair = new Reader(k);
      const before = readState(pair, 'a', q.snap, q.projection.operations[0]!);
      const after = readState(pair, 'b', p.snap, p.projection.operations[0]!, { tag: 'a', truths: before });
      readChanges(pair, { tag: 'a', truths: before }, { tag: 'b', truths: after });
      for (const u of pair.uncovered())
        problems.push(`${q.kind} ${j} + ${p.kind} ${i}: ${u.name} cannot be ${u.value}`);
    }
  });
  return problems;
}

const stage = (total: number | null) => ({ total });

function mv(
  id: number,
  R: number,
  D: number,
  A: number | null,
  over60: number | null = null,
): SnapshotMovement {
  const departed: Counts['departed'] = { total: D, womenChildren: null, over60, medical: null, other: null };
  return movement({
    id,
    status: A === null ? 'departed' : 'arrived',
    arrivedAt: A === null ? null : new Date('2026-03-04T10:00:00Z'),
    counts: {
      registered: counts({ registered: stage(R) }).registered,
      departed,
      arrived: counts({ arrived: stage(A) }).arrived,
    },
  });
}

describe('disclosure: the live page and the as-of day ends, held together', () => {
  it('does not let the live page and yesterday’s end give away a small change (+3 between them)', () => {
    // The live page printed 10 over-60 departures; the day ended at 20 (no live build then);
    // the live page now reads 23. Live against live moved by 13 (printed); live against the
    // day's end moved by 3, which must not be exact.
    const at = (over60: number) =>
      snapshot([route([mv(900, 60, 50, null, over60), mv(901, 70, 64, null)], { id: 77 })]);
    const { published, refused } = publishTimeline([
      { snap: at(10), order: ['live'] },
      { snap: at(20), order: ['day'] },
      { snap: at(23), order: ['live'] },
    ]);
    expect(refused).toBe(0);
    expect(published.map((p) => p.kind)).toEqual(['live', 'day', 'live']);
    // The last live version was audited with the live one before it and with the day's end.
    expect(published[2]!.held).toEqual([0, 1]);
    expect(readPairs(published)).toEqual([]);
    const over60 = (p: Published) =>
      p.projection.operations[0]!.groups.find((g) => g.group === 'over60')!.figures.departed;
    const day = over60(published[1]!);
    const live = over60(published[2]!);
    const exact = day.kind === 'value' && live.kind === 'value' && live.value - day.value === 3;
    expect(exact).toBe(false);
  });

  it('audits a live version with the day end before it: alone, that pair gives a small figure away', () => {
    // Found by the property below run with each chain audited on its own: the day ended
    // with 7 arrived (k = 9), the live page then read 8; each alone is safe, together
    // the reader pins the day's 7.
    const spec = { status: 'arrived' as const, R: 1, D: 18, g: [2, 1, 0, 6], dated: true };
    const at = (A: number) =>
      snapshot([route([toMovement(1, { ...spec, A })], { id: 100 })], {
        smallCountThreshold: 9,
        publicationDelayMinutes: 0,
      });
    const steps = [
      { snap: at(7), order: ['day' as const] },
      { snap: at(8), order: ['live' as const] },
    ];
    const own = publishTimeline(steps, 'own').published;
    own[1]!.held.push(0);
    expect(readPairs(own).length).toBeGreaterThan(0);
    const both = publishTimeline(steps).published;
    expect(both.map((p) => p.held)).toEqual([[], [0]]);
    expect(readPairs(both)).toEqual([]);
  });

  it('shows a state a reader already holds exactly as it was (same input, same display)', () => {
    const snap = snapshot([route([mv(1, 12, 9, 3), mv(2, 30, 30, 22)], { id: 5 })]);
    const { published } = publishTimeline([{ snap, order: ['day', 'live'] }]);
    expect(published).toHaveLength(2);
    const [day, live] = published.map((p) => p.projection.disclosure.releases[0]!.hidden);
    expect(live).toEqual(day);
    expect(published[0]!.projection.operations).toEqual(published[1]!.projection.operations);
  });
});

// The full run only (npm test, CI): 3.6-3.9 s of CPU, a 16th of the fast loop's budget; the
// properties above and test/integration/digest-disclosure.test.ts cover the rule there.
describe('disclosure: a new day audited jointly with the day before, at scale (issue 14)', () => {
  it.skipIf(fastLoop)(
    'withholds more of the new day instead of falling back to the old one (seed 2, 1,000 movements)',
    () => {
      // Failed before December 2026: the day before protected a route's no-shows with a
      // movement withheld in another route, which the new day printed again, beyond the
      // repair's neighbourhood (disclosure-joint.ts). The day shown is now the day asked for.
      const { snapshot: day, previousSnapshot: dayBefore } = digestStates(1_000, 2);
      const end = new Date(`${DIGEST_DAY}T19:00:00Z`);
      const cache = createAuditCache();
      const before = toPublicProjection(dayBefore, new Date(end.getTime() - 86_400_000), { cache });
      expect(before.disclosure.ok).toBe(true);
      const r = before.disclosure.releases[0]!;
      const joint = toPublicProjection(day, end, { previous: new Map([[r.operationId, [r]]]), cache });
      expect(joint.disclosure.ok).toBe(true);
      const alone = toPublicProjection(day, end, { cache }).disclosure.operations[0]!;
      // The price: cells withheld beyond the day alone (193 then), far fewer than the failed
      // attempt's 431.
      expect(joint.disclosure.operations[0]!.withheld).toBeLessThan(alone.withheld * 2);
    },
    120_000,
  );
});

// ---- property test ---------------------------------------------------------

const figure = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 9 }) },
  { weight: 2, arbitrary: fc.integer({ min: 10, max: 40 }) },
);

const movementSpec = fc.record({
  status: fc.constantFrom('planned' as const, 'departed' as const, 'arrived' as const),
  R: figure,
  D: figure,
  A: fc.option(figure, { nil: null }),
  g: fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }), { minLength: 4, maxLength: 4 }),
  dated: fc.boolean(),
});
type MovementSpec = typeof movementSpec extends fc.Arbitrary<infer T> ? T : never;

function toMovement(id: number, s: MovementSpec): SnapshotMovement {
  const D = s.status === 'planned' ? null : s.D;
  const A = s.status !== 'arrived' || D === null || s.A === null ? null : Math.min(s.A, D);
  const departed: Counts['departed'] = {
    total: D,
    womenChildren: null,
    over60: null,
    medical: null,
    other: null,
  };
  if (D !== null) {
    let left = D;
    GROUPS.forEach((g, i) => {
      const v = s.g[i];
      if (v !== null && v !== undefined && v <= left) {
        departed[g] = v;
        left -= v;
      }
    });
  }
  return movement({
    id,
    status: s.status,
    departedAt: s.status === 'planned' ? null : new Date(NOW.getTime() - 120 * 60_000),
    arrivedAt: s.status === 'arrived' && s.dated ? new Date(`2026-03-0${1 + (id % 3)}T10:00:00Z`) : null,
    counts: {
      registered: counts({ registered: stage(s.R) }).registered,
      departed,
      arrived: counts({ arrived: stage(A) }).arrived,
    },
  });
}

const kinds = fc.constantFrom<Kind[]>([], ['live'], ['day'], ['live', 'day'], ['day', 'live']);

const timelineSpec = fc.record({
  k: fc.integer({ min: 3, max: 10 }),
  routes: fc.array(fc.array(movementSpec, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  first: kinds,
  edits: fc.array(
    fc.record({
      route: fc.nat(),
      index: fc.nat(),
      field: fc.constantFrom('R' as const, 'D' as const, 'A' as const),
      delta: fc.integer({ min: -6, max: 12 }),
      order: kinds,
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

describe('disclosure: property, live versions and day ends held together', () => {
  it('no reader narrows a protected figure in any state or any pair audited together', () => {
    let cases = 0;
    let states = 0;
    let refusals = 0;
    fc.assert(
      fc.property(timelineSpec, (spec) => {
        cases++;
        let id = 1;
        let current = spec.routes.map((ms) => ms.map((m) => ({ id: id++, spec: m })));
        const make = () =>
          snapshot(
            current.map((ms, r) =>
              route(
                ms.map((m) => toMovement(m.id, m.spec)),
                { id: 100 + r },
              ),
            ),
            { smallCountThreshold: spec.k, publicationDelayMinutes: 0 },
          );
        const steps = [{ snap: make(), order: spec.first }];
        for (const e of spec.edits) {
          const r = current[e.route % current.length]!;
          const target = r[e.index % r.length]!;
          const next = { ...target.spec, [e.field]: Math.max(0, (target.spec[e.field] ?? 10) + e.delta) };
          current = current.map((ms) => ms.map((m) => (m === target ? { id: m.id, spec: next } : m)));
          steps.push({ snap: make(), order: e.order });
        }
        const { published, refused } = publishTimeline(steps);
        states += published.length;
        refusals += refused;
        // Every live version after a day's end was audited with that day's end, and the reverse.
        published.forEach((p, i) => {
          const before = published.slice(0, i);
          for (const kind of ['live', 'day'] as const) {
            const latest = before
              .map((q, j) => (q.kind === kind ? j : -1))
              .filter((j) => j >= 0)
              .pop();
            if (latest !== undefined) expect(p.held).toContain(latest);
          }
          // Any two day ends: a day end was audited with every day end before it.
          if (p.kind === 'day')
            before.forEach((q, j) => {
              if (q.kind === 'day') expect(p.held).toContain(j);
            });
        });
        expect(readPairs(published)).toEqual([]);
      }),
      {
        numRuns: propertyRuns(100, process.env.DISCLOSURE_RUNS),
        seed: Number(process.env.DISCLOSURE_SEED ?? 20261204),
      },
    );
    expect(cases).toBeGreaterThan(0);
    expect(states).toBeGreaterThan(cases);
    expect(refusals).toBeLessThanOrEqual(states / 20);
  }, 180_000);
});

// ---- a backdated correction, audited forward ----------------------------------------
// The chain D0, D1 is recorded; then D0 is corrected (D1's own figures stand). The
// corrected D0 is audited with what was recorded for D0; D1 — same figures as recorded —
// is audited again jointly with the corrected D0, starting from its recorded display
// (DayChain in public-as-of.ts: `reaudit`). The reader covers every pair a reader can hold.

function pairProblems(k: number, a: { snap: Snapshot; projection: PublicProjection }, b: typeof a) {
  const pair = new Reader(k);
  const before = readState(pair, 'a', a.snap, a.projection.operations[0]!);
  const after = readState(pair, 'b', b.snap, b.projection.operations[0]!, { tag: 'a', truths: before });
  readChanges(pair, { tag: 'a', truths: before }, { tag: 'b', truths: after });
  return pair.uncovered().map((u) => `${u.name}=${u.value}`);
}

describe('disclosure: a backdated correction is audited forward', () => {
  it('the day after the corrected one is audited again with it; every pair held is covered', () => {
    let cases = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 6 }),
        fc.array(fc.array(movementSpec, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
        fc.array(
          fc.record({
            field: fc.constantFrom('R' as const, 'D' as const),
            delta: fc.integer({ min: -5, max: 5 }),
          }),
        ),
        fc.array(
          fc.record({
            field: fc.constantFrom('R' as const, 'D' as const, 'A' as const),
            delta: fc.integer({ min: -5, max: 5 }),
          }),
        ),
        (k, routes, d1Edits, corrections) => {
          let id = 1;
          const base = routes.map((ms) =>
            ms.map((m) => ({ id: id++, spec: { ...m, status: 'arrived' as const } })),
          );
          const apply = (edits: { field: 'R' | 'D' | 'A'; delta: number }[]) =>
            base.map((ms) =>
              ms.map((m, i) => {
                const e = edits[(m.id + i) % Math.max(1, edits.length)];
                if (!e) return m;
                return {
                  id: m.id,
                  spec: { ...m.spec, [e.field]: Math.max(0, (m.spec[e.field] ?? 10) + e.delta) },
                };
              }),
            );
          const make = (ms: typeof base) =>
            snapshot(
              ms.map((list, r) =>
                route(
                  list.map((m) => toMovement(m.id, m.spec)),
                  { id: 100 + r },
                ),
              ),
              { smallCountThreshold: k, publicationDelayMinutes: 0 },
            );
          const [s0, s1, s0c] = [make(base), make(apply(d1Edits)), make(apply(corrections))];
          const cache = createAuditCache();
          const publish = (snap: Snapshot, held: Release[]) =>
            toPublicProjection(snap, NOW, { previous: new Map([[snap.operation.id, held]]), cache });
          const p0 = publish(s0, []);
          if (!p0.disclosure.ok) return;
          const r0 = p0.disclosure.releases[0]!;
          const p1 = publish(s1, [r0]);
          if (!p1.disclosure.ok) return;
          const r1 = p1.disclosure.releases[0]!;
          const p0c = publish(s0c, [r0]);
          if (!p0c.disclosure.ok) return;
          const r0c = p0c.disclosure.releases[0]!;
          cases++;
          // D1 again, as the chain does after the correction.
          const again = discloseOperation(r1.operationId, r1.input, {
            previous: [r1, r0c],
            reaudit: true,
            cache,
          });
          const held = (snap: Snapshot, p: PublicProjection) => ({ snap, projection: p });
          if (!again.ok) return; // D1 then shows the corrected D0 (the last safe day)
          const p1again = publish(s1, [again.release]);
          expect(pairProblems(k, held(s0c, p0c), held(s1, p1again))).toEqual([]);
          expect(pairProblems(k, held(s1, p1), held(s1, p1again))).toEqual([]);
          expect(pairProblems(k, held(s0, p0), held(s0c, p0c))).toEqual([]);
        },
      ),
      {
        // The reader searches near the truth first (test/support/reader.ts): the case of this
        // seed that ran for minutes in its exhaustive search now takes seconds.
        numRuns: propertyRuns(30, process.env.CORRECTION_RUNS),
        seed: Number(process.env.DISCLOSURE_SEED ?? 20261205),
      },
    );
    expect(cases).toBeGreaterThan(0);
  }, 180_000);
});
