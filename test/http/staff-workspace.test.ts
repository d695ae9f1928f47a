// The staff workspace over HTTP: the count editor, conflicts that keep what
// was typed, every bad input refused with 422 and an unchanged database,
// undo, CSV round trip and rejection, upload limits.
import { beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics.ts';
import { t } from '../../src/i18n/index.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import {
  counts,
  makeMovement,
  makeOperation,
  makePlace,
  makeRoute,
  makeSource,
  reloadMovement,
} from '../support/factories.ts';
import { signIn } from '../support/staff.ts';
import { dumpWorkspace, uploadCsv } from '../support/workspace.ts';

let server: TestServer;
type Signed = Awaited<ReturnType<typeof signIn>>;
let officer: Signed;
let viewer: Signed;
let admin: Signed;
const metrics = createMetrics();

beforeAll(async () => {
  const database = await createTestDatabase();
  server = await startTestServer(database, {
    deps: { metrics },
    config: { UPLOAD_LIMIT: '4096', STAFF_TIME_ZONE: 'Asia/Aqtobe' },
  });
  [officer, viewer, admin] = [
    await signIn(server, 'officer'),
    await signIn(server, 'viewer'),
    await signIn(server, 'admin'),
  ];
});

const db = () => server.deps.database.db;

async function world() {
  const op = await makeOperation(db(), { slug: `op-${Math.random().toString(36).slice(2, 8)}` });
  const { route, legs } = await makeRoute(db(), op.id, {}, 2);
  const movement = await makeMovement(
    db(),
    route.id,
    { capacity: 300, staffNote: 'driver: +7 701 000 0000' },
    counts({ registered: { total: 120 } }),
  );
  const source = await makeSource(db());
  return { op, route, legs, movement, source };
}

const grid = (values: Record<string, string | number>) => ({ reason: 'call from the border', ...values });

const countMetric = async (outcome: string) =>
  (await metrics.countUpdates.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

describe('count editor', () => {
  it('shows the grid, saves a change with its history, and the viewer sees it read-only', async () => {
    const w = await world();
    const page = await officer.get(`/staff/movements/${w.movement.id}/counts`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="registered.total" id="f-registered.total" value="120"');
    expect(html).toContain('name="version" value="1"');
    const before = await countMetric('accepted');
    const res = await officer.post(
      `/staff/movements/${w.movement.id}/counts`,
      grid({
        version: 1,
        source: w.source.id,
        'registered.total': 150,
        'registered.over60': 20,
        'departed.total': 100,
      }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/staff/movements/${w.movement.id}?saved=counts&version=2`);
    expect((await findCounts(db(), w.movement.id)).registered).toMatchObject({ total: 150, over60: 20 });
    expect(await countMetric('accepted')).toBe(before + 1);
    const history = await (await viewer.get(`/staff/movements/${w.movement.id}/history`)).text();
    expect(history).toContain('call from the border');
    expect(history).not.toMatch(/action="[^"]*\/undo"/); // viewers cannot undo
    const movementPage = await (await viewer.get(`/staff/movements/${w.movement.id}`)).text();
    expect(movementPage).toContain('driver: +7 701 000 0000'); // staff-only notes are visible to staff
    expect(movementPage).toContain('<fieldset disabled>');
    expect(
      (
        await viewer.post(
          `/staff/movements/${w.movement.id}/counts`,
          grid({ version: 2, source: w.source.id }),
        )
      ).status,
    ).toBe(403);
  });

  it('answers JSON to a drill that asks for it', async () => {
    const w = await world();
    const res = await officer.post(
      `/staff/movements/${w.movement.id}/counts`,
      grid({ version: 1, source: w.source.id, 'registered.total': 121 }),
      { headers: { accept: 'application/json' } },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ changed: true, version: 2 });
    const stale = await officer.post(
      `/staff/movements/${w.movement.id}/counts`,
      grid({ version: 1, source: w.source.id, 'registered.total': 122 }),
      { headers: { accept: 'application/json' } },
    );
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('conflict');
  });

  it('refuses a stale save with 409, keeps what was typed and shows the current values and who changed them', async () => {
    const w = await world();
    const other = await signIn(server, 'officer');
    expect(
      (
        await other.post(
          `/staff/movements/${w.movement.id}/counts`,
          grid({ version: 1, source: w.source.id, 'registered.total': 130 }),
        )
      ).status,
    ).toBe(303);
    const conflicts = await countMetric('conflict');
    const res = await officer.post(
      `/staff/movements/${w.movement.id}/counts`,
      grid({ version: 1, source: w.source.id, 'registered.total': 999, reason: 'my typed reason' }),
    );
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('value="999"');
    expect(html).toContain('my typed reason');
    expect(html).toContain('Now: 130');
    expect(html).toContain(other.user.name);
    expect(html).toContain('name="version" value="2"');
    expect((await findCounts(db(), w.movement.id)).registered.total).toBe(130);
    expect(await countMetric('conflict')).toBe(conflicts + 1);
  });
});

describe('bad input: 422, a message next to the field, and nothing written', () => {
  const cases: [
    string,
    (w: Awaited<ReturnType<typeof world>>) => [string, Record<string, string | number>],
    string,
  ][] = [
    [
      'a negative count',
      (w) => [
        `/staff/movements/${w.movement.id}/counts`,
        grid({ version: 1, source: w.source.id, 'registered.total': -5 }),
      ],
      'err-registered.total',
    ],
    [
      'a non-integer count',
      (w) => [
        `/staff/movements/${w.movement.id}/counts`,
        grid({ version: 1, source: w.source.id, 'registered.total': '12.5' }),
      ],
      'err-registered.total',
    ],
    [
      'arrived above departed',
      (w) => [
        `/staff/movements/${w.movement.id}/counts`,
        grid({
          version: 1,
          source: w.source.id,
          'registered.total': 120,
          'departed.total': 10,
          'arrived.total': 11,
        }),
      ],
      'err-arrived.total',
    ],
    [
      'a breakdown above its total',
      (w) => [
        `/staff/movements/${w.movement.id}/counts`,
        grid({
          version: 1,
          source: w.source.id,
          'registered.total': 10,
          'registered.womenChildren': 6,
          'registered.medical': 5,
        }),
      ],
      'err-registered.total',
    ],
    [
      'a missing reason',
      (w) => [
        `/staff/movements/${w.movement.id}/counts`,
        { version: 1, source: w.source.id, 'registered.total': 125, reason: ' ' },
      ],
      'err-reason',
    ],
    [
      'a missing source',
      (w) => [`/staff/movements/${w.movement.id}/counts`, grid({ version: 1, 'registered.total': 125 })],
      'err-source',
    ],
    [
      'an unknown source id',
      (w) => [
        `/staff/movements/${w.movement.id}/counts`,
        grid({ version: 1, source: 987654, 'registered.total': 125 }),
      ],
      'err-source',
    ],
    [
      'a missing version',
      (w) => [
        `/staff/movements/${w.movement.id}/counts`,
        grid({ source: w.source.id, 'registered.total': 125 }),
      ],
      'err-version',
    ],
    [
      'a disallowed status transition',
      (w) => [
        `/staff/movements/${w.movement.id}`,
        { version: 1, label_en: w.movement.label, kind: 'flight', status: 'arrived' },
      ],
      'err-status',
    ],
    [
      'an unknown status',
      (w) => [
        `/staff/movements/${w.movement.id}`,
        { version: 1, label_en: w.movement.label, kind: 'flight', status: 'teleported' },
      ],
      'err-status',
    ],
    [
      'arrival before departure',
      (w) => [
        `/staff/movements/${w.movement.id}`,
        {
          version: 1,
          label_en: w.movement.label,
          kind: 'flight',
          status: 'planned',
          departedAt: '2026-03-04T10:00',
          arrivedAt: '2026-03-04T09:59',
        },
      ],
      'err-arrivedAt',
    ],
    [
      'an impossible date',
      (w) => [
        `/staff/movements/${w.movement.id}`,
        {
          version: 1,
          label_en: w.movement.label,
          kind: 'flight',
          status: 'planned',
          scheduledDate: '2026-02-31',
        },
      ],
      'err-scheduledDate',
    ],
    [
      'an unknown current leg',
      (w) => [
        `/staff/movements/${w.movement.id}`,
        { version: 1, label_en: w.movement.label, kind: 'flight', status: 'planned', currentLegId: 987654 },
      ],
      'err-currentLegId',
    ],
    [
      'a negative capacity',
      (w) => [
        `/staff/movements/${w.movement.id}`,
        { version: 1, label_en: w.movement.label, kind: 'flight', status: 'planned', capacity: -1 },
      ],
      'err-capacity',
    ],
    [
      'a leg to an unknown place',
      (w) => [
        `/staff/legs/${w.legs[0]!.id}`,
        { version: 1, fromPlaceId: w.legs[0]!.fromPlaceId, toPlaceId: 987654, mode: 'bus' },
      ],
      'err-toPlaceId',
    ],
    [
      'a crossing status on a leg that crosses no border',
      (w) => [`/staff/legs/${w.legs[0]!.id}/crossing`, { version: 1, crossingStatus: 'closed' }],
      'err-crossingStatus',
    ],
  ];
  it.each(cases)('%s', async (_name, build, errorId) => {
    const w = await world();
    const [path, fields] = build(w);
    const client = path.startsWith('/staff/legs/') && !path.endsWith('/crossing') ? admin : officer;
    const before = await dumpWorkspace(db());
    const invalid = await countMetric('invalid');
    const res = await client.post(path, fields);
    expect(res.status).toBe(422);
    if (path.endsWith('/counts')) expect(await countMetric('invalid')).toBe(invalid + 1);
    expect(await res.text()).toContain(`id="${errorId}"`);
    expect(await dumpWorkspace(db())).toEqual(before);
  });

  it('settings out of range and a notice without text', async () => {
    const w = await world();
    const before = await dumpWorkspace(db());
    const settings = await admin.post(`/staff/operations/${w.op.id}`, {
      version: 1,
      slug: w.op.slug,
      name_en: 'X',
      timeZone: 'Asia/Almaty',
      status: 'active',
      staleAfterHours: 0,
      smallCountThreshold: 5,
      publicationDelayMinutes: -3,
      digestTime: '25:00',
    });
    expect(settings.status).toBe(422);
    const html = await settings.text();
    for (const id of ['err-staleAfterHours', 'err-publicationDelayMinutes', 'err-digestTime'])
      expect(html).toContain(`id="${id}"`);
    const notice = await officer.post(`/staff/operations/${w.op.id}/notices`, { body_en: '  ', pinned: '1' });
    expect(notice.status).toBe(422);
    expect(await dumpWorkspace(db())).toEqual(before);
  });
});

describe('movement, settings, crossings and notices', () => {
  it('moves a movement along an allowed transition and records who', async () => {
    const w = await world();
    const res = await officer.post(`/staff/movements/${w.movement.id}`, {
      version: 1,
      label_en: w.movement.label,
      kind: 'flight',
      status: 'departed',
      departedAt: '2026-03-03T08:15',
      currentLegId: w.legs[0]!.id,
      scheduledDate: '2026-03-03',
    });
    expect(res.status).toBe(303);
    const m = await reloadMovement(db(), w.movement.id);
    expect(m).toMatchObject({
      status: 'departed',
      version: 2,
      updatedBy: officer.user.id,
      currentLegId: w.legs[0]!.id,
    });
    expect(m.departedAt!.toISOString()).toBe('2026-03-03T03:15:00.000Z');
    const page = await (await officer.get(`/staff/movements/${w.movement.id}`)).text();
    expect(page).not.toContain('<option value="planned"'); // departed → only arrived is offered
    expect(page).toContain('<option value="arrived"');
    const history = await (await viewer.get(`/staff/movements/${w.movement.id}/history`)).text();
    expect(history).toContain(`data-event="movement.status" data-id="${w.movement.id}"`);
    expect(history).toContain(officer.user.name);
  });

  it('admin changes settings; a stale settings form is refused with the typed values kept', async () => {
    const w = await world();
    const form = {
      slug: w.op.slug,
      name_en: 'Middle East',
      timeZone: 'Asia/Almaty',
      isPublic: '1',
      status: 'active',
      staleAfterHours: 6,
      smallCountThreshold: 10,
      publicationDelayMinutes: 30,
      digestTime: '19:30',
    };
    expect((await admin.post(`/staff/operations/${w.op.id}`, { ...form, version: 1 })).status).toBe(303);
    const stale = await admin.post(`/staff/operations/${w.op.id}`, {
      ...form,
      version: 1,
      staleAfterHours: 48,
    });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain('value="48"');
    expect(html).toContain(t('en', 'ws.conflict.now', { value: '6' })); // the value in the record now
  });

  it('officer sets a crossing status and pins a notice in three languages', async () => {
    const w = await world();
    const leg = w.legs[1]!;
    expect(
      (
        await admin.post(`/staff/legs/${leg.id}`, {
          version: 1,
          fromPlaceId: leg.fromPlaceId,
          toPlaceId: leg.toPlaceId,
          mode: 'road',
          crossesBorder: '1',
        })
      ).status,
    ).toBe(303);
    expect(
      (await officer.post(`/staff/legs/${leg.id}/crossing`, { version: 2, crossingStatus: 'restricted' }))
        .status,
    ).toBe(303);
    expect(
      (
        await officer.post(`/staff/operations/${w.op.id}/notices`, {
          body_en: 'Bring passports',
          body_ru: 'Возьмите паспорта',
          body_kk: 'Төлқұжаттарды алыңыз',
          pinned: '1',
        })
      ).status,
    ).toBe(303);
    const page = await (await viewer.get(`/staff/operations/${w.op.id}`)).text();
    expect(page).toContain('Bring passports');
    const route = await (await viewer.get(`/staff/routes/${w.route.id}`)).text();
    expect(route).toContain(t('en', 'crossing.restricted'));
  });

  it('a page with several forms gives each input its own id, and every label points at one', async () => {
    const w = await world();
    for (const body of ['Bring passports', 'Water at the border']) {
      const posted = await officer.post(`/staff/operations/${w.op.id}/notices`, { body_en: body });
      expect(posted.status).toBe(303);
    }
    const page = await (await officer.get(`/staff/operations/${w.op.id}`)).text();
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // Two notice cards, each with its own body field, and the page's own forms besides.
    expect(ids).toEqual(expect.arrayContaining(['l1-0-f-body_en', 'l1-1-f-body_en']));
    const targets = [...page.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(4);
    expect(targets.filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('the new operation form proposes the staff time zone from config', async () => {
    const page = await (await admin.get('/staff/operations')).text();
    const zone = server.deps.config.STAFF_TIME_ZONE;
    expect(page).toMatch(
      new RegExp(`name="timeZone"[^>]*value="${zone}"|value="${zone}"[^>]*name="timeZone"`),
    );
  });

  it('admin creates an operation, a place, a route with a leg; officer a movement', async () => {
    const slug = `op-new-${Date.now().toString(36)}`;
    const created = await admin.post('/staff/operations', {
      slug,
      name_en: 'Sudan 2026',
      timeZone: 'Asia/Almaty',
      status: 'active',
      staleAfterHours: 12,
      smallCountThreshold: 5,
      publicationDelayMinutes: 0,
      digestTime: '20:00',
    });
    expect(created.status).toBe(303);
    const opId = Number(/operations\/(\d+)/.exec(created.headers.get('location')!)![1]);
    const place = await admin.post('/staff/places', {
      slug: `${slug}-pl`,
      name_en: 'Port Sudan',
      countryCode: 'sd',
      kind: 'city',
    });
    expect(place.status).toBe(303);
    const home = await makePlace(db());
    const portSudan = (await dumpWorkspace(db())).places.find((p) => p.slug === `${slug}-pl`)!;
    expect(portSudan.countryCode).toBe('SD');
    const route = await admin.post(`/staff/operations/${opId}/routes`, {
      slug: 'port-sudan-jeddah',
      name_en: 'Port Sudan → Jeddah',
      position: 0,
    });
    expect(route.status).toBe(303);
    const routeId = Number(/routes\/(\d+)/.exec(route.headers.get('location')!)![1]);
    expect(
      (
        await admin.post(`/staff/routes/${routeId}/legs`, {
          version: 1,
          fromPlaceId: portSudan.id,
          toPlaceId: home.id,
          mode: 'ferry',
        })
      ).status,
    ).toBe(303);
    const movement = await officer.post(`/staff/routes/${routeId}/movements`, {
      label_en: 'Ferry 1',
      kind: 'batch',
      status: 'planned',
      scheduledDate: '2026-04-01',
      capacity: 400,
    });
    expect(movement.status).toBe(303);
    const dashboard = await (await viewer.get('/staff')).text();
    expect(dashboard).toContain('Sudan 2026');
    expect(dashboard).toContain('Ferry 1');
  });
});

describe('undo', () => {
  it('writes a correcting record; the original stays', async () => {
    const w = await world();
    await officer.post(
      `/staff/movements/${w.movement.id}/counts`,
      grid({ version: 1, source: w.source.id, 'registered.total': 200 }),
    );
    const history = await (await officer.get(`/staff/movements/${w.movement.id}/history`)).text();
    const action = /action="(\/staff\/movements\/\d+\/history\/\d+\/undo)"/.exec(history)![1]!;
    const res = await officer.post(action, { version: 2, reason: 'typo' });
    expect(res.status).toBe(303);
    expect((await findCounts(db(), w.movement.id)).registered.total).toBe(120);
    const after = await dumpWorkspace(db());
    const sets = after.changeSets.filter((s) => s.movementId === w.movement.id);
    expect(sets).toHaveLength(2);
    expect(sets[1]!.revertsId).toBe(sets[0]!.id);
    expect((await officer.post(action, { version: 3 })).status).toBe(409);
    const mine = await (await officer.get('/staff/activity')).text();
    expect(mine).toContain('typo');
  });
});

describe('CSV', () => {
  it('export → import is a no-op', async () => {
    const w = await world();
    await makeMovement(
      db(),
      w.route.id,
      { label: 'Бишкек автобус 2' },
      counts({ registered: { total: 40, medical: 3 }, departed: { total: 38 }, arrived: { total: 30 } }),
    );
    const exported = await officer.get(`/staff/operations/${w.op.id}/export.csv`);
    expect(exported.headers.get('content-type')).toMatch(/text\/csv/);
    const content = await exported.text();
    const before = await dumpWorkspace(db());
    await officer.get(`/staff/operations/${w.op.id}/import`);
    const checked = await uploadCsv(officer, `/staff/operations/${w.op.id}/import`, content, {
      reason: 'round trip',
      source: String(w.source.id),
    });
    expect(checked.status).toBe(303);
    const plan = await (await officer.get(checked.headers.get('location')!)).text();
    expect(plan).toContain('data-rows="2" data-changed="0" data-unchanged="2"');
    const apply = await officer.post(`${checked.headers.get('location')}/apply`, {});
    expect(apply.status).toBe(200);
    expect(await apply.text()).toContain('class="done" data-changed="0" data-unchanged="2"');
    const after = await dumpWorkspace(db());
    expect({ ...after, imports: [], audit: [] }).toEqual({ ...before, imports: [], audit: [] });
    expect(await (await officer.get(`/staff/operations/${w.op.id}/export.csv`)).text()).toBe(content);
  });

  it('applies a changed file, showing what changes row by row first', async () => {
    const w = await world();
    const content = await (await officer.get(`/staff/operations/${w.op.id}/export.csv`)).text();
    const edited = content.replace(/,1,120,/, ',1,140,');
    await officer.get(`/staff/operations/${w.op.id}/import`);
    const checked = await uploadCsv(officer, `/staff/operations/${w.op.id}/import`, edited, {
      reason: 'sheet from the embassy',
      source: String(w.source.id),
    });
    expect(checked.status).toBe(303);
    expect((await findCounts(db(), w.movement.id)).registered.total).toBe(120); // a dry run writes no figure
    const plan = await (await officer.get(checked.headers.get('location')!)).text();
    expect(plan).toContain('Registered — Total: 120 → 140');
    const apply = await officer.post(`${checked.headers.get('location')}/apply`, {});
    expect(await apply.text()).toContain('class="done" data-changed="1" data-unchanged="0"');
    expect((await findCounts(db(), w.movement.id)).registered.total).toBe(140);
    const again = await officer.post(`${checked.headers.get('location')}/apply`, {});
    expect(again.status).toBe(409);
  });

  it('rejects a file with one bad row, with its row number, and writes nothing', async () => {
    const w = await world();
    await makeMovement(db(), w.route.id, {}, counts({ registered: { total: 50 } }));
    const content = await (await officer.get(`/staff/operations/${w.op.id}/export.csv`)).text();
    const lines = content.split('\r\n');
    lines[1] = lines[1]!.replace(',1,120,', ',1,130,');
    lines[2] = lines[2]!.replace(',1,50,', ',1,50,,,,,60,'); // departed above... breakdown: shifts cells
    const bad = [lines[0], lines[1], lines[2].replace(/,1,50,/, ',1,-50,')].join('\r\n');
    const before = await dumpWorkspace(db());
    await officer.get(`/staff/operations/${w.op.id}/import`);
    const res = await uploadCsv(officer, `/staff/operations/${w.op.id}/import`, bad, {
      reason: 'sheet',
      source: String(w.source.id),
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<td class="num">3<\/td>/);
    // The refusal ("rejected and nothing was written"), by its message key.
    expect(html).toContain('data-error="ws.csv.rejected"');
    expect(await dumpWorkspace(db())).toEqual(before);
  });

  it('refuses an upload without the CSRF token and stores nothing', async () => {
    const w = await world();
    const content = await (await officer.get(`/staff/operations/${w.op.id}/export.csv`)).text();
    const before = await dumpWorkspace(db());
    const token = officer.csrfToken;
    officer.csrfToken = 'forged';
    try {
      const res = await uploadCsv(officer, `/staff/operations/${w.op.id}/import`, content, { reason: 'x' });
      expect(res.status).toBe(403);
    } finally {
      officer.csrfToken = token;
    }
    expect(await dumpWorkspace(db())).toEqual(before);
  });

  it('refuses a file over the upload limit with 413', async () => {
    const w = await world();
    await officer.get(`/staff/operations/${w.op.id}/import`);
    const res = await uploadCsv(officer, `/staff/operations/${w.op.id}/import`, 'x'.repeat(100_000), {
      reason: 'big',
    });
    expect(res.status).toBe(413);
  });
});
