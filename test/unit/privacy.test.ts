import { describe, expect, it } from 'vitest';
import { emptyCounts, type Counts } from '../../src/domain/figures.ts';
import { type PublicFigure, type PublishedMovement, toPublicProjection } from '../../src/domain/privacy.ts';
import type { Snapshot, SnapshotMovement, SnapshotRoute } from '../../src/domain/snapshot.ts';
import type { OperationRow } from '../../src/store/repositories/catalog.ts';

const NOW = new Date('2026-03-05T12:00:00Z');
const EARLIER = new Date('2026-03-05T06:00:00Z');

function counts(spec: Partial<Record<keyof Counts, Partial<Counts[keyof Counts]>>>): Counts {
  const c = emptyCounts();
  for (const [stage, figures] of Object.entries(spec)) Object.assign(c[stage as keyof Counts], figures);
  return c;
}

let nextId = 1;
function movement(overrides: Partial<SnapshotMovement> = {}): SnapshotMovement {
  const id = nextId++;
  return {
    id,
    label: `Flight ${id}`,
    labels: { en: `Flight ${id}` },
    kind: 'flight',
    scheduledDate: '2026-03-05',
    scheduledDepartureAt: new Date('2026-03-05T09:30:00Z'),
    meetingPoint: 'Gate 7 of the Embassy compound',
    departedAt: new Date('2026-03-05T04:00:00Z'),
    arrivedAt: null,
    departedTimeKnown: true,
    arrivedTimeKnown: true,
    statusAsOf: null,
    cancelledAt: null,
    status: 'departed',
    delayed: false,
    capacity: 180,
    currentLegId: null,
    publicNotes: {},
    publicQuote: null,
    staffNote: 'STAFF ONLY: call Mr Example on +7 700 000 0000',
    sourceId: null,
    countsSourceId: null,
    counts: emptyCounts(),
    figuresAsOf: EARLIER,
    figuresAsOfTimeKnown: true,
    registeredAsOf: null,
    version: 1,
    createdAt: EARLIER,
    updatedAt: EARLIER,
    ...overrides,
  };
}

function route(movements: SnapshotMovement[], overrides: Partial<SnapshotRoute> = {}): SnapshotRoute {
  const id = nextId++;
  const place = (slug: string) => ({
    id: nextId++,
    slug,
    names: { en: slug },
    countryCode: 'KZ',
    kind: 'city',
    latitude: null,
    longitude: null,
  });
  return {
    id,
    slug: `route-${id}`,
    names: { en: `Route ${id}` },
    position: 0,
    publicNotes: {},
    publicQuote: null,
    staffNote: 'STAFF ONLY route note',
    sourceId: null,
    legs: [
      {
        id: nextId++,
        position: 1,
        from: place('a'),
        to: place('b'),
        mode: 'bus',
        crossesBorder: true,
        crossingStatus: 'open',
        publicNotes: {},
        updatedAt: EARLIER,
      },
    ],
    movements,
    updatedAt: EARLIER,
    ...overrides,
  };
}

function snapshot(routes: SnapshotRoute[], op: Partial<OperationRow> = {}): Snapshot {
  const operation = {
    id: 1,
    slug: 'op',
    names: { en: 'Op' },
    timeZone: 'Asia/Almaty',
    isPublic: true,
    status: 'active',
    closedAt: null,
    publicationDelayMinutes: 0,
    staleAfterHours: 12,
    smallCountThreshold: 5,
    digestTime: '20:00',
    createdAt: EARLIER,
    updatedAt: EARLIER,
    ...op,
  } as OperationRow;
  return {
    operation,
    routes,
    sources: new Map(),
    notices: [],
    contacts: [],
    lastUpdatedAt: EARLIER,
    takenAt: NOW,
  };
}

const value = (f: PublicFigure) => (f.kind === 'value' ? f.value : undefined);
const hidden = (f: PublicFigure) => f.kind === 'fewer_than' || f.kind === 'withheld';

describe('toPublicProjection: small counts', () => {
  it('shows a group of 3 as "fewer than 5" and withholds enough that the totals do not give it away', () => {
    const m = movement({
      counts: counts({ departed: { total: 120, over60: 3, womenChildren: 40, medical: 17 } }),
    });
    const p = toPublicProjection(snapshot([route([m])]), NOW);
    const op = p.operations[0]!;
    const over60 = op.groups.find((g) => g.group === 'over60')!;
    expect(over60.figures.departed).toEqual({ kind: 'fewer_than', threshold: 5 });
    expect(value(op.totals.departed)).toBe(120);
    // The other departed groups: at least one more is withheld, so 120 − the rest is not 3.
    const others = op.groups.filter((g) => g.group !== 'over60').map((g) => g.figures.departed);
    expect(others.filter(hidden).length).toBeGreaterThanOrEqual(1);
    const visibleSum = others.reduce((a, f) => a + (value(f) ?? 0), 0);
    expect(120 - visibleSum).not.toBe(3);
    expect(JSON.stringify(p)).not.toMatch(/"value":3\b/);
  });

  it('hides a movement of 3 people and a complementary figure of its route', () => {
    const small = movement({ counts: counts({ departed: { total: 3 } }) });
    const big = movement({ counts: counts({ departed: { total: 100 } }) });
    const p = toPublicProjection(snapshot([route([small, big])]), NOW);
    const r = p.operations[0]!.routes[0]!;
    const [ms, mb] = r.movements as PublishedMovement[];
    expect(ms!.figures.departed).toEqual({ kind: 'fewer_than', threshold: 5 });
    expect(mb!.figures.departed).toEqual({ kind: 'withheld' });
    expect(value(r.figures.departed)).toBe(103);
  });

  it('protects a small difference: 150 departed, 148 arrived means 2 still on the way', () => {
    const m = movement({
      status: 'arrived',
      counts: counts({ departed: { total: 150 }, arrived: { total: 148 } }),
    });
    const p = toPublicProjection(snapshot([route([m])]), NOW);
    const op = p.operations[0]!;
    expect(op.totals.onTheWay).toEqual({ kind: 'fewer_than', threshold: 5 });
    const shown = [op.totals.departed, op.totals.arrived].map(value);
    expect(shown.includes(150) && shown.includes(148)).toBe(false);
  });

  it('respects a configured threshold and leaves zeros and large figures alone', () => {
    const m = movement({ counts: counts({ departed: { total: 40, over60: 0, medical: 8, other: 32 } }) });
    const p10 = toPublicProjection(snapshot([route([m])], { smallCountThreshold: 10 }), NOW).operations[0]!;
    expect(p10.groups.find((g) => g.group === 'medical')!.figures.departed).toEqual({
      kind: 'fewer_than',
      threshold: 10,
    });
    expect(value(p10.groups.find((g) => g.group === 'over60')!.figures.departed)).toBe(0);
    const p5 = toPublicProjection(snapshot([route([m])]), NOW).operations[0]!;
    expect(value(p5.groups.find((g) => g.group === 'medical')!.figures.departed)).toBe(8);
  });
});

describe('toPublicProjection: publication and safety', () => {
  it('shows an undeparted movement with its route and date only', () => {
    const m = movement({
      status: 'boarding',
      departedAt: null,
      publicNotes: { en: 'Meet at 06:30' },
      counts: counts({ registered: { total: 60 } }),
    });
    const p = toPublicProjection(snapshot([route([m])]), NOW);
    const op = p.operations[0]!;
    expect(op.routes[0]!.movements[0]).toEqual({
      published: false,
      id: m.id,
      status: 'upcoming',
      scheduledDate: '2026-03-05',
      // The days it was set for before (none here): dates the page showed, nothing more.
      reschedulings: [],
    });
    expect(op.nextDepartures).toHaveLength(1);
    expect(value(op.totals.waiting)).toBe(60);
    const json = JSON.stringify(p);
    for (const secret of ['Gate 7', '09:30', 'Meet at', m.label]) expect(json).not.toContain(secret);
  });

  it('marks a departure overdue once its local day has passed without it departing', () => {
    const waiting = (scheduledDate: string) =>
      movement({ status: 'planned', departedAt: null, scheduledDate, scheduledDepartureAt: null });
    const [past, today, tomorrow] = [waiting('2026-03-04'), waiting('2026-03-05'), waiting('2026-03-06')];
    // 23:30 on 5 March in Almaty (UTC+5) is still 5 March there.
    const p = toPublicProjection(
      snapshot([route([tomorrow, today, past])]),
      new Date('2026-03-05T18:30:00Z'),
    );
    expect(p.operations[0]!.nextDepartures.map((d) => [d.scheduledDate, d.overdue])).toEqual([
      ['2026-03-04', true],
      ['2026-03-05', false],
      ['2026-03-06', false],
    ]);
    // …and 00:30 on 6 March there: 5 March has passed.
    const later = toPublicProjection(snapshot([route([today])]), new Date('2026-03-05T19:30:00Z'));
    expect(later.operations[0]!.nextDepartures[0]!.overdue).toBe(true);
  });

  it('keeps a departed movement private until the publication delay has passed', () => {
    const departedAt = new Date(NOW.getTime() - 10 * 60_000);
    const m = movement({ departedAt, counts: counts({ departed: { total: 50 } }) });
    const snap = snapshot([route([m])], { publicationDelayMinutes: 30 });
    const before = toPublicProjection(snap, NOW);
    expect(before.operations[0]!.routes[0]!.movements[0]!.published).toBe(false);
    expect(before.operations[0]!.totals.departed).toEqual({ kind: 'not_reported' });
    expect(before.validUntil).toEqual(new Date(departedAt.getTime() + 30 * 60_000));
    const after = toPublicProjection(snap, new Date(NOW.getTime() + 21 * 60_000));
    expect(after.operations[0]!.routes[0]!.movements[0]!.published).toBe(true);
  });

  it('never carries a staff note, a meeting point or a scheduled time', () => {
    const m = movement({ counts: counts({ departed: { total: 50 } }) });
    const json = JSON.stringify(toPublicProjection(snapshot([route([m])]), NOW));
    expect(json).not.toContain('STAFF ONLY');
    expect(json).not.toContain('Gate 7');
    expect(json).not.toContain('scheduledDepartureAt');
    expect(json).not.toContain('meetingPoint');
  });

  it('marks a route stale after the threshold and says when that happens', () => {
    const m = movement({ counts: counts({ departed: { total: 50 } }) });
    const snap = snapshot([route([m])], { staleAfterHours: 3 });
    const p = toPublicProjection(snap, NOW);
    expect(p.operations[0]!.routes[0]!.stale).toBe(true);
    const fresh = toPublicProjection(snapshot([route([m])], { staleAfterHours: 12 }), NOW);
    expect(fresh.operations[0]!.routes[0]!.stale).toBe(false);
    expect(fresh.validUntil).toEqual(new Date(EARLIER.getTime() + 12 * 3_600_000));
  });

  it('counts a day-only as-of from the end of its day: not stale that evening, stale the next noon', () => {
    // "As of 3 March (time not reported)": stored at local midnight in Asia/Almaty (UTC+5).
    const march3 = new Date('2026-03-02T19:00:00Z');
    const m = () =>
      movement({
        counts: counts({ departed: { total: 50 } }),
        departedAt: march3,
        departedTimeKnown: false,
        figuresAsOf: march3,
        figuresAsOfTimeKnown: false,
      });
    const evening = toPublicProjection(snapshot([route([m()])]), new Date('2026-03-03T15:00:00Z')); // 20:00
    expect(evening.operations[0]!.routes[0]!.stale).toBe(false);
    // The projection is rebuilt when the mark appears: at 12:00 on 4 March, local.
    expect(evening.validUntil).toEqual(new Date('2026-03-04T07:00:00Z'));
    const noon = toPublicProjection(snapshot([route([m()])]), new Date('2026-03-04T07:00:01Z'));
    expect(noon.operations[0]!.routes[0]!.stale).toBe(true);
  });

  it('counts arrivals on the local day they arrived', () => {
    const a = movement({
      status: 'arrived',
      arrivedAt: new Date('2026-03-03T20:00:00Z'), // 4 March in Almaty
      counts: counts({ departed: { total: 100 }, arrived: { total: 100 } }),
    });
    const b = movement({
      status: 'arrived',
      arrivedAt: new Date('2026-03-05T08:00:00Z'),
      counts: counts({ departed: { total: 60 }, arrived: { total: 60 } }),
    });
    const op = toPublicProjection(snapshot([route([a, b])]), NOW).operations[0]!;
    expect(op.arrivalsByDay.map((d) => [d.day, value(d.arrived)])).toEqual([
      ['2026-03-04', 100],
      ['2026-03-05', 60],
    ]);
  });
});
