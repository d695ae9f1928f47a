// Field-level merge on every versioned form (issue 13 point 5), over HTTP, on PGlite
// or PostgreSQL (TEST_DATABASE_URL): two people edit the same record from forms loaded
// at the same version. Different fields both survive; the same field is a 409 listing
// that field only, with the other person's value, who and when, and nothing of the
// first save is lost; saving the 409 form again keeps every field the second person
// did not touch. Movement details, route, leg, place, notice and operation settings.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { legs, notices, operations, places, routes } from '../../db/schema.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { makeMovement, makeOperation, makePlace, makeRoute, reloadMovement } from '../support/factories.ts';
import { formByAction } from '../support/form-fields.ts';
import { signIn } from '../support/staff.ts';

let server: TestServer;
type Signed = Awaited<ReturnType<typeof signIn>>;
let a: Signed;
let b: Signed;
const db = () => server.deps.database.db;

beforeAll(async () => {
  server = await startTestServer(await createTestDatabase());
  [a, b] = [await signIn(server, 'admin'), await signIn(server, 'admin')];
});

const load = async (who: Signed, page: string, action = page) =>
  formByAction(await (await who.get(page)).text(), action);

async function movementWorld() {
  const op = await makeOperation(db());
  const { route } = await makeRoute(db(), op.id);
  const movement = await makeMovement(db(), route.id, {
    labels: { en: 'Bus 1' },
    meetingPoint: 'Gate 1',
    capacity: 40,
  });
  return { op, route, movement, path: `/staff/movements/${movement.id}` };
}

describe('field-level merge of versioned forms', () => {
  it('movement details: A and B change different fields concurrently and both survive', async () => {
    const w = await movementWorld();
    const [formA, formB] = [await load(a, w.path), await load(b, w.path)];
    expect(formA['base.meetingPoint']).toBe('Gate 1');
    const [resA, resB] = await Promise.all([
      a.post(w.path, { ...formA, meetingPoint: 'Gate 7' }),
      b.post(w.path, { ...formB, capacity: '55' }),
    ]);
    expect([resA.status, resB.status]).toEqual([303, 303]);
    const m = await reloadMovement(db(), w.movement.id);
    expect(m).toMatchObject({ meetingPoint: 'Gate 7', capacity: 55, version: 3 });
  });

  it('movement details: the same field is a field-level 409; nothing of the first is lost; the 409 form saves the rest', async () => {
    const w = await movementWorld();
    const [formA, formB] = [await load(a, w.path), await load(b, w.path)];
    expect((await a.post(w.path, { ...formA, meetingPoint: 'Gate 7', staffNote: 'bus 12' })).status).toBe(
      303,
    );
    const refused = await b.post(w.path, { ...formB, meetingPoint: 'Gate 9', capacity: '60' });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain(a.user.name); // who
    expect(html).toMatch(/Gate 7/); // the other person's value, shown beside the field
    expect(await reloadMovement(db(), w.movement.id)).toMatchObject({
      meetingPoint: 'Gate 7',
      staffNote: 'bus 12',
      capacity: 40, // nothing of B's is applied by a refused save
    });
    const again = formByAction(html, w.path);
    expect(again).toMatchObject({ meetingPoint: 'Gate 9', capacity: '60', staffNote: 'bus 12' });
    expect(again['base.meetingPoint']).toBe('Gate 7'); // the record now is the new base
    expect((await b.post(w.path, again)).status).toBe(303);
    expect(await reloadMovement(db(), w.movement.id)).toMatchObject({
      meetingPoint: 'Gate 9',
      staffNote: 'bus 12',
      capacity: 60,
    });
  });

  it('JSON: the 409 lists the one field both changed, with the base, both values, who and when', async () => {
    const w = await movementWorld();
    const [formA, formB] = [await load(a, w.path), await load(b, w.path)];
    expect((await a.post(w.path, { ...formA, meetingPoint: 'North gate', capacity: '41' })).status).toBe(303);
    const res = await b.post(
      w.path,
      { ...formB, meetingPoint: 'South gate' },
      { headers: { accept: 'application/json' } },
    );
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; version: number; conflicts: unknown[] } };
    expect(body.error.code).toBe('conflict');
    expect(body.error.version).toBe(2);
    expect(body.error.conflicts).toEqual([
      {
        field: 'meetingPoint',
        base: 'Gate 1',
        yours: 'South gate',
        theirs: 'North gate',
        by: a.user.name,
        at: expect.any(String) as unknown,
      },
    ]);
  });

  it('a figures save in between does not block the details form (the movement version moved on)', async () => {
    const w = await movementWorld();
    const formB = await load(b, w.path);
    const counts = await load(a, `${w.path}/counts`);
    expect(
      (
        await a.post(`${w.path}/counts`, {
          ...counts,
          'registered.total': '30',
          source: 'desk',
          reason: 'list',
        })
      ).status,
    ).toBe(303);
    expect((await b.post(w.path, { ...formB, meetingPoint: 'Gate 3' })).status).toBe(303);
    expect(await reloadMovement(db(), w.movement.id)).toMatchObject({ meetingPoint: 'Gate 3' });
  });

  it('route, leg, place, notice and operation settings merge field by field too', async () => {
    const op = await makeOperation(db());
    const {
      route,
      legs: [leg],
    } = await makeRoute(db(), op.id);
    const place = await makePlace(db());
    const opPage = `/staff/operations/${op.id}`;
    expect((await a.post(`${opPage}/notices`, { body_en: 'Hotline open', pinned: '1' })).status).toBe(303);
    const [notice] = await db().select().from(notices).where(eq(notices.operationId, op.id));
    const cases: {
      page: string;
      action: string;
      mine: Record<string, string>;
      theirs: Record<string, string>;
      /** Another value for a field in `mine`, from B's stale form. */
      same: Record<string, string>;
      check: () => Promise<void>;
    }[] = [
      {
        page: `/staff/routes/${route.id}`,
        action: `/staff/routes/${route.id}`,
        mine: { name_ru: 'Маршрут' },
        same: { name_ru: 'Маршрут 2' },
        theirs: { name_kk: 'Бағыт' },
        check: async () => {
          const [r] = await db().select().from(routes).where(eq(routes.id, route.id));
          expect(r!.names).toMatchObject({ ru: 'Маршрут', kk: 'Бағыт' });
        },
      },
      {
        page: `/staff/legs/${leg!.id}`,
        action: `/staff/legs/${leg!.id}`,
        mine: { mode: 'flight' },
        same: { mode: 'rail' },
        theirs: { crossesBorder: '1', crossingStatus: 'open' },
        check: async () => {
          const [l] = await db().select().from(legs).where(eq(legs.id, leg!.id));
          expect(l).toMatchObject({ mode: 'flight', crossesBorder: true, crossingStatus: 'open' });
        },
      },
      {
        page: `/staff/places/${place.id}`,
        action: `/staff/places/${place.id}`,
        mine: { name_ru: 'Город' },
        same: { name_ru: 'Город 2' },
        theirs: { kind: 'airport' },
        check: async () => {
          const [p] = await db().select().from(places).where(eq(places.id, place.id));
          expect(p).toMatchObject({ kind: 'airport', names: { ru: 'Город' } });
        },
      },
      {
        page: opPage,
        action: `/staff/notices/${notice!.id}`,
        mine: { body_ru: 'Горячая линия' },
        same: { body_ru: 'Линия' },
        theirs: { body_en: 'Hotline open day and night' },
        check: async () => {
          const [n] = await db().select().from(notices).where(eq(notices.id, notice!.id));
          expect(n!.bodies).toMatchObject({ en: 'Hotline open day and night', ru: 'Горячая линия' });
        },
      },
      {
        page: opPage,
        action: opPage,
        mine: { staleAfterHours: '6' },
        same: { staleAfterHours: '8' },
        theirs: { digestTime: '19:30' },
        check: async () => {
          const [o] = await db().select().from(operations).where(eq(operations.id, op.id));
          expect(o).toMatchObject({ staleAfterHours: 6, digestTime: '19:30' });
        },
      },
    ];
    for (const c of cases) {
      const [formA, formB] = [await load(a, c.page, c.action), await load(b, c.page, c.action)];
      expect(
        Object.keys(formA).some((k) => k.startsWith('base.')),
        c.action,
      ).toBe(true);
      const resA = await a.post(c.action, { ...formA, ...c.mine });
      expect(resA.status, `${c.action} first`).toBe(303);
      const resB = await b.post(c.action, { ...formB, ...c.theirs });
      expect(resB.status, `${c.action} second`).toBe(303);
      await c.check();
      // And the same field from a stale form is refused, that field only.
      const stale = await b.post(
        c.action,
        { ...formB, ...c.same },
        { headers: { accept: 'application/json' } },
      );
      expect(stale.status, `${c.action} same field`).toBe(409);
      const body = (await stale.json()) as { error: { conflicts: { field: string }[] } };
      expect(body.error.conflicts.map((x: { field: string }) => x.field)).toEqual(Object.keys(c.same));
      await c.check();
    }
  });
});
