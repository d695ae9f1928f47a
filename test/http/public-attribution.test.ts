// Attribution of the public figures on the seeded data (issue 13 points 2 and 4), over
// HTTP: the operation note on who the lists prioritise quotes report 001 and cites it
// (page in three languages, JSON); the totals list the reports they rest on (page line,
// JSON totalsSources, the CSV's operation rows); the priority-group table stays away
// while no breakdown is reported; the FlyDubai figure is worded as the report's
// passengers. An officer's notice may cite a report through the notice form.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { LANGUAGES } from '../../src/i18n/index.ts';
import type { Database } from '../../src/store/database.ts';
import { sources } from '../../db/schema.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { formByAction } from '../support/form-fields.ts';
import { signIn } from '../support/staff.ts';

let database: Database;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database);
});

const get = (path: string) => fetch(`${server.url}${path}`);
type Json = {
  operations: {
    slug: string;
    totalsSources: number[];
    notices: {
      id: number;
      source: number | null;
      quote: { text: string } | null;
      text: Record<string, string>;
    }[];
    sources: { id: number; outlet: string; publishedOn: string }[];
    routes: { movements: { published: boolean; source: number | null }[] }[];
  }[];
};
/** The HTML from the element whose opening tag has `marker` to the next `until` ('' if absent). */
function section(html: string, marker: string, until = '</section>'): string {
  const at = html.indexOf(marker);
  return at < 0 ? '' : html.slice(at, html.indexOf(until, at + marker.length));
}
const status = async () => ((await (await get('/api/v1/status')).json()) as Json).operations[0]!;

describe('attribution on the seeded page', () => {
  it('JSON: the priority note cites report 001 with its words; the totals name their sources', async () => {
    const op = await status();
    const bakayev = op.sources.find((s) => s.outlet.includes('Bakayev'))!;
    const note = op.notices.find((n) => n.source === bakayev.id)!;
    expect(note.quote!.text).toBe(
      'The evacuation lists primarily include women with minor children, citizens over the age of 60, and individuals with medical conditions.',
    );
    expect(note.text.en).toContain('How many of each was not reported');
    // Every published movement's source is among the totals' sources, and each is listed in `sources`.
    const movementSources = op.routes.flatMap((r) =>
      r.movements.filter((m) => m.published).map((m) => m.source),
    );
    expect(movementSources.length).toBeGreaterThan(0);
    for (const id of movementSources) expect(op.totalsSources).toContain(id);
    for (const id of op.totalsSources) expect(op.sources.map((s) => s.id)).toContain(id);
  });

  for (const lang of LANGUAGES)
    it(`${lang}: the note and its citation after the map, the totals' sources, and no empty group table`, async () => {
      const op = await status();
      const bakayev = op.sources.find((s) => s.outlet.includes('Bakayev'))!;
      const note = op.notices.find((n) => n.source === bakayev.id)!;
      const html = await (await get(`/${lang}/`)).text();
      // A cited, unpinned note is background: not among the notices at the top, but in
      // its own section after the map and the routes (issue 17: three phone screens).
      expect(section(html, 'class="notices"')).toBe('');
      const reported = section(html, 'class="notices reported"');
      expect(reported).toContain(`id="notice-${note.id}"`);
      expect(reported).toContain('<figure class="quote">');
      expect(reported).toContain('primarily include women with minor children'); // the report's words, as published
      expect(reported).toMatch(/class="note src"/);
      expect(html.indexOf('class="notices reported"')).toBeGreaterThan(html.indexOf('class="routes"'));
      expect(html.indexOf('class="routes"')).toBeGreaterThan(html.indexOf('class="map"'));
      // The totals' sources: one note line in the summary, with the time zone and the methodology link.
      const summary = section(html, 'aria-labelledby="op-0-summary"');
      const line = summary.match(/<p class="note src">.*?<\/p>/)?.[0] ?? '';
      expect(line).toContain(`href="/${lang}/methodology"`);
      expect(line.split(' · ')).toHaveLength(2); // the sources, then the time zone
      expect(html).not.toContain('Not broken down');
      expect(html).not.toMatch(/\b0 of \d+ home/);
    });

  it('CSV: the operation rows carry the totals’ sources', async () => {
    const csv = await (await get('/en/status.csv')).text();
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    const col = header!.split(',').indexOf('sources');
    expect(col).toBeGreaterThan(-1);
    const operationRows = rows.filter((r) => r.includes(',operation,') || r.startsWith('operation,'));
    expect(operationRows.length).toBeGreaterThan(0);
    for (const row of operationRows) expect(row).toMatch(/Bakayev/);
  });

  it('the FlyDubai figure is worded as the report words it: passengers', async () => {
    const op = await status();
    const html = await (await get('/en/')).text();
    expect(op.slug).toBe('middle-east-2026');
    expect(html).toContain('306 passengers');
    expect(html).not.toMatch(/306 citizens/);
  });

  it('an officer cites a report on a notice through the form', async () => {
    const officer = await signIn(server, 'officer');
    const op = await status();
    const opId = (await database.db.query.operations.findFirst())!.id;
    const page = `/staff/operations/${opId}`;
    const form = formByAction(await (await officer.get(page)).text(), `${page}/notices`);
    const report = op.sources[0]!;
    const res = await officer.post(`${page}/notices`, {
      ...form,
      body_en: 'The hotline answers in Kazakh and Russian.',
      sourceId: String(report.id),
      pinned: 'on',
    });
    expect(res.status).toBe(303);
    // The public copy is rebuilt on the change signal (on PostgreSQL, a moment later).
    await vi.waitFor(
      async () => {
        const after = await status();
        const hotline = after.notices.find((n) => n.text.en?.startsWith('The hotline'));
        expect(hotline?.source).toBe(report.id);
        // Pinned, it stays among the notices at the top even though it cites a report.
        const html = await (await get('/kk/')).text();
        expect(section(html, 'class="notices"')).toContain(`id="notice-${hotline!.id}"`);
        expect(section(html, 'class="notices reported"')).not.toContain(`id="notice-${hotline!.id}"`);
      },
      { timeout: 10_000, interval: 200 },
    );
    const bad = await officer.post(
      `${page}/notices`,
      { ...form, body_en: 'x', sourceId: '999999' },
      { headers: { accept: 'application/json' } },
    );
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields.sourceId).toBe(
      'field.unknown_id',
    );
  });

  it('a notice citing a report nothing else cites still shows that report', async () => {
    const officer = await signIn(server, 'officer');
    const opId = (await database.db.query.operations.findFirst())!.id;
    const [only] = await database.db
      .insert(sources)
      .values({
        slug: 'notice-only-report',
        title: 'Embassy statement',
        outlet: 'Embassy in Tehran',
        publishedOn: '2026-03-04',
        language: 'en',
      })
      .returning();
    const page = `/staff/operations/${opId}`;
    const form = formByAction(await (await officer.get(page)).text(), `${page}/notices`);
    const res = await officer.post(`${page}/notices`, {
      ...form,
      body_en: 'The border crossing at Astara is open.',
      sourceId: String(only!.id),
    });
    expect(res.status).toBe(303);
    await vi.waitFor(
      async () => {
        const after = await status();
        const notice = after.notices.find((n) => n.text.en?.startsWith('The border crossing'));
        expect(notice?.source).toBe(only!.id);
        expect(after.sources.map((x) => x.id)).toContain(only!.id);
      },
      { timeout: 10_000, interval: 200 },
    );
  });
});
