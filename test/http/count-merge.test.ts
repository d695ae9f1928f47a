// Two officers editing one movement's figures from forms loaded at the same
// version (issue 13 point 5), over HTTP, on PGlite or PostgreSQL (TEST_DATABASE_URL):
// different fields both survive; the same field is a field-level 409 that names
// the other person's value and loses nothing; saving the 409 form again keeps
// every field the second person did not touch; the 409 form notes "Now" only beside the fields
// both changed and shows the remainder of its own figures. The CSV import follows the same rule per cell.
import { beforeAll, describe, expect, it } from 'vitest';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { formFields } from '../support/form-fields.ts';
import { signIn } from '../support/staff.ts';
import { uploadCsv } from '../support/workspace.ts';

let server: TestServer;
type Signed = Awaited<ReturnType<typeof signIn>>;
let a: Signed;
let b: Signed;
const db = () => server.deps.database.db;

beforeAll(async () => {
  server = await startTestServer(await createTestDatabase());
  [a, b] = [await signIn(server, 'officer'), await signIn(server, 'officer')];
});

async function world() {
  const op = await makeOperation(db(), { slug: `m-${Math.random().toString(36).slice(2, 8)}` });
  const { route } = await makeRoute(db(), op.id);
  const movement = await makeMovement(db(), route.id, {}, counts({ registered: { total: 500 } }));
  const source = await makeSource(db());
  const path = `/staff/movements/${movement.id}/counts`;
  return { op, movement, source, path };
}

const load = async (who: Signed, path: string) => formFields(await (await who.get(path)).text());

describe('field-level merge in the count editor', () => {
  it('keeps both when A and B save different groups concurrently', async () => {
    const w = await world();
    const [formA, formB] = [await load(a, w.path), await load(b, w.path)];
    expect(formA['base.registered.total']).toBe('500');
    const [resA, resB] = await Promise.all([
      a.post(w.path, {
        ...formA,
        'registered.womenChildren': 120,
        reason: 'list A',
        source: String(w.source.id),
      }),
      b.post(w.path, { ...formB, 'registered.over60': 60, reason: 'list B', source: String(w.source.id) }),
    ]);
    expect([resA.status, resB.status]).toEqual([303, 303]);
    const saved = await findCounts(db(), w.movement.id);
    expect(saved.registered).toMatchObject({ total: 500, womenChildren: 120, over60: 60 });
  });

  it('refuses the same field field by field, loses nothing, and a second save keeps the other fields', async () => {
    const w = await world();
    const [formA, formB] = [await load(a, w.path), await load(b, w.path)];
    const first = await a.post(w.path, {
      ...formA,
      'departed.total': 450,
      'registered.womenChildren': 120,
      reason: 'A: convoy left',
      source: 'desk',
    });
    expect(first.status).toBe(303);
    const second = await b.post(w.path, {
      ...formB,
      'departed.total': 460,
      reason: 'B: border call',
      source: String(w.source.id),
    });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain(a.user.name); // who changed the field
    expect(html).toContain('value="460"'); // B's typed value kept
    expect(await findCounts(db(), w.movement.id)).toMatchObject({
      departed: { total: 450 },
      registered: { womenChildren: 120 },
    });
    // The returned form carries A's 120 for the field B never touched, and the current base.
    const again = formFields(html);
    expect(again['registered.womenChildren']).toBe('120');
    expect(again['base.departed.total']).toBe('450');
    const resaved = await b.post(w.path, { ...again, source: String(w.source.id) });
    expect(resaved.status).toBe(303);
    const final = await findCounts(db(), w.movement.id);
    expect(final.departed.total).toBe(460); // B saw A's value and chose theirs
    expect(final.registered.womenChildren).toBe(120); // A's group survives
  });

  it('after a 409 shows "Now" only beside the field both changed, and the remainder of the form shown', async () => {
    const w = await world(); // registered total 500
    const [formA, formB] = [await load(a, w.path), await load(b, w.path)];
    expect(
      (await a.post(w.path, { ...formA, 'registered.total': 470, reason: 'A', source: 'desk' })).status,
    ).toBe(303);
    const res = await b.post(w.path, {
      ...formB,
      'registered.total': 480,
      'registered.over60': 30,
      reason: 'B',
      source: 'desk',
    });
    expect(res.status).toBe(409);
    const html = await res.text();
    // The cells that carry a note: only registered.total (over 60 is B's alone, no conflict).
    const noted = [...html.matchAll(/name="([\w.]+)"[^>]*>(?:<span class="current")/g)].map((m) => m[1]);
    expect(noted).toEqual(['registered.total']);
    // "No breakdown reported" per stage, of the figures the form shows: 480 − 30, not 470.
    const rest = /<tr class="rest">(.*?)<\/tr>/s.exec(html)?.[1] ?? '';
    expect([...rest.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(['450', '—', '—']);
    // Saving that form again writes exactly those figures.
    const again = await b.post(w.path, { ...formFields(html), source: 'desk' });
    expect(again.status).toBe(303);
    const saved = await findCounts(db(), w.movement.id);
    expect(saved.registered).toMatchObject({ total: 480, over60: 30 });
  });

  it('answers JSON with the conflicting fields, their value, who and when', async () => {
    const w = await world();
    const formB = await load(b, w.path);
    await a.post(w.path, { ...(await load(a, w.path)), 'departed.total': 300, reason: 'A', source: 'desk' });
    const res = await b.post(
      w.path,
      { ...formB, 'departed.total': 301, reason: 'B', source: String(w.source.id) },
      { headers: { accept: 'application/json' } },
    );
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; conflicts: unknown[] } };
    expect(body.error.code).toBe('conflict');
    expect(body.error.conflicts).toEqual([
      expect.objectContaining({ key: 'departed.total', theirs: 300, mine: 301, by: a.user.name }),
    ]);
  });
});

describe('field-level merge in the CSV import', () => {
  const csvPath = (opId: number) => `/staff/operations/${opId}/import`;

  it('applies the cells the file changed and keeps a colleague’s later change; refuses a cell both changed', async () => {
    const w = await world();
    const exported = await (await a.get(`/staff/operations/${w.op.id}/export.csv`)).text();
    // A colleague changes departed after the export.
    await a.post(w.path, { ...(await load(a, w.path)), 'departed.total': 200, reason: 'A', source: 'desk' });
    // The file changes only registered over-60 (its departed cell is still the exported blank).
    const header = exported
      .replace(/^\uFEFF/, '')
      .split('\r\n')[0]!
      .split(',');
    const row = exported
      .replace(/^\uFEFF/, '')
      .split('\r\n')[1]!
      .split(',');
    const edit = (changes: Record<string, string>) => {
      const cells = [...row];
      for (const [column, value] of Object.entries(changes)) cells[header.indexOf(column)] = value;
      return `${header.join(',')}\r\n${cells.join(',')}\r\n`;
    };
    await b.get(csvPath(w.op.id));
    const ok = await uploadCsv(b, csvPath(w.op.id), edit({ registered_over60: '70' }), {
      reason: 'sheet',
      source: 'desk',
    });
    expect(ok.status).toBe(303);
    const applied = await b.post(`${ok.headers.get('location')}/apply`, {});
    expect(applied.status).toBe(200);
    expect(await applied.text()).toContain('class="done"');
    const saved = await findCounts(db(), w.movement.id);
    expect(saved.registered.over60).toBe(70);
    expect(saved.departed.total).toBe(200);
    const clash = await uploadCsv(b, csvPath(w.op.id), edit({ departed_total: '210' }), {
      reason: 'sheet',
      source: String(w.source.id),
    });
    expect(clash.status).toBe(422);
    expect(await clash.text()).toContain(a.user.name);
    expect((await findCounts(db(), w.movement.id)).departed.total).toBe(200);
  });
});
