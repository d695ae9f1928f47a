// GET /api/v1/status?asOf=: the public JSON at the end of a past local day, from the
// history by as-of and event times; coarsened to whole days that have ended, audited
// day after day like the live page; cached with validators; bad or impossible points
// answered with stable codes. Seeded data, a clock set months after the reports.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import type { Database } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

const LATER = new Date('2026-09-15T08:00:00Z');
const clock = fixedClock(LATER);
let database: Database;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database, { clock });
});

type Json = {
  asOf: string;
  operations: {
    slug: string;
    asOfDay: string;
    asOf: string;
    figuresAsOf: string | null;
    totals: Record<string, { status: string; value: number | null }>;
    routes: { slug: string; movements: { published: boolean; status: string; id: number }[] }[];
  }[];
};
const get = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/v1/status${query}`, { headers });
const json = async (query: string) => {
  const res = await get(query);
  expect(res.status, query).toBe(200);
  return (await res.json()) as Json;
};

describe('GET /api/v1/status?asOf=', () => {
  it('gives the state at the end of that local day, from the reports’ times', async () => {
    const d3 = await json('?asOf=2026-03-03');
    const op = d3.operations[0]!;
    expect(op.asOfDay).toBe('2026-03-03');
    expect(op.asOf).toBe('2026-03-03T18:59:59.999Z'); // 23:59:59.999 in Almaty
    expect(d3.asOf).toBe(op.asOf);
    expect(op.figuresAsOf! <= op.asOf).toBe(true);
    // The Oman group left on 3 March: published at the end of that day…
    const oman = (j: Json) => j.operations[0]!.routes.find((r) => r.slug === 'dubai-oman')!.movements;
    expect(oman(d3).some((m) => m.published && m.status === 'departed')).toBe(true);
    // Nothing of the operation was known at the end of 2 March (its first report is of 3 March).
    const d2 = await get('?asOf=2026-03-02');
    expect(d2.status).toBe(404);
    expect(((await d2.json()) as { error: { code: string } }).error.code).toBe('as_of_before_operation');
  });

  it('coarsens a time to the end of the last whole day before it', async () => {
    const noon = await json('?asOf=2026-03-04T12:00:00%2B05:00');
    expect(noon.operations[0]!.asOfDay).toBe('2026-03-03');
    const end = await json('?asOf=2026-03-04T18:59:59.999Z');
    expect(end.operations[0]!.asOfDay).toBe('2026-03-04');
    // The same point gives the same bytes, whatever the query said.
    const a = await (await get('?asOf=2026-03-04T12:00:00Z')).text();
    const b = await (await get('?asOf=2026-03-03')).text();
    expect(a).toBe(b);
  });

  it('answers a malformed point 400 invalid_as_of, an impossible one 404 with its code', async () => {
    for (const bad of ['yesterday', '2026-02-30', '2026-03-03T12:00', '2026-03-03T25:00Z', '']) {
      const res = await get(`?asOf=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_as_of');
    }
    const future = await get('?asOf=2026-09-15');
    expect(future.status).toBe(404);
    expect(((await future.json()) as { error: { code: string } }).error.code).toBe('as_of_in_future');
    const before = await get('?asOf=2025-12-31');
    expect(before.status).toBe(404);
    expect(((await before.json()) as { error: { code: string } }).error.code).toBe('as_of_before_operation');
    // The day before the clock's is the latest: it has ended.
    expect((await get('?asOf=2026-09-14')).status).toBe(200);
  });

  it('is cached with strong validators and answers 304; the live JSON is untouched', async () => {
    const first = await get('?asOf=2026-03-04', { 'accept-encoding': 'br' });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(first.headers.get('cache-control')).toContain('public');
    expect(first.headers.get('last-modified')).toBeTruthy();
    expect((await get('?asOf=2026-03-04', { 'accept-encoding': 'br', 'if-none-match': etag })).status).toBe(
      304,
    );
    const live = (await (await get('')).json()) as { asOf?: string; operations: { asOfDay?: string }[] };
    expect(live.asOf).toBeUndefined();
    expect(live.operations[0]!.asOfDay).toBeUndefined();
    const head = await fetch(`${server.url}/api/v1/status?asOf=2026-03-04`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});

describe('as-of points and small counts (docs/privacy.md)', () => {
  it('two days a reader can ask for never give away a small change by subtraction', async () => {
    const db = await createTestDatabase();
    const op = await makeOperation(db.db, { smallCountThreshold: 5, publicationDelayMinutes: 0 });
    const { route } = await makeRoute(db.db, op.id);
    const day1 = new Date('2026-03-03T06:00:00Z');
    const m = await makeMovement(db.db, route.id, { status: 'departed', departedAt: day1 }, counts({}));
    const save = (departed: number, asOf: Date, version: number) =>
      updateMovementCounts(
        { db: db.db },
        {
          movementId: m.id,
          expectedVersion: version,
          counts: counts({ registered: { total: 60 }, departed: { total: departed } }),
          reason: 'as-of test',
          sourceId: null,
          actor: { id: null, label: 'test' },
          asOf,
        },
      );
    const first = await save(40, day1, m.version);
    await save(43, new Date('2026-03-04T06:00:00Z'), first.version);
    const s = await startTestServer(db, { clock });
    const at = async (day: string) => {
      const j = (await (await fetch(`${s.url}/api/v1/status?asOf=${day}`)).json()) as Json;
      return j.operations[0]!.totals.departed!;
    };
    const [a, b] = [await at('2026-03-03'), await at('2026-03-04')];
    // Not both exact: 43 − 40 = 3 would be a small count recovered by subtraction.
    expect(a.status === 'value' && b.status === 'value').toBe(false);
    expect([a.value, b.value]).toContain(40);
  });
});
