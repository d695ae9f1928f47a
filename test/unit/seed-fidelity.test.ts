// The seed says only what the reports say (issue 13 point 6): every route and
// movement cites a seeded source, each seeded figure's number occurs in the text
// of the report it cites, and modes the reports leave open stay "not reported".
// The report texts are copied into test/fixtures/reports/ (from shared/reports/)
// so that the test runs in a fresh clone.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedNotices, seedRoutes, seedSources } from '../../db/seed/reports.ts';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/reports');
const textOf = (slug: string) => {
  const source = seedSources.find((s) => s.slug === slug);
  expect(source, `source ${slug} is seeded`).toBeDefined();
  return fs.readFileSync(path.join(FIXTURES, path.basename(source!.file)), 'utf8');
};

describe('seed fidelity', () => {
  it('each seeded figure occurs in the text of the report it cites', () => {
    const figures = seedRoutes.flatMap((r) => r.movements.flatMap((m) => m.figures.map((f) => ({ m, f }))));
    expect(figures.length).toBeGreaterThan(0);
    for (const { m, f } of figures)
      expect(textOf(m.source), `${m.labels.en}: ${f.total}`).toContain(String(f.total));
  });

  it('every quote (routes, movements, operation notes) is word for word in the report it cites', () => {
    const quoted = [
      ...seedNotices.map((n) => ({ source: n.source, quote: n.quote })),
      ...seedRoutes.flatMap((r) => [
        { source: r.source, quote: r.quote },
        ...r.movements.map((m) => ({ source: m.source, quote: m.quote })),
      ]),
    ].filter((q) => q.quote !== null);
    expect(seedNotices.length).toBeGreaterThan(0);
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    for (const q of quoted) expect(flat(textOf(q.source))).toContain(flat(q.quote!.text));
  });

  it('the note on who the lists prioritise quotes report 001 and names all three groups', () => {
    const [note] = seedNotices;
    expect(note!.source).toBe('bakayev-briefing-2026-03-03');
    for (const words of ['women with minor children', 'over the age of 60', 'medical conditions'])
      expect(note!.quote.text).toContain(words);
  });

  it('every route cites a report whose text names its destination', () => {
    for (const route of seedRoutes) {
      const text = textOf(route.source);
      for (const leg of route.legs.filter((l) => l.crossesBorder && l.to !== 'kazakhstan')) {
        const en = { armenia: 'Armenia', azerbaijan: 'Azerbaijan', turkmenistan: 'Turkmenistan' }[leg.to];
        if (en) expect(text, `${route.slug} cites a report naming ${en}`).toContain(en);
      }
    }
  });

  it('keeps the wording of the reports: by land, and no mode where none was stated', () => {
    const iran = seedRoutes.filter((r) => r.slug.startsWith('iran-via-'));
    expect(iran.flatMap((r) => r.legs.map((l) => l.mode))).toEqual(['land', 'land', 'land']);
    const onward = seedRoutes.find((r) => r.slug === 'qatar-riyadh-jeddah')!.legs[1]!;
    expect(onward).toMatchObject({ from: 'riyadh', to: 'jeddah', mode: 'not_reported' });
    const flydubai = seedRoutes
      .flatMap((r) => r.movements)
      .find((m) => m.figures.some((f) => f.total === 306))!;
    expect(textOf(flydubai.source)).toMatch(/306 passengers/);
  });
});
