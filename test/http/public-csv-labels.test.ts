// The per-language public CSV carries each movement's label in the file's language,
// else in the language it was written in, with that language in `movement_lang`:
// a clean cell, never silently another language (docs/public-api.md, "The CSV"). On
// the seed (labels in kk, ru and en) and with one label left only in English.
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { movements } from '../../db/schema.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { LANGUAGES } from '../../src/i18n/index.ts';
import type { Database } from '../../src/store/database.ts';
import { notifyChange } from '../../src/store/notify.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { waitFor } from '../support/wait.ts';

let database: Database;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database);
});

type Row = Record<string, string>;
async function csv(lang: string): Promise<Row[]> {
  const body = await (await fetch(`${server.url}/${lang}/status.csv`)).text();
  return parse<Row>(body.replace(/^\uFEFF/, ''), { columns: true });
}
const movementRows = (rows: Row[]) => rows.filter((r) => r.level === 'movement');

// A figure as of a day whose time the source did not give is dated by that day alone, in
// the operation's zone — never its midnight as a UTC instant (the day before, at 19:00).
describe('updated_at in the public CSV and the HXL', () => {
  type Json = {
    operations: {
      timeZone: string;
      routes: { slug: string; figuresAsOf: string | null; figuresAsOfTimeKnown: boolean }[];
    }[];
  };
  const DAY = /^\d{4}-\d\d-\d\d$/;
  const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

  it('is the local day alone where the time was not reported, the instant where it was', async () => {
    const json = (await (await fetch(`${server.url}/api/v1/status`)).json()) as Json;
    const routes = json.operations.flatMap((o) => o.routes.map((r) => ({ ...r, tz: o.timeZone })));
    const dayOnly = routes.filter((r) => r.figuresAsOf && !r.figuresAsOfTimeKnown);
    expect(dayOnly.length).toBeGreaterThan(0); // the seed's "3 March, time not reported"
    const hxlBody = await (await fetch(`${server.url}/status.hxl.csv`)).text();
    const hxl = parse<Row>(hxlBody.replace(/^\uFEFF/, ''), { columns: true }).slice(1); // under the tags
    for (const rows of [...(await Promise.all(LANGUAGES.map(csv))), hxl]) {
      for (const r of rows)
        expect(r.updated_at, JSON.stringify(r)).toMatch(r.updated_at!.includes('T') ? INSTANT : DAY);
      for (const route of routes.filter((x) => x.figuresAsOf)) {
        const row = rows.find((r) => r.level === 'route' && r.route === route.slug)!;
        const day = new Intl.DateTimeFormat('en-CA', { timeZone: route.tz }).format(
          new Date(route.figuresAsOf!),
        );
        expect(row.updated_at, route.slug).toBe(route.figuresAsOfTimeKnown ? route.figuresAsOf : day);
      }
    }
  });
});

describe('movement labels in the public CSV', () => {
  it('are in the file language on the seed, with movement_lang saying so', async () => {
    for (const lang of LANGUAGES) {
      const rows = movementRows(await csv(lang));
      expect(rows.length, lang).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.movement_lang, lang).toBe(lang);
        expect(r.movement).not.toMatch(/\(/);
      }
    }
    const others = (await csv('en')).filter((r) => r.level !== 'movement');
    expect(others.every((r) => r.movement === '' && r.movement_lang === '')).toBe(true);
  });

  it('an untranslated label is given in its own language, named in movement_lang, without a mark', async () => {
    const [first] = movementRows(await csv('ru'));
    const [row] = await database.db
      .select({ id: movements.id, labels: movements.labels })
      .from(movements)
      .where(sql`${movements.labels} ->> 'ru' = ${first!.movement}`);
    const english = row!.labels.en!;
    await database.db
      .update(movements)
      .set({ labels: { en: english } })
      .where(eq(movements.id, row!.id));
    const [op] = await listPublicOperations(database.db);
    await notifyChange(database.db, { operationId: op!.id, kind: 'test' });
    const rows = await waitFor('the Russian CSV rebuilt with the English label', async () => {
      const found = movementRows(await csv('ru')).filter((r) => r.movement === english);
      return found.length > 0 && found;
    });
    expect(rows.every((r) => r.movement_lang === 'en')).toBe(true);
    // Kazakh falls back the same way; English is the label's own language.
    for (const lang of ['kk', 'en'] as const) {
      const same = movementRows(await csv(lang)).filter((r) => r.movement === english);
      expect(same.length, lang).toBe(rows.length);
      expect(same.every((r) => r.movement_lang === 'en')).toBe(true);
    }
  });
});
