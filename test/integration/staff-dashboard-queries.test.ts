// The dashboard's SQL (src/store/repositories/dashboard*.ts) against the reference it
// replaces on the request path: attentionItems(snapshot) and the snapshot's routes
// and movements filtered in memory. Every kind of item, two operations (one closed),
// legacy single-language notes, expired notices, dates missing or in the future; run
// on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  legs,
  movements,
  notices,
  passengerCounts,
  publicContacts,
  routes,
  sources,
} from '../../db/schema.ts';
import { systemClock } from '../../src/clock.ts';
import { localDay } from '../../src/domain/calendar.ts';
import { type Snapshot, loadSnapshot } from '../../src/domain/snapshot.ts';
import { type AttentionItem, attentionItems } from '../../src/domain/staff/attention.ts';
import { itemOfRow } from '../../src/domain/staff/dashboard-items.ts';
import { MOVEMENT_STATUSES } from '../../src/domain/vocabulary.ts';
import type { Database } from '../../src/store/database.ts';
import { listOperations } from '../../src/store/repositories/catalog.ts';
import {
  type AttentionScope,
  attentionOfMovements,
  dashboardMovementsPage,
  dashboardOverview,
} from '../../src/store/repositories/dashboard.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

let database: Database;
const db = () => database.db;
// A day later: routes not changed for 12 hours are stale, whatever the set-up took.
const now = new Date(systemClock.now().getTime() + 24 * 3600_000);
let scope: AttentionScope;
let snapshots: Snapshot[];
const all = { en: 'x', ru: 'x', kk: 'x' };
/** Sources cited only by a notice: a current one and an expired one. */
const noticeSources = { current: 0, expired: 0 };

beforeAll(async () => {
  database = await createTestDatabase();
  const open = await makeOperation(db(), { workingLanguage: 'ru' });
  const closed = await makeOperation(db(), { status: 'closed' });
  const quiet = await makeOperation(db(), { isPublic: false });
  await db().insert(publicContacts).values({
    operationId: closed.id,
    kind: 'hotline',
    names: all,
    phone: '+7 700',
    checkedOn: '2026-03-01',
  });
  await db()
    .insert(notices)
    .values([
      { operationId: open.id, bodies: { ru: 'Сбор в 8:00' } },
      { operationId: open.id, bodies: all },
      { operationId: open.id, bodies: { en: 'gone' }, expiresAt: new Date(now.getTime() - 1000) },
      { operationId: closed.id, bodies: { kk: 'x', en: '  ' } },
    ]);
  const a = await makeRoute(db(), open.id, { position: 2, publicNotes: { en: 'note' } }, 2);
  const b = await makeRoute(db(), open.id, { position: 1, publicNote: 'старая заметка' });
  const c = await makeRoute(db(), open.id, { position: 1, names: all });
  const d = await makeRoute(db(), closed.id, { publicNotes: all });
  await makeRoute(db(), quiet.id);
  for (const leg of a.legs)
    await db()
      .update(legs)
      .set({ publicNotes: leg.position === 2 ? { en: 'opens at 8' } : all })
      .where(eq(legs.id, leg.id));
  const m = (route: number, over: Parameters<typeof makeMovement>[2], figures = counts({})) =>
    makeMovement(db(), route, { labels: all, ...over }, figures);
  await m(a.route.id, { capacity: 10 }, counts({ registered: { total: 12 } }));
  await m(a.route.id, { status: 'cancelled', capacity: 1 }, counts({ registered: { total: 12 } }));
  await m(
    a.route.id,
    { status: 'departed', scheduledDate: null },
    counts({ registered: { total: 5 }, departed: { total: 9 } }),
  );
  await m(a.route.id, { status: 'arrived', scheduledDate: '2026-03-01' });
  await m(a.route.id, { status: 'boarding' }, counts({ registered: { total: 5 }, departed: { total: 4 } }));
  await m(
    a.route.id,
    { status: 'departed', labels: { en: 'only English' } },
    counts({ departed: { total: 9 }, arrived: { total: 9 } }),
  );
  await m(a.route.id, { scheduledDate: '2999-01-01', labels: {}, publicNote: 'старое' });
  await m(a.route.id, { scheduledDate: null, publicNotes: { kk: 'x', ru: ' ' } });
  for (let i = 0; i < 7; i++)
    await m(b.route.id, { status: MOVEMENT_STATUSES[i % 5], scheduledDate: `2026-03-0${i + 1}` });
  for (let i = 0; i < 4; i++)
    await m(
      c.route.id,
      { status: i % 2 ? 'arrived' : 'cancelled' },
      counts({ registered: { total: 30 }, departed: { total: 30 }, arrived: { total: i % 2 ? 30 : null } }),
    );
  await m(d.route.id, { status: 'planned' }, counts({ departed: { total: 3 } }));
  await m(d.route.id, { status: 'departed', labels: { kk: 'x' } });

  // Cited sources: by a route, a movement and a movement's figures; one lacking English in
  // its title, one recorded before the per-language texts (its single text stands for its
  // own language), one in a language code the registry lacks, one complete, one uncited.
  const source = (over: Partial<typeof sources.$inferInsert>) =>
    db()
      .insert(sources)
      .values({
        slug: `s${Math.random()}`,
        title: 'T',
        outlet: 'O',
        publishedOn: '2026-03-02',
        language: 'ru',
        ...over,
      })
      .returning()
      .then((rows) => rows[0]!);
  const lacksEnglish = await source({ titles: { ru: 'т', kk: 'т' }, outlets: all });
  const legacy = await source({ language: 'kk' });
  const odd = await source({ language: 'de', outlets: { ru: 'o' } });
  const complete = await source({ titles: all, outlets: all });
  await source({ titles: { ru: 'uncited' } });
  // Cited only by a notice: current, then expired (no longer cited).
  const byNotice = await source({ titles: { en: 'only English' }, outlets: { en: 'o' }, language: 'en' });
  const byExpired = await source({ titles: { en: 'gone' }, outlets: { en: 'o' }, language: 'en' });
  Object.assign(noticeSources, { current: byNotice.id, expired: byExpired.id });
  await db()
    .insert(notices)
    .values([
      { operationId: open.id, bodies: all, sourceId: byNotice.id },
      {
        operationId: open.id,
        bodies: all,
        sourceId: byExpired.id,
        expiresAt: new Date(now.getTime() - 1000),
      },
    ]);
  await db().update(routes).set({ sourceId: lacksEnglish.id }).where(eq(routes.id, a.route.id));
  await db().update(routes).set({ sourceId: complete.id }).where(eq(routes.id, c.route.id));
  const [cited] = await db().select().from(movements).where(eq(movements.routeId, b.route.id)).limit(1);
  await db().update(movements).set({ sourceId: legacy.id }).where(eq(movements.id, cited!.id));
  const [figures] = await db()
    .select({ movementId: movements.id })
    .from(movements)
    .where(eq(movements.routeId, d.route.id))
    .limit(1);
  await db()
    .update(passengerCounts)
    .set({ sourceId: odd.id })
    .where(eq(passengerCounts.movementId, figures!.movementId));

  const ops = await listOperations(db());
  scope = { now, todayByOperation: Object.fromEntries(ops.map((o) => [o.id, localDay(now, o.timeZone)])) };
  snapshots = [];
  for (const op of ops) snapshots.push(await loadSnapshot({ db: db(), now }, op));
});

const reference = () => snapshots.map((s) => ({ snapshot: s, items: attentionItems(s, now) }));
const movementOf = (i: AttentionItem) => ('movementId' in i ? i.movementId : undefined);
/** The movements these items name. */
const movementIds = (items: AttentionItem[]) =>
  new Set(items.map(movementOf).filter((id): id is number => id !== undefined));

describe('the dashboard queries give what the snapshot gives', () => {
  it('lists every operation’s attention items in the same order, and counts them', async () => {
    const expected = reference();
    // The set-up covers every kind the SQL knows.
    const kinds = new Set(expected.flatMap((e) => e.items.map((i) => ('what' in i ? i.what : i.kind))));
    expect([...kinds].sort()).toEqual(
      [
        'departed_above_registered',
        'departed_figures_before_departure',
        'figures_missing_for_status',
        'leg_note',
        'movement_label',
        'movement_note',
        'no_public_contacts',
        'notice',
        'over_capacity',
        'past_date_planned',
        'route_note',
        'source',
        'stale_route',
        'status_behind_figures',
      ].sort(),
    );
    // A source cited only by a current notice needs its translations; by an expired one, not.
    const sourceItems = expected.flatMap((e) =>
      e.items.flatMap((i) => (i.kind === 'needs_translation' && i.what === 'source' ? [i.sourceId] : [])),
    );
    expect(sourceItems).toContain(noticeSources.current);
    expect(sourceItems).not.toContain(noticeSources.expired);
    // The whole list, and its first items (the movements read only as far as needed).
    for (const limit of [10_000, 3, 9]) {
      const overview = await dashboardOverview(db(), scope, limit);
      for (const { snapshot, items } of expected) {
        const id = snapshot.operation.id;
        expect(overview.heads.filter((r) => r.operation_id === id).map(itemOfRow)).toEqual(
          items.slice(0, limit),
        );
        const counted = overview.routes
          .filter((r) => r.operationId === id)
          .reduce((sum, r) => sum + r.movementItems, overview.otherItems.get(id) ?? 0);
        expect(counted).toBe(items.length);
      }
    }
  });

  it('counts each route’s movements by status and by attention', async () => {
    const { routes: rows } = await dashboardOverview(db(), scope, 1);
    const expected = reference().flatMap(({ snapshot, items }) =>
      snapshot.routes.map((r) => ({
        id: r.id,
        operationId: snapshot.operation.id,
        byStatus: Object.fromEntries(
          MOVEMENT_STATUSES.map((s): [string, number] => [
            s,
            r.movements.filter((m) => m.status === s).length,
          ]).filter(([, n]) => n),
        ),
        flagged: movementIds(items.filter((i) => 'routeId' in i && i.routeId === r.id)).size,
        movementItems: items.filter(
          (i) => 'movementId' in i && i.movementId !== undefined && i.routeId === r.id,
        ).length,
      })),
    );
    expect(rows.map(({ names: _names, ...r }) => r)).toEqual(expected);
    expect(rows.some((r) => r.flagged > 0)).toBe(true);
  });

  it('pages the movements each filter keeps, in the dashboard’s order', async () => {
    const expected = reference();
    const flagged = movementIds(expected.flatMap((e) => e.items));
    const rows = expected.flatMap(({ snapshot }) =>
      snapshot.routes.flatMap((r) => r.movements.map((m) => ({ routeId: r.id, m }))),
    );
    const routeIds = [...new Set(rows.map((r) => r.routeId))];
    const filters = [
      {},
      { status: 'attention' as const },
      { status: 'departed' as const },
      { routeId: routeIds[0] },
      { routeId: routeIds[1], status: 'attention' as const },
      { routeId: routeIds[1], status: 'planned' as const },
    ];
    for (const filter of filters) {
      const keep = rows.filter(
        (r) =>
          (filter.routeId === undefined || r.routeId === filter.routeId) &&
          (filter.status === undefined ||
            (filter.status === 'attention' ? flagged.has(r.m.id) : r.m.status === filter.status)),
      );
      for (const [offset, limit] of [
        [0, 50],
        [2, 3],
        [keep.length, 5],
      ] as const) {
        const page = await dashboardMovementsPage(db(), scope, filter, { offset, limit });
        expect(page.map((p) => p.id)).toEqual(keep.slice(offset, offset + limit).map((r) => r.m.id));
      }
    }
    const [one] = await dashboardMovementsPage(db(), scope, { status: 'departed' }, { offset: 0, limit: 1 });
    const source = rows.find((r) => r.m.id === one!.id)!.m;
    expect(one).toEqual({
      id: source.id,
      routeId: rows.find((r) => r.m.id === one!.id)!.routeId,
      label: source.label,
      labels: source.labels,
      status: source.status,
      delayed: source.delayed,
      scheduledDate: source.scheduledDate,
      totals: {
        registered: source.counts.registered.total,
        departed: source.counts.departed.total,
        arrived: source.counts.arrived.total,
      },
    });
  });

  it('gives the items of the page’s movements only', async () => {
    const items = reference().flatMap((e) => e.items);
    const ids = [...movementIds(items)].slice(1, 5);
    expect(ids.length).toBe(4);
    const rows = await attentionOfMovements(db(), scope, ids);
    expect(rows.map(itemOfRow)).toEqual(items.filter((i) => ids.includes(movementOf(i)!)));
    expect(await attentionOfMovements(db(), scope, [])).toEqual([]);
  });
});

describe('the dashboard queries carry each movement’s labels per language', () => {
  it('beside the working language’s label, for the page to pick its language’s', async () => {
    const stored = new Map(
      (
        await db()
          .select({ id: movements.id, label: movements.label, labels: movements.labels })
          .from(movements)
      ).map((m) => [m.id, { label: m.label, labels: m.labels }]),
    );
    const { heads } = await dashboardOverview(db(), scope, 10_000);
    const named = heads.filter((r) => r.movement_id !== null);
    expect(named.length).toBeGreaterThan(0);
    const ids = [...new Set(named.map((r) => r.movement_id!))];
    for (const r of [...named, ...(await attentionOfMovements(db(), scope, ids))])
      expect({ label: r.label, labels: r.labels }).toEqual(stored.get(r.movement_id!));
    // Items naming no movement carry neither.
    expect(heads.filter((r) => r.movement_id === null).every((r) => r.labels === null)).toBe(true);
    for (const m of await dashboardMovementsPage(db(), scope, {}, { offset: 0, limit: 100 }))
      expect({ label: m.label, labels: m.labels }).toEqual(stored.get(m.id));
  });
});
