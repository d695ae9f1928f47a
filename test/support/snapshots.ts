// Snapshots built in memory, for the pure tests of the public projection.
import { type Counts, emptyCounts } from '../../src/domain/figures.ts';
import type { Snapshot, SnapshotMovement, SnapshotRoute } from '../../src/domain/snapshot.ts';
import type { OperationRow } from '../../src/store/repositories/catalog.ts';

export const NOW = new Date('2026-03-05T12:00:00Z');
export const EARLIER = new Date('2026-03-05T06:00:00Z');

export function counts(spec: Partial<Record<keyof Counts, Partial<Counts[keyof Counts]>>>): Counts {
  const c = emptyCounts();
  for (const [stage, figures] of Object.entries(spec)) Object.assign(c[stage as keyof Counts], figures);
  return c;
}

let nextId = 1;
export function movement(overrides: Partial<SnapshotMovement> = {}): SnapshotMovement {
  const id = overrides.id ?? nextId++;
  return {
    id,
    label: `Flight ${id}`,
    labels: { en: `Flight ${id}` },
    kind: 'flight',
    scheduledDate: '2026-03-05',
    scheduledDepartureAt: null,
    meetingPoint: null,
    departedAt: new Date('2026-03-05T04:00:00Z'),
    arrivedAt: null,
    departedTimeKnown: true,
    arrivedTimeKnown: true,
    statusAsOf: null,
    cancelledAt: null,
    status: 'departed',
    delayed: false,
    capacity: null,
    currentLegId: null,
    publicNotes: {},
    publicQuote: null,
    staffNote: null,
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

export function route(movements: SnapshotMovement[], overrides: Partial<SnapshotRoute> = {}): SnapshotRoute {
  const id = overrides.id ?? nextId++;
  const place = (slug: string) => ({
    id: 1,
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
    staffNote: null,
    sourceId: null,
    legs: [
      {
        id,
        position: 1,
        from: place('a'),
        to: place('b'),
        mode: 'bus',
        crossesBorder: false,
        crossingStatus: null,
        publicNotes: {},
        updatedAt: EARLIER,
      },
    ],
    movements,
    updatedAt: EARLIER,
    ...overrides,
  };
}

export function snapshot(routes: SnapshotRoute[], op: Partial<OperationRow> = {}): Snapshot {
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
