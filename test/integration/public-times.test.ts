// Public times are the evacuation's: with a clock set months after the reports,
// the seeded JSON, CSV and feed show March 2026 and never the load time; staleness
// runs from the figures' as-of; a hidden movement's edit changes no public byte.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { movements } from '../../db/schema.ts';
import { toPublicProjection } from '../../src/domain/privacy.ts';
import { loadPublicSnapshots } from '../../src/domain/public-status.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { statusAtom } from '../../src/presenters/public-atom.ts';
import { statusCsv } from '../../src/presenters/public-csv.ts';
import { statusJson } from '../../src/presenters/public-data.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase } from '../support/db.ts';

const LATER = new Date('2026-09-15T08:00:00Z'); // a fixed clock months after the reports

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
});

async function outputs(now = LATER) {
  const p = toPublicProjection(await loadPublicSnapshots({ db: database.db, now }), now);
  const feed = { baseUrl: 'http://corridor.test', tagAuthority: 'corridor.test,2026' };
  return {
    p,
    json: JSON.stringify(statusJson(p, {})),
    csv: statusCsv(p, 'en'),
    atom: statusAtom(p, 'en', feed),
  };
}

/** Every ISO instant or day printed. */
const stamps = (text: string) => [...text.matchAll(/\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z)?/g)].map((m) => m[0]);

describe('seeded public times', () => {
  it('are March 2026 in the JSON, CSV and feed, never the load time', async () => {
    const { json, csv, atom } = await outputs();
    for (const text of [json, csv, atom]) {
      const printed = stamps(text);
      expect(printed.length).toBeGreaterThan(0);
      for (const s of printed) expect(s.slice(0, 7), s).toBe('2026-03');
    }
  });

  it('figures as of the report; stale from that; the FlyDubai route is final and never stale', async () => {
    const { p } = await outputs();
    const op = p.operations[0]!;
    expect(op.figuresAsOf?.toISOString()).toBe('2026-03-02T19:00:00.000Z');
    expect(op.figuresAsOfTimeKnown).toBe(false);
    const route = (slug: string) => op.routes.find((r) => r.slug === slug)!;
    expect(route('dubai-oman')).toMatchObject({ stale: true, final: false });
    expect(route('dubai-almaty-astana')).toMatchObject({ stale: false, final: true });
    expect(route('iran-via-armenia')).toMatchObject({ stale: false, figuresAsOf: null });
    const json = JSON.parse((await outputs()).json) as { operations: { figuresAsOf: string }[] };
    expect(json.operations[0]!.figuresAsOf).toBe('2026-03-02T19:00:00.000Z');
  });

  it('a hidden movement edit or a meeting-point edit changes no public byte', async () => {
    const before = await outputs();
    const [jeddah] = await database.db
      .select()
      .from(movements)
      .where(eq(movements.label, 'Evacuation from Jeddah, 4 March'));
    const [oman] = await database.db
      .select()
      .from(movements)
      .where(eq(movements.label, 'Repatriation via Oman, 3 March'));
    await database.db
      .update(movements)
      .set({ staffNote: 'bus 2 late', updatedAt: new Date('2026-09-15T07:00:00Z') })
      .where(eq(movements.id, jeddah!.id))
      .returning();
    await database.db
      .update(movements)
      .set({ meetingPoint: 'Gate 4', updatedAt: new Date('2026-09-15T07:30:00Z') })
      .where(eq(movements.id, oman!.id))
      .returning();
    const after = await outputs();
    expect(after.json).toBe(before.json);
    expect(after.csv).toBe(before.csv);
    expect(after.atom).toBe(before.atom);
  });
});
