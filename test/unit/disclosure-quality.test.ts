// The quality of secondary suppression (issue 21, "protection that keeps figures
// visible"): on a realistic operation the audit passes with few cells withheld, none
// of them a headline figure, and without the whole-relation last resort — before, a
// small arrival's repair hid every arrival of its day (docs/benchmarks.md, "Cells
// withheld by cause"). Safety itself is proven by the audit and by the independent
// reader in disclosure.test.ts; this guards against hiding too much.
import { describe, expect, it } from 'vitest';
import { createAuditCache, discloseOperation } from '../../src/domain/disclosure.ts';
import { figureInput, isPublished } from '../../src/domain/privacy.ts';
import { scaleShape } from '../../bench/disclosure-quality-data.ts';

const NOW = new Date('2026-03-06T12:00:00Z');

describe('secondary suppression on a realistic operation', () => {
  it('withholds few cells, no headline figure, and never a whole relation', () => {
    const snap = scaleShape(1000);
    const input = figureInput(snap, (m) => isPublished(m, 0, NOW));
    const d = discloseOperation(1, input, { cache: createAuditCache() });
    expect(d.ok).toBe(true);
    expect(d.withheld / d.table.cells.size).toBeLessThan(0.08);
    expect(d.withheldBy.last_resort ?? 0).toBe(0);
    const withheldLevels = new Set(
      [...d.display].filter(([, x]) => x === 'withheld').map(([id]) => d.table.get(id)!.level),
    );
    expect(withheldLevels.has('headline')).toBe(false);
    expect(withheldLevels.has('operation')).toBe(false);

    // A save of one movement: the next state, audited with this one, stays as economical.
    const moved = input.movements.find((m) => m.counts.arrived.total !== null)!;
    const next = {
      ...input,
      movements: input.movements.map((m) =>
        m === moved ? { ...m, counts: { ...m.counts, arrived: { ...m.counts.arrived, total: 1 } } } : m,
      ),
    };
    const after = discloseOperation(1, next, { previous: d.release, cache: createAuditCache() });
    expect(after.ok).toBe(true);
    expect(after.withheld / after.table.cells.size).toBeLessThan(0.08);
  });
});
