// Incremental suppression (disclosure-carry.ts, issue 21.2): a save re-decides the
// route it touched and the operation level; the other routes start from what the
// previous state withheld, and the exact audit still proves the whole. Checked by
// the independent reader (test/support/reader.ts) on small cases, and by the work
// the audit does on a larger one.
import { describe, expect, it } from 'vitest';
import { createAuditCache } from '../../src/domain/disclosure.ts';
import { routeKeys } from '../../src/domain/disclosure-carry.ts';
import type { Counts } from '../../src/domain/figures.ts';
import { type PublicProjection, figureInput, toPublicProjection } from '../../src/domain/privacy.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import { Reader, readChanges, readState } from '../support/reader.ts';
import { NOW, counts, movement, route, snapshot } from '../support/snapshots.ts';

const stages = (R: number, D: number, A: number | null): Counts =>
  counts({ registered: { total: R }, departed: { total: D }, arrived: { total: A } });

function operation(routesCount: number, perRoute: number, base = 1): Snapshot {
  const routes = Array.from({ length: routesCount }, (_, r) =>
    route(
      Array.from({ length: perRoute }, (_, i) => {
        const R = 20 + ((r * 11 + i * 7) % 30);
        // One movement in three has 1–3 no-shows: a protected difference.
        const D = i % 3 === 0 ? R - (1 + ((r + i) % 3)) : R;
        const arrived = (r + i) % 2 === 0;
        return movement({
          id: base + r * 100 + i,
          status: arrived ? 'arrived' : 'departed',
          arrivedAt: arrived ? new Date(`2026-03-0${1 + ((r + i) % 3)}T10:00:00Z`) : null,
          counts: stages(R, D, arrived ? D : null),
        });
      }),
      { id: 500 + r },
    ),
  );
  return snapshot(routes);
}

const releasesOf = (p: PublicProjection) => new Map(p.disclosure.releases.map((r) => [r.operationId, r]));
const withheldOf = (p: PublicProjection, prefix: (id: string) => boolean) =>
  p.disclosure.releases[0]!.hidden.filter(([id, d]) => d === 'withheld' && prefix(id)).map(([id]) => id);

function setCounts(snap: Snapshot, movementId: number, c: Counts) {
  for (const r of snap.routes) for (const m of r.movements) if (m.id === movementId) m.counts = c;
}

/** No protected value narrowed in either state or across the pair (exhaustive reader). */
function readerProblems(
  a: { snap: Snapshot; p: PublicProjection },
  b: { snap: Snapshot; p: PublicProjection },
) {
  const k = a.snap.operation.smallCountThreshold;
  const problems: string[] = [];
  const single = new Reader(k);
  readState(single, 'b', b.snap, b.p.operations[0]!);
  for (const u of single.uncovered()) problems.push(`after: ${u.name} cannot be ${u.value}`);
  const pair = new Reader(k);
  const before = readState(pair, 'a', a.snap, a.p.operations[0]!);
  const after = readState(pair, 'b', b.snap, b.p.operations[0]!, { tag: 'a', truths: before });
  readChanges(pair, { tag: 'a', truths: before }, { tag: 'b', truths: after });
  for (const u of pair.uncovered()) problems.push(`pair: ${u.name} cannot be ${u.value}`);
  return problems;
}

describe('disclosure: incremental by route', () => {
  it('keys each route by its published inputs: a save changes its own route key only', () => {
    const snap = operation(3, 3);
    const published = () => true;
    const before = routeKeys(figureInput(snap, published));
    setCounts(snap, 101, stages(44, 40, null));
    const after = routeKeys(figureInput(snap, published));
    expect([...before.keys()]).toEqual([500, 501, 502]);
    expect(after.get(501)).not.toBe(before.get(501));
    expect(after.get(500)).toBe(before.get(500));
    expect(after.get(502)).toBe(before.get(502));
  });

  it('keeps what other routes withheld after a save, and no reader narrows anything', () => {
    const cache = createAuditCache();
    const snap0 = operation(3, 3);
    const p0 = toPublicProjection(snap0, NOW, { cache });
    expect(p0.disclosure.ok).toBe(true);
    const snap1 = structuredClone(snap0);
    // A save in route 501: one movement's no-shows go from 0 to 2 (a new protected difference).
    setCounts(snap1, 101, stages(39, 37, null));
    const p1 = toPublicProjection(snap1, NOW, { cache, previous: releasesOf(p0) });
    expect(p1.disclosure.ok).toBe(true);
    const outside = (id: string) => /^m(1|2|20[0-2])\./.test(id);
    expect(withheldOf(p0, outside).length).toBeGreaterThan(0);
    expect(withheldOf(p1, outside)).toEqual(withheldOf(p0, outside));
    expect(readerProblems({ snap: snap0, p: p0 }, { snap: snap1, p: p1 })).toEqual([]);
  });

  it('repairs a carried pattern the new state no longer covers (the audit, not the carry, decides)', () => {
    const cache = createAuditCache();
    const snap0 = operation(2, 3);
    const p0 = toPublicProjection(snap0, NOW, { cache });
    const snap1 = structuredClone(snap0);
    // Route 500 unchanged; route 501's only arrival on its day turns small: the day
    // total that linked them now pins a small figure unless something more is withheld.
    setCounts(snap1, 101, stages(3, 3, 3));
    const p1 = toPublicProjection(snap1, NOW, { cache, previous: releasesOf(p0) });
    expect(p1.disclosure.ok).toBe(true);
    expect(readerProblems({ snap: snap0, p: p0 }, { snap: snap1, p: p1 })).toEqual([]);
  });

  it('re-audits only what changed: a save on a large operation searches far fewer programs than a cold build', () => {
    const cache = createAuditCache();
    const snap0 = operation(12, 20, 10_000);
    const cold = toPublicProjection(snap0, NOW, { cache: createAuditCache() });
    const p0 = toPublicProjection(snap0, NOW, { cache });
    const snap1 = structuredClone(snap0);
    setCounts(snap1, 10_000 + 500 + 3, stages(41, 38, null));
    const p1 = toPublicProjection(snap1, NOW, { cache, previous: releasesOf(p0) });
    expect(p1.disclosure.ok).toBe(true);
    const coldSolves = cold.disclosure.operations[0]!.audit.solves;
    const saveSolves = p1.disclosure.operations[0]!.audit.solves;
    expect(saveSolves).toBeLessThan(coldSolves / 2);
    // Cells lost stay comparable to a cold build of the same state.
    const fresh = toPublicProjection(snap1, NOW);
    expect(p1.disclosure.operations[0]!.withheld).toBeLessThanOrEqual(
      fresh.disclosure.operations[0]!.withheld * 1.25 + 5,
    );
  });
});
