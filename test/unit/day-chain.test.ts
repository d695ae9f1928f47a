// The day chain and a refused day end recorded in the ledger (docs/privacy.md, "A refused
// day end"): a day recorded as refused, with the same figures and still showing the last
// day that passed, is shown so without an audit, and so is the day after it; when the
// state it showed is no longer the chain's (a day before it was recorded again since), it
// is audited again, and so is the next recorded day (from its recorded display). Audits
// are counted with a memo that keeps nothing (each audit asked is one miss). In memory.
import { describe, expect, it } from 'vitest';
import { DayChain, type DayLedger, type PendingDay } from '../../src/domain/day-chain.ts';
import { DisclosureMemo, type Release, createAuditCache } from '../../src/domain/disclosure.ts';
import { storedText } from '../../src/domain/disclosure-ledger.ts';
import type { OperationHistory } from '../../src/domain/public-as-of.ts';
import type { FigureAsOf } from '../../src/store/repositories/as-of.ts';
import { movement, route, snapshot } from '../support/snapshots.ts';

const [D1, D2, D3] = ['2026-03-02', '2026-03-03', '2026-03-04'];
const at = (day: string) => new Date(`${day}T06:00:00Z`);

/** M1 departs on D1 (60 / 40), M2 on D2 (30 / 30), M3 on D3 (25 / 25); one route. */
function history(): OperationHistory {
  const plan = [
    { id: 1, day: D1, R: 60, D: 40 },
    { id: 2, day: D2, R: 30, D: 30 },
    { id: 3, day: D3, R: 25, D: 25 },
  ];
  const figures: FigureAsOf[] = plan.flatMap((p) =>
    (['registered', 'departed'] as const).map((stage) => ({
      movementId: p.id,
      stage,
      field: 'total' as const,
      value: stage === 'registered' ? p.R : p.D,
      asOf: at(p.day),
      asOfTimeKnown: true,
      sourceId: null,
      recordedAt: at(p.day),
    })),
  );
  figures.sort((a, b) => a.asOf.getTime() - b.asOf.getTime());
  const live = snapshot(
    [
      route(
        plan.map((p) =>
          movement({ id: p.id, departedAt: at(p.day), createdAt: at(p.day), figuresAsOf: at(p.day) }),
        ),
        { id: 10 },
      ),
    ],
    { smallCountThreshold: 5, publicationDelayMinutes: 0 },
  );
  return { live, history: figures, firstDay: D1 };
}

function counted() {
  const memo = new DisclosureMemo({ entries: 0, bytes: 0 });
  return { memo, cache: createAuditCache({ memo }) };
}

const recorded = (release: Release, refused?: PendingDay['refused']) => ({
  release,
  text: storedText(release, refused),
  ...(refused && { refused }),
});

/** The chain on a fresh ledger (every day passes), then what D2's refusal record is. */
function setup() {
  const h = history();
  const fresh = new DayChain(h, counted().cache);
  fresh.project(D3);
  const byDay = new Map(fresh.pending.map((p) => [p.point, p.release]));
  const [r1, r2, r3] = [byDay.get(D1)!, byDay.get(D2)!, byDay.get(D3)!];
  expect([r1, r2, r3].every((r) => r !== undefined)).toBe(true);
  // D2 made to be refused: a value 2 from M1's departed figure, printed by no state of the chain.
  const memory = new Map([['m1.D', [40, 42]]]);
  return { h, r1, r2, r3, memory };
}

describe('day chain: a refused day end recorded in the ledger', () => {
  it('is audited once, recorded showing the day before; then shown so without an audit', () => {
    const { h, r1, memory } = setup();
    const first = counted();
    const chain = new DayChain(h, first.cache, { days: new Map([[D1, recorded(r1)]]), memory });
    expect(chain.project(D2).day).toBe(D1);
    expect(first.memo.stats().misses).toBe(1);
    const [marker] = chain.pending;
    expect(marker).toMatchObject({ point: D2, release: r1, refused: { day: D2 } });

    const again = counted();
    const ledger: DayLedger = {
      days: new Map([
        [D1, recorded(r1)],
        [D2, recorded(r1, marker!.refused)],
      ]),
      memory,
    };
    const reloaded = new DayChain(h, again.cache, ledger);
    const shown = reloaded.project(D2);
    expect(shown.day).toBe(D1);
    expect(JSON.stringify(shown.projection.disclosure.releases[0])).toBe(JSON.stringify(r1));
    expect(again.memo.stats().misses).toBe(0);
    expect(reloaded.pending).toEqual([]);
  });

  it('a day recorded after the refused one is shown as recorded, or audited again if the refusal showed another state', () => {
    const { h, r1, r3, memory } = setup();
    const fresh = new DayChain(h, counted().cache, { days: new Map([[D1, recorded(r1)]]), memory });
    fresh.project(D2);
    const refused = fresh.pending[0]!.refused!;

    // Still showing D1 as recorded: neither D2 nor D3 is audited.
    const same = counted();
    const days = (shownForD2: Release) =>
      new Map([
        [D1, recorded(r1)],
        [D2, recorded(shownForD2, refused)],
        [D3, recorded(r3)],
      ]);
    const chain = new DayChain(h, same.cache, { days: days(r1), memory });
    expect(chain.project(D3).day).toBe(D3);
    expect(same.memo.stats().misses).toBe(0);
    expect(chain.pending).toEqual([]);

    // The refusal showed another state of D1 (D1 was recorded again since): D2 is audited
    // again (still refused: recorded anew, showing D1 now), and D3 is audited again with it.
    const other: Release = { ...r1, hidden: [...r1.hidden, ['m1.R', 'withheld']] };
    const changed = counted();
    const walk = new DayChain(h, changed.cache, { days: days(other), memory });
    walk.project(D3);
    expect(changed.memo.stats().misses).toBe(2);
    expect(walk.pending[0]).toMatchObject({ point: D2, release: r1, refused });
  });
});
