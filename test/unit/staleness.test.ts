// The stale rule (src/domain/staleness.ts): staleness counts from the latest moment the
// figures may have been true — the as-of itself when the source gave a time, the end of
// the as-of's local day when it gave a day only — the day's end found in the zone (a DST
// day is 23 or 25 hours long), the threshold then in hours.
import { describe, expect, it } from 'vitest';
import { toPublicProjection } from '../../src/domain/privacy.ts';
import { isStale, routeStaleFrom, staleFrom } from '../../src/domain/staleness.ts';
import { counts, movement, route, snapshot } from '../support/snapshots.ts';

const ALMATY = 'Asia/Almaty'; // UTC+5, no DST
const BERLIN = 'Europe/Berlin'; // CET/CEST: 29 March 2026 has 23 hours, 25 October 2026 has 25
const at = (iso: string) => new Date(iso);

describe('staleFrom', () => {
  it('counts a day-only as-of from the end of that day in the zone', () => {
    // "As of 3 March (time not reported)", stored as local midnight.
    const march3 = at('2026-03-02T19:00:00Z');
    expect(staleFrom(march3, false, ALMATY, 12).toISOString()).toBe('2026-03-04T07:00:00.000Z'); // 12:00 on 4 March
    expect(isStale(march3, false, ALMATY, 12, at('2026-03-03T15:00:00Z'))).toBe(false); // 20:00 on 3 March
    expect(isStale(march3, false, ALMATY, 12, at('2026-03-03T19:00:00Z'))).toBe(false); // midnight: still 3 March's report
    expect(isStale(march3, false, ALMATY, 12, at('2026-03-04T07:00:00Z'))).toBe(false); // the instant itself
    expect(isStale(march3, false, ALMATY, 12, at('2026-03-04T07:00:00.001Z'))).toBe(true);
  });

  it('counts a known time from that instant', () => {
    const noon = at('2026-03-03T07:53:00Z'); // 12:53 in Almaty
    expect(staleFrom(noon, true, ALMATY, 12).toISOString()).toBe('2026-03-03T19:53:00.000Z');
    expect(isStale(noon, true, ALMATY, 12, at('2026-03-03T19:53:00.001Z'))).toBe(true);
    expect(isStale(noon, true, ALMATY, 12, at('2026-03-03T19:52:59Z'))).toBe(false);
  });

  it('finds the end of a 23-hour day (spring DST change) in the zone, not 24 h after its start', () => {
    const march29 = at('2026-03-28T23:00:00Z'); // 00:00 CET on 29 March
    // The day ends at 00:00 CEST on 30 March = 22:00Z; + 12 h = 12:00 local on 30 March.
    expect(staleFrom(march29, false, BERLIN, 12).toISOString()).toBe('2026-03-30T10:00:00.000Z');
    expect(isStale(march29, false, BERLIN, 12, at('2026-03-30T10:30:00Z'))).toBe(true);
  });

  it('finds the end of a 25-hour day (autumn DST change) in the zone', () => {
    const october25 = at('2026-10-24T22:00:00Z'); // 00:00 CEST on 25 October
    // The day ends at 00:00 CET on 26 October = 23:00Z on the 25th; + 12 h = 12:00 local.
    expect(staleFrom(october25, false, BERLIN, 12).toISOString()).toBe('2026-10-26T11:00:00.000Z');
    // 24 h after its start would have said stale an hour early.
    expect(isStale(october25, false, BERLIN, 12, at('2026-10-26T10:30:00Z'))).toBe(false);
  });

  it('counts the threshold in hours across a DST change when the time is known', () => {
    const evening = at('2026-03-28T19:00:00Z'); // 20:00 CET on 28 March
    expect(staleFrom(evening, true, BERLIN, 12).toISOString()).toBe('2026-03-29T07:00:00.000Z'); // 09:00 CEST
  });
});

describe('routeStaleFrom', () => {
  const op = { timeZone: ALMATY, staleAfterHours: 12 };
  it("dates a public route's stale mark by its figures' as-of", () => {
    const r = { figuresAsOf: at('2026-03-02T19:00:00Z'), figuresAsOfTimeKnown: false, final: false };
    expect(routeStaleFrom(r, op)?.toISOString()).toBe('2026-03-04T07:00:00.000Z');
    expect(routeStaleFrom({ ...r, figuresAsOfTimeKnown: true }, op)?.toISOString()).toBe(
      '2026-03-03T07:00:00.000Z',
    );
  });
  it('never for final figures or a route without figures', () => {
    expect(
      routeStaleFrom(
        { figuresAsOf: at('2026-03-02T19:00:00Z'), figuresAsOfTimeKnown: false, final: true },
        op,
      ),
    ).toBeNull();
    expect(routeStaleFrom({ figuresAsOf: null, figuresAsOfTimeKnown: true, final: false }, op)).toBeNull();
  });
});

describe("a route's as-of from a day-only figure and a timed one of the same day", () => {
  // Figures "as of 3 March" (time not reported: stored as local midnight) on one movement,
  // "as of 3 March, 10:00" on another. The day-only report may be from any time that day, so
  // the route is as of 3 March (day only) and stale 12 h after the day's end — as with the
  // day-only figure alone. Compared by the stored instants, the timed one won and the route
  // turned stale at 22:00 on 3 March.
  const march3 = at('2026-03-02T19:00:00Z');
  const tenAm = at('2026-03-03T05:00:00Z');
  /** The route of a day-only movement of 3 March and a timed one at `timed`, at `now`. */
  const project = (now: Date, timed = tenAm) =>
    toPublicProjection(
      snapshot([
        route([
          movement({
            departedAt: march3,
            departedTimeKnown: false,
            figuresAsOf: march3,
            figuresAsOfTimeKnown: false,
            counts: counts({ departed: { total: 40 } }),
          }),
          movement({ departedAt: timed, figuresAsOf: timed, counts: counts({ departed: { total: 30 } }) }),
        ]),
      ]),
      now,
    ).operations[0]!.routes[0]!;

  it('is as of the day, time not reported, and fresh until 12 h after its end', () => {
    const evening = project(at('2026-03-03T17:30:00Z')); // 22:30 on 3 March
    expect([evening.figuresAsOf?.toISOString(), evening.figuresAsOfTimeKnown]).toEqual([
      march3.toISOString(),
      false,
    ]);
    expect(evening.stale).toBe(false);
    expect(project(at('2026-03-04T07:00:00.001Z')).stale).toBe(true);
  });

  it('takes a timed figure after the day ends as the later one', () => {
    const nextMorning = at('2026-03-03T20:00:00Z'); // 01:00 on 4 March
    const r = project(at('2026-03-04T02:00:00Z'), nextMorning);
    expect([r.figuresAsOf?.toISOString(), r.figuresAsOfTimeKnown]).toEqual([nextMorning.toISOString(), true]);
  });
});
