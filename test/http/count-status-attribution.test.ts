// Issue 13 points 3 and 4 over HTTP: the count editor offers to move the status
// along with the figures (never implied; the dashboard lists what still
// disagrees), and attribution has no default: no source pre-selected, a
// "desk record" choice naming the desk and the officer, a new source on the
// CSV upload form, and blank source cells taking the form's choice.
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, countChangeSets, sources } from '../../db/schema.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import {
  counts,
  makeMovement,
  makeOperation,
  makeRoute,
  makeSource,
  reloadMovement,
} from '../support/factories.ts';
import { formFields } from '../support/form-fields.ts';
import { signIn } from '../support/staff.ts';
import { uploadCsv } from '../support/workspace.ts';

let server: TestServer;
let officer: Awaited<ReturnType<typeof signIn>>;
const db = () => server.deps.database.db;

beforeAll(async () => {
  server = await startTestServer(await createTestDatabase());
  officer = await signIn(server, 'officer');
});

async function world(status: 'planned' | 'departed', figures = counts({ registered: { total: 500 } })) {
  const op = await makeOperation(db(), {
    slug: `s-${Math.random().toString(36).slice(2, 8)}`,
    authority: { en: 'Consular Service of Testland' },
  });
  const { route } = await makeRoute(db(), op.id);
  const movement = await makeMovement(db(), route.id, { status, label: `M-${status}` }, figures);
  const source = await makeSource(db());
  return { op, movement, source, path: `/staff/movements/${movement.id}/counts` };
}

const selectOptions = (html: string, name: string) => {
  const select = new RegExp(`<select id="f-${name}" name="${name}"[^>]*>(.*?)</select>`, 's').exec(html)![1]!;
  return [...select.matchAll(/<option value="([^"]*)"( selected)?>/g)].map((m) => ({
    value: m[1],
    selected: Boolean(m[2]),
  }));
};

const attentionList = async () =>
  [...(await (await officer.get('/staff')).text()).matchAll(/<ul class="attention">(.*?)<\/ul>/gs)]
    .map((m) => m[1])
    .join('');

describe('status follows the figures, on the same form', () => {
  it('offers to mark arrived; without the choice the status stays and the dashboard lists it', async () => {
    const w = await world('departed', counts({ registered: { total: 500 }, departed: { total: 450 } }));
    const html = await (await officer.get(w.path)).text();
    expect(selectOptions(html, 'mark').map((o) => o.value)).toEqual(['', 'arrived']);
    const form = formFields(html);
    const res = await officer.post(w.path, {
      ...form,
      'arrived.total': 450,
      reason: 'landed',
      source: String(w.source.id),
    });
    expect(res.status).toBe(303);
    expect((await reloadMovement(db(), w.movement.id)).status).toBe('departed'); // nothing silent
    const flagged = async () =>
      (await attentionList()).includes(`<a href="/staff/movements/${w.movement.id}">M-departed`);
    expect(await flagged()).toBe(true);
    const again = formFields(await (await officer.get(w.path)).text());
    const marked = await officer.post(w.path, { ...again, mark: 'arrived', mark_at: '', reason: 'status' });
    expect(marked.status).toBe(422); // the source is still required
    const ok = await officer.post(w.path, {
      ...again,
      mark: 'arrived',
      mark_at: '',
      reason: 'status',
      source: String(w.source.id),
    });
    expect(ok.status).toBe(303);
    const after = await reloadMovement(db(), w.movement.id);
    expect(after).toMatchObject({ status: 'arrived', arrivedAt: null }); // arrival time not reported
    const audit = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, 'movement'), eq(auditEvents.entityId, w.movement.id)));
    expect(audit.map((a) => a.action)).toContain('status');
    expect(await flagged()).toBe(false);
  });

  it('offers to mark a planned movement departed with its time', async () => {
    const w = await world('planned');
    const form = formFields(await (await officer.get(w.path)).text());
    const res = await officer.post(w.path, {
      ...form,
      'departed.total': 480,
      mark: 'departed',
      mark_at: '2026-03-03T09:30',
      reason: 'left',
      source: String(w.source.id),
    });
    expect(res.status).toBe(303);
    const m = await reloadMovement(db(), w.movement.id);
    expect(m.status).toBe('departed');
    expect(m.departedAt).not.toBeNull();
  });
});

describe('attribution cannot go wrong by default', () => {
  it('pre-selects no source and records the desk and the officer', async () => {
    const w = await world('planned');
    // A previous save with a named source must not become the next save's default.
    const first = formFields(await (await officer.get(w.path)).text());
    await officer.post(w.path, {
      ...first,
      'registered.total': 510,
      reason: 'r',
      source: String(w.source.id),
    });
    const html = await (await officer.get(w.path)).text();
    const options = selectOptions(html, 'source');
    expect(options[0]).toEqual({ value: '', selected: true });
    expect(options.filter((o) => o.selected)).toHaveLength(1);
    expect(options.map((o) => o.value)).toContain('desk');
    expect(html).toContain('Consular Service of Testland');
    const form = formFields(html);
    const missing = await officer.post(w.path, { ...form, 'departed.total': 450, reason: 'own count' });
    expect(missing.status).toBe(422);
    expect((await findCounts(db(), w.movement.id)).departed.total).toBeNull();
    const res = await officer.post(w.path, {
      ...form,
      'departed.total': 450,
      reason: 'own count',
      source: 'desk',
    });
    expect(res.status).toBe(303);
    const [set] = await db()
      .select({ outlet: sources.outlet, title: sources.title })
      .from(countChangeSets)
      .innerJoin(sources, eq(sources.id, countChangeSets.sourceId))
      .where(and(eq(countChangeSets.movementId, w.movement.id), eq(countChangeSets.reason, 'own count')));
    expect(set!.outlet).toBe('Consular Service of Testland');
    expect(set!.title).toContain(officer.user.name);
  });

  it('CSV upload: records a new source on the form; blank source cells take it', async () => {
    const w = await world('planned');
    const exported = await (await officer.get(`/staff/operations/${w.op.id}/export.csv`)).text();
    const edited = exported.replace(/,500,/, ',520,');
    expect(edited).not.toBe(exported);
    const upload = `/staff/operations/${w.op.id}/import`;
    await officer.get(upload);
    const form = await (await officer.get(upload)).text();
    expect(
      selectOptions(form, 'source')
        .filter((o) => o.selected)
        .map((o) => o.value),
    ).toEqual(['']);
    const checked = await uploadCsv(officer, upload, edited, {
      reason: 'embassy sheet',
      new_source_outlet: 'Embassy in Muscat',
      new_source_title: 'Passenger sheet, 3 March',
    });
    expect(checked.status).toBe(303);
    const applied = await officer.post(`${checked.headers.get('location')}/apply`, {});
    expect(applied.status).toBe(200);
    // The progress page streams while the chunks commit: read it to its end before looking.
    expect(await applied.text()).toContain('class="done"');
    expect((await findCounts(db(), w.movement.id)).registered.total).toBe(520);
    const [set] = await db()
      .select({ outlet: sources.outlet })
      .from(countChangeSets)
      .innerJoin(sources, eq(sources.id, countChangeSets.sourceId))
      .where(eq(countChangeSets.movementId, w.movement.id));
    expect(set!.outlet).toBe('Embassy in Muscat');
  });
});
