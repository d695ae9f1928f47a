// The digest's content at scale (issue 21: day bounds computed once; issue 14: the
// day audited jointly with the day before) prints exactly the two states audited
// together (publicDaysInMemory, what the ledger's day chain does for two days), and a
// change only between two printed figures.
import { describe, expect, it } from 'vitest';
import { endOfDay, inDay } from '../../src/domain/calendar.ts';
import { buildDigestContent } from '../../src/domain/digest/content.ts';
import { inDayOf } from '../../src/domain/digest/day.ts';
import { publicDaysInMemory } from '../../src/domain/digest/public-days.ts';
import { DIGEST_DAY, digestStates } from '../../bench/digest-content-data.ts';

const TZ = 'Asia/Almaty';

describe('digest content at scale', () => {
  it('prints the day and the day before as audited together, and the change between them', () => {
    const states = digestStates(150, 7);
    const at = endOfDay(DIGEST_DAY, TZ);
    const content = buildDigestContent({ ...states, day: DIGEST_DAY, now: new Date(at.getTime() + 1) });
    const days = publicDaysInMemory(states.snapshot, states.previousSnapshot, DIGEST_DAY);
    expect(days.day.projection.disclosure.ok).toBe(true);
    expect(days.day.day).toBe(DIGEST_DAY);
    const day = days.day.projection.operations[0]!;
    const prev = days.before!.projection.operations[0]!;
    expect(day.routes.length).toBeGreaterThan(5);
    // Something is protected, so the audit had work to do.
    const kinds = new Set(day.routes.flatMap((r) => Object.values(r.figures).map((f) => f.kind)));
    expect(kinds.has('value')).toBe(true);
    expect(content.public.routes.map((r) => [r.id, r.figures])).toEqual(
      day.routes.map((r) => [r.id, r.figures]),
    );
    expect(content.public.totals.departed).toEqual(day.totals.departed);
    expect(content.public.groups.map((g) => g.figures)).toEqual(day.groups.map((g) => g.figures));
    const prevOf = new Map(prev.routes.map((r) => [r.id, r.figures]));
    for (const r of content.public.routes) {
      const a = r.figures.departed;
      const b = prevOf.get(r.id)?.departed;
      if (a.kind === 'value' && b?.kind === 'value')
        expect(r.change?.departed).toEqual({ kind: 'delta', value: a.value - b.value });
    }
    expect(content.public.previous?.day).toBe('2026-03-03');
    expect(content.public.departed.length).toBeGreaterThan(0);
  });

  it('tests a day by its bounds as inDay does, at the edges', () => {
    const test = inDayOf(DIGEST_DAY, TZ);
    const end = endOfDay(DIGEST_DAY, TZ);
    for (const t of [
      new Date(end.getTime() - 86_400_000),
      new Date(end.getTime() - 86_400_000 + 1),
      end,
      new Date(end.getTime() + 1),
      null,
    ]) {
      expect(test(t)).toBe(inDay(t, DIGEST_DAY, TZ));
    }
    expect(test(end)).toBe(true);
    expect(test(new Date(end.getTime() + 1))).toBe(false);
  });
});
