// The staff CSV carries the movement label per language (issue 15): label_kk, label_ru,
// label_en after the other columns. Export → import changes nothing; a file that fills
// in translations (and figures) writes both on apply; a file in the older format (the
// single `movement` label) imports as before; a file that changes the working-language
// label (the key), a translation over the limit, or a translation in a row exported
// before a later change is refused with 422 and nothing is written.
// On PGlite, or PostgreSQL with TEST_DATABASE_URL.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { movements } from '../../db/schema.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { signIn } from '../support/staff.ts';
import { dumpWorkspace, uploadCsv } from '../support/workspace.ts';

let server: TestServer;
let officer: Awaited<ReturnType<typeof signIn>>;
const db = () => server.deps.database.db;

beforeAll(async () => {
  server = await startTestServer(await createTestDatabase());
  officer = await signIn(server, 'officer');
});

async function world() {
  const op = await makeOperation(db(), { workingLanguage: 'ru' });
  const { route } = await makeRoute(db(), op.id);
  const source = await makeSource(db());
  const flight = await makeMovement(
    db(),
    route.id,
    { label: 'Рейс 1', labels: { en: 'Flight 1', ru: 'Рейс 1' } },
    counts({ registered: { total: 120 } }),
  );
  // Written before labels were per language: its single label is in the working language.
  const bus = await makeMovement(db(), route.id, { label: 'Автобус' }, counts({ registered: { total: 40 } }));
  const base = `/staff/operations/${op.id}`;
  return { op, route, source, flight, bus, base };
}
type World = Awaited<ReturnType<typeof world>>;

const exportOf = async (w: World) => (await officer.get(`${w.base}/export.csv`)).text();
/** The file as a table (no cell here holds a comma or a quote). */
const table = (content: string) =>
  content
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((l) => l.split(','));
const file = (rows: string[][]) => `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
const setCell = (rows: string[][], row: number, column: string, value: string) => {
  rows[row]![rows[0]!.indexOf(column)] = value;
};
const labels = async (id: number) =>
  (await db().select({ labels: movements.labels }).from(movements).where(eq(movements.id, id)))[0]!.labels;

async function check(w: World, content: string) {
  await officer.get(`${w.base}/import`);
  return uploadCsv(officer, `${w.base}/import`, content, {
    reason: 'translations',
    source: String(w.source.id),
  });
}
async function checkAndApply(w: World, content: string) {
  const checked = await check(w, content);
  expect(checked.status).toBe(303);
  const location = checked.headers.get('location')!;
  const plan = await (await officer.get(location)).text();
  const apply = await officer.post(`${location}/apply`, {});
  expect(apply.status).toBe(200);
  await apply.text();
  return plan;
}

describe('staff CSV: the label per language', () => {
  it('exports label_kk, label_ru, label_en; export → import changes nothing', async () => {
    const w = await world();
    const content = await exportOf(w);
    const rows = table(content);
    expect(rows[0]!.slice(-3)).toEqual(['label_kk', 'label_ru', 'label_en']);
    const at = (row: number, column: string) => rows[row]![rows[0]!.indexOf(column)];
    const flightRow = rows.findIndex((r) => r[rows[0]!.indexOf('movement_id')] === String(w.flight.id));
    const busRow = rows.findIndex((r) => r[rows[0]!.indexOf('movement_id')] === String(w.bus.id));
    expect([at(flightRow, 'label_kk'), at(flightRow, 'label_ru'), at(flightRow, 'label_en')]).toEqual([
      '',
      'Рейс 1',
      'Flight 1',
    ]);
    expect([at(busRow, 'label_kk'), at(busRow, 'label_ru'), at(busRow, 'label_en')]).toEqual([
      '',
      'Автобус',
      '',
    ]);
    const before = await dumpWorkspace(db());
    await checkAndApply(w, content);
    const after = await dumpWorkspace(db());
    expect({ ...after, audit: [] }).toEqual({ ...before, imports: after.imports, audit: [] });
    expect(await exportOf(w)).toBe(content);
  });

  it('writes the translations a file fills in, with its figures, and exports them back', async () => {
    const w = await world();
    const rows = table(await exportOf(w));
    const id = rows[0]!.indexOf('movement_id');
    const flightRow = rows.findIndex((r) => r[id] === String(w.flight.id));
    const busRow = rows.findIndex((r) => r[id] === String(w.bus.id));
    setCell(rows, flightRow, 'label_kk', '1-рейс');
    setCell(rows, flightRow, 'registered_total', '125');
    setCell(rows, busRow, 'label_en', 'Bus');
    setCell(rows, busRow, 'label_kk', 'Автобус');
    const plan = await checkAndApply(w, file(rows));
    expect(plan).toContain('1-рейс');
    expect(await labels(w.flight.id)).toEqual({ en: 'Flight 1', kk: '1-рейс', ru: 'Рейс 1' });
    expect(await labels(w.bus.id)).toEqual({ en: 'Bus', kk: 'Автобус', ru: 'Автобус' });
    expect((await findCounts(db(), w.flight.id)).registered.total).toBe(125);
    expect((await findCounts(db(), w.bus.id)).registered.total).toBe(40);
    const again = table(await exportOf(w));
    expect(again.find((r) => r[id] === String(w.flight.id))!.slice(-3)).toEqual([
      '1-рейс',
      'Рейс 1',
      'Flight 1',
    ]);
  });

  it('imports a file with the single label column only, as before', async () => {
    const w = await world();
    const rows = table(await exportOf(w)).map((r) => r.slice(0, -3));
    expect(rows[0]).not.toContain('label_en');
    const flightRow = rows.findIndex((r) => r[rows[0]!.indexOf('movement_id')] === String(w.flight.id));
    setCell(rows, flightRow, 'registered_total', '130');
    // Keyed by route and label only, too.
    setCell(rows, flightRow, 'movement_id', '');
    await checkAndApply(w, file(rows));
    expect((await findCounts(db(), w.flight.id)).registered.total).toBe(130);
    expect(await labels(w.flight.id)).toEqual({ en: 'Flight 1', ru: 'Рейс 1' });
  });

  it.each([
    ['the working-language label (the key)', 'label_ru', 'Рейс 2'],
    ['a translation over 200 characters', 'label_kk', 'ұ'.repeat(201)],
  ])('refuses a file that changes %s: 422, nothing written', async (_what, column, value) => {
    const w = await world();
    const rows = table(await exportOf(w));
    const flightRow = rows.findIndex((r) => r[rows[0]!.indexOf('movement_id')] === String(w.flight.id));
    setCell(rows, flightRow, column, value);
    setCell(rows, flightRow, 'registered_total', '121');
    const before = await dumpWorkspace(db());
    const res = await check(w, file(rows));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(`<td>${column}</td>`);
    expect(await dumpWorkspace(db())).toEqual(before);
  });

  it('refuses a changed translation in a row exported before a later change: 422, nothing written', async () => {
    const w = await world();
    const rows = table(await exportOf(w));
    // Someone saves the figures after the export: the file's version is now older.
    const later = table(await exportOf(w));
    const flightRow = later.findIndex((r) => r[later[0]!.indexOf('movement_id')] === String(w.flight.id));
    setCell(later, flightRow, 'registered_total', '122');
    await checkAndApply(w, file(later));
    setCell(rows, flightRow, 'label_en', 'Flight one');
    const before = await dumpWorkspace(db());
    const res = await check(w, file(rows));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('<td>label_en</td>');
    expect(await dumpWorkspace(db())).toEqual(before);
    expect(await labels(w.flight.id)).toEqual({ en: 'Flight 1', ru: 'Рейс 1' });
  });
});
