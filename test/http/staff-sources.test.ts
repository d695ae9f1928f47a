// The staff source form (issue 15): a source's outlet and title per language, its own
// language first and required, on the one form pipeline: 303 on success (audited, the
// version bumped), 422 when the own language is blank (nothing written), field-level
// merge of concurrent saves and a 409 per field, officer or above to edit. And the
// dashboard lists a cited source that lacks a language, linking to that form.
// On PGlite, or PostgreSQL with TEST_DATABASE_URL.
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents, sources } from '../../db/schema.ts';
import { listStaffRoutes } from '../../src/routes/staff/define.ts';
import { staffRouter } from '../../src/routes/staff/index.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { formByAction } from '../support/form-fields.ts';
import { signIn } from '../support/staff.ts';

let server: TestServer;
type Signed = Awaited<ReturnType<typeof signIn>>;
let a: Signed;
let b: Signed;
let viewer: Signed;
const db = () => server.deps.database.db;

beforeAll(async () => {
  server = await startTestServer(await createTestDatabase());
  [a, b, viewer] = [
    await signIn(server, 'officer'),
    await signIn(server, 'officer'),
    await signIn(server, 'viewer'),
  ];
});

async function source(overrides: Parameters<typeof makeSource>[1] = {}) {
  const row = await makeSource(db(), {
    language: 'ru',
    title: 'Брифинг МИД',
    outlet: 'МИД РК',
    titles: { ru: 'Брифинг МИД' },
    outlets: { ru: 'МИД РК' },
    ...overrides,
  });
  return { row, path: `/staff/sources/${row.id}` };
}
const reload = async (id: number) => (await db().select().from(sources).where(eq(sources.id, id)))[0]!;
const load = async (who: Signed, path: string) => formByAction(await (await who.get(path)).text(), path);

describe('staff source form', () => {
  it('is declared with the roles that may read (viewer) and edit (officer) sources', () => {
    const routes = listStaffRoutes(staffRouter(server.deps));
    expect(routes).toContainEqual({ method: 'get', path: '/staff/sources', access: 'viewer' });
    expect(routes).toContainEqual({ method: 'get', path: '/staff/sources/:id', access: 'viewer' });
    expect(routes).toContainEqual({ method: 'post', path: '/staff/sources/:id', access: 'officer' });
  });

  it('shows the three languages, the source’s own first, and saves translations (303, audited)', async () => {
    const { row, path } = await source();
    const page = await a.get(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    const order = ['outlet_ru', 'outlet_en', 'outlet_kk'].map((n) => html.indexOf(`name="${n}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order[0]).toBeLessThan(Math.min(order[1]!, order[2]!));
    const form = formByAction(html, path);
    expect(form).toMatchObject({
      version: '1',
      outlet_ru: 'МИД РК',
      title_en: '',
      'base.title_ru': 'Брифинг МИД',
    });
    const res = await a.post(path, { ...form, outlet_en: 'MFA of Kazakhstan', title_en: 'MFA briefing' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${path}?saved=details`);
    expect(await reload(row.id)).toMatchObject({
      version: 2,
      title: 'Брифинг МИД',
      titles: { en: 'MFA briefing', ru: 'Брифинг МИД' },
      outlets: { en: 'MFA of Kazakhstan', ru: 'МИД РК' },
    });
    const audit = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, 'source'), eq(auditEvents.entityId, row.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'edit', actorId: a.user.id });
    expect((await (await a.get('/staff/sources')).text()).includes(path)).toBe(true);
    // The history shows each changed field with its old and new value, as the other histories do.
    const history = await (await a.get(path)).text();
    const change = (field: string) =>
      new RegExp(`data-change="${field}">[^<]*: ([^<]*) → <strong>([^<]*)</strong>`).exec(history)?.slice(1);
    expect(change('titles.en')).toEqual(['—', 'MFA briefing']);
    expect(change('outlets.en')).toEqual(['—', 'MFA of Kazakhstan']);
    expect(change('titles.ru')).toBeUndefined();
  });

  it('refuses a blank title in the source’s own language with 422 and writes nothing', async () => {
    const { row, path } = await source();
    const form = await load(a, path);
    const html = await a.post(path, { ...form, title_ru: '  ', title_kk: 'ХШМ брифингі' });
    expect(html.status).toBe(422);
    expect(await html.text()).toContain('ХШМ брифингі'); // what was typed comes back
    const json = await a.post(path, { ...form, title_ru: '' }, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(422);
    expect(await json.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { title_ru: 'field.required' } },
    });
    expect(await reload(row.id)).toMatchObject({ version: 1, titles: { ru: 'Брифинг МИД' } });
  });

  it('merges concurrent saves field by field; the same field is a 409 naming it', async () => {
    const { row, path } = await source();
    const [formA, formB] = [await load(a, path), await load(b, path)];
    const [resA, resB] = [
      await a.post(path, { ...formA, title_en: 'MFA briefing' }),
      await b.post(path, { ...formB, title_kk: 'СІМ брифингі' }),
    ];
    expect([resA.status, resB.status]).toEqual([303, 303]);
    expect(await reload(row.id)).toMatchObject({
      version: 3,
      titles: { en: 'MFA briefing', kk: 'СІМ брифингі', ru: 'Брифинг МИД' },
    });

    const [formC, formD] = [await load(a, path), await load(b, path)];
    expect((await a.post(path, { ...formC, outlet_en: 'MFA' })).status).toBe(303);
    const refused = await b.post(
      path,
      { ...formD, outlet_en: 'Foreign Ministry', outlet_kk: 'СІМ' },
      {
        headers: { accept: 'application/json' },
      },
    );
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: { code: string; conflicts: { field: string }[] } };
    expect(body.error.code).toBe('conflict');
    expect(body.error.conflicts.map((c) => c.field)).toEqual(['outlet_en']);
    expect(await reload(row.id)).toMatchObject({ version: 4, outlets: { en: 'MFA', ru: 'МИД РК' } });

    // The HTML 409 re-shows the form rebased on the record now; saving it again keeps the rest.
    const again = await b.post(path, { ...formD, outlet_en: 'Foreign Ministry', outlet_kk: 'СІМ' });
    expect(again.status).toBe(409);
    const rebased = formByAction(await again.text(), path);
    expect(rebased).toMatchObject({ version: '4', outlet_en: 'Foreign Ministry', 'base.outlet_en': 'MFA' });
    expect((await b.post(path, rebased)).status).toBe(303);
    expect(await reload(row.id)).toMatchObject({
      version: 5,
      outlets: { en: 'Foreign Ministry', kk: 'СІМ', ru: 'МИД РК' },
      titles: { en: 'MFA briefing', kk: 'СІМ брифингі', ru: 'Брифинг МИД' },
    });
  });

  it('lets a viewer read but not save, and an anonymous request neither', async () => {
    const { row, path } = await source();
    const page = await viewer.get(path);
    expect(page.status).toBe(200);
    const form = formByAction(await page.text(), path);
    expect((await viewer.post(path, { ...form, version: '1', title_en: 'x' })).status).toBe(403);
    const anonymous = await fetch(`${server.url}${path}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/staff\/sign-in\?next=/);
    expect(await reload(row.id)).toMatchObject({ version: 1 });
  });

  it('puts a cited source that lacks a language on the dashboard, linked to its form', async () => {
    const { row, path } = await source({ titles: { ru: 'Брифинг', en: 'Briefing' }, outlets: { ru: 'МИД' } });
    const op = await makeOperation(db());
    await makeRoute(db(), op.id, { sourceId: row.id });
    const html = await (await a.get('/staff')).text();
    expect(html).toContain(`href="${path}"`);
    const form = await load(a, path);
    const fixed = { ...form, title_kk: 'Брифинг', outlet_en: 'MFA', outlet_kk: 'СІМ' };
    expect((await a.post(path, fixed)).status).toBe(303);
    expect(await (await a.get('/staff')).text()).not.toContain(`href="${path}"`);
  });
});
