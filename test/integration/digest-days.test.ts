// The digest tells its day: built from the state as of the end of the day, so the
// seeded reports of 3 and 4 March 2026 read the same whenever the digest is run,
// in every language (fixtures compared in full). A correction recorded later as of
// an earlier day changes that day's digest, which says so; an edit as of today does not.
// The desk's own record, saved later as of a day, is dated by that day in its digest.
import { readFileSync, writeFileSync } from 'node:fs';
import { systemClock } from '../../src/clock.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DigestRunContent } from '../../src/domain/digest/content.ts';
import { claimDigestRun, computeDigest } from '../../src/domain/digest/run.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { resolveSourceChoice } from '../../src/domain/staff/source-choice.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { createDigestComposer } from '../../src/mail/compose.ts';
import type { Database } from '../../src/store/database.ts';
import { type OperationRow, findOperationBySlug } from '../../src/store/repositories/catalog.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { formatDay } from '../../src/presenters/format.ts';
import { localizedPart, partText } from '../../src/presenters/localized-part.ts';
import { createRenderer } from '../../src/views.ts';
import { createTestDatabase } from '../support/db.ts';

const LATER = new Date('2026-12-04T12:00:00Z'); // months after the reports
const compose = createDigestComposer(createRenderer(), 'http://corridor.test');
const fixtureUrl = (name: string) => new URL(`../fixtures/digest/${name}.txt`, import.meta.url);
/** UPDATE_FIXTURES=1 rewrites them from the current output (then read the diff before committing). */
const fixture = (name: string, actual: string) => {
  if (process.env.UPDATE_FIXTURES === '1') writeFileSync(fixtureUrl(name), actual);
  return readFileSync(fixtureUrl(name), 'utf8');
};
const text = (c: DigestRunContent, lang: 'kk' | 'ru' | 'en', audience: 'public' | 'staff') =>
  compose({ content: c[audience], lang, unsubscribeUrl: 'http://corridor.test/u/x' }).text;

let database: Database;
let operation: OperationRow;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  operation = (await findOperationBySlug(database.db, 'middle-east-2026'))!;
});

const digest = (day: string, now = LATER) => computeDigest({ database }, { operation, day, now });

describe('the seeded days', () => {
  it.each(['2026-03-03', '2026-03-04'])('%s reads as its fixtures in kk, ru and en', async (day) => {
    const content = await digest(day);
    for (const lang of ['kk', 'ru', 'en'] as const)
      for (const audience of ['public', 'staff'] as const) {
        const actual = text(content, lang, audience);
        expect(actual).toBe(fixture(`${day}.${lang}.${audience}`, actual));
      }
  });

  it('3 March: the Oman group departed that day, time not reported; arrival day not recorded; first summary', async () => {
    const c = await digest('2026-03-03');
    for (const v of [c.public, c.staff]) {
      expect(v.departed.map((l) => [l.routeNames.en, l.at, l.timeKnown])).toEqual([
        ['Dubai → Oman → Kazakhstan', '2026-03-02T19:00:00.000Z', false],
      ]);
      expect(v.arrivedOnDay).toEqual({ kind: 'not_reported' });
      expect(v.previous).toBeNull();
      expect(v.figuresAsOf).toBe('2026-03-02T19:00:00.000Z');
      expect(v.figuresAsOfTimeKnown).toBe(false);
      expect(v.sources?.map((s) => s.publishedOn)).toEqual(['2026-03-03']);
    }
  });

  it('4 March: compared with the end of 3 March; the Jeddah group due that day is named', async () => {
    const c = await digest('2026-03-04');
    for (const v of [c.public, c.staff]) {
      expect(v.previous).toMatchObject({ day: '2026-03-03' });
      expect(v.dueNotDeparted?.map((l) => l.routeNames.en)).toEqual(['Qatar → Riyadh → Jeddah → Kazakhstan']);
    }
    expect(c.staff.dueNotDeparted?.[0]?.people).toEqual({ kind: 'value', value: 343 });
  });
});

describe('corrections', () => {
  it('a correction as of an earlier day changes that day and says so; an edit as of today does not', async () => {
    const sent = await claimDigestRun(
      { database },
      // Built after the seed was recorded (the run's time is its clock's: the real one here).
      { operation, day: '2026-03-03', now: systemClock.now(), claimedBy: 'test' },
    );
    expect(sent.created).toBe(true);
    const before3 = await digest('2026-03-03');
    const before4 = await digest('2026-03-04');
    const oman = before3.staff.departed[0]!;
    const current = await findCounts(database.db, oman.id);
    const version = (await database.db.query.movements.findFirst({
      where: (m, { eq }) => eq(m.id, oman.id),
    }))!.version;
    // Today (December): 460 departed. Nothing as of 3 or 4 March changes.
    const today = structuredClone(current);
    today.departed.total = 460;
    await updateMovementCounts(
      { db: database.db },
      {
        movementId: oman.id,
        expectedVersion: version,
        counts: today,
        reason: 'manifest',
        sourceId: null,
        actor: { id: null, label: 'test' },
        asOf: LATER,
      },
    );
    expect(await digest('2026-03-03')).toEqual(before3);
    expect(await digest('2026-03-04')).toEqual(before4);
    // That day's digest: departed went from not reported to 460, a first report, not "+460".
    const december = await digest('2026-12-04');
    expect(december.staff.routes.find((r) => r.id === oman.routeId)?.change?.departed).toEqual({
      kind: 'first',
      value: 460,
    });
    // Then a correction as of 3 March, 20:00 in Almaty: 470 registered, not 467.
    const corrected = structuredClone(today);
    corrected.registered.total = 470;
    await updateMovementCounts(
      { db: database.db },
      {
        movementId: oman.id,
        expectedVersion: version + 1,
        counts: corrected,
        reason: 'briefing transcript',
        sourceId: null,
        actor: { id: null, label: 'test' },
        asOf: new Date('2026-03-03T15:00:00Z'),
      },
    );
    const after3 = await digest('2026-03-03');
    expect(after3.staff.routes.find((r) => r.id === oman.routeId)?.figures.registered).toEqual({
      kind: 'value',
      value: 470,
    });
    expect(after3.staff.corrections).toEqual([
      expect.objectContaining({ stage: 'registered', field: 'total', oldValue: 467, newValue: 470 }),
    ]);
    expect(after3.public.corrections).toEqual([
      expect.objectContaining({
        stage: 'registered',
        field: 'total',
        oldValue: null,
        newValue: null,
        label: null,
      }),
    ]);
    expect(text(after3, 'en', 'staff')).not.toBe(text(before3, 'en', 'staff'));
  });
});

describe('a source typed by staff', () => {
  it("is dated by the operation's day it was recorded on, not UTC's", async () => {
    // 20:30 UTC on 5 March is 01:30 on 6 March in Almaty (the seed's zone).
    const sourceId = await resolveSourceChoice(
      database.db,
      {
        choice: { kind: 'new', source: { outlet: 'Kazinform', title: 'Night flight', url: null } },
        operationId: operation.id,
        actor: { id: null, label: 'Dana Officer' },
        now: new Date('2026-03-05T20:30:00Z'),
      },
      {},
    );
    const row = await database.db.query.sources.findFirst({ where: (s, { eq }) => eq(s.id, sourceId!) });
    expect(row?.publishedOn).toBe('2026-03-06');
  });
});

describe("the desk's own record", () => {
  it('is dated by its figures’ as-of day, never the day it was recorded, and written as the page writes it', async () => {
    // Recorded in December (its source is dated then), as of 5 March, 23:30 in Almaty.
    const recorded = new Date('2026-12-06T07:00:00Z');
    const actor = { id: null, label: 'Dana Officer' };
    const sourceId = await resolveSourceChoice(
      database.db,
      { choice: { kind: 'desk' }, operationId: operation.id, actor, now: recorded },
      {},
    );
    const desk = (await database.db.query.sources.findFirst({ where: (s, { eq }) => eq(s.id, sourceId!) }))!;
    expect(desk.publishedOn).toBe('2026-12-06');
    const movement = (await database.db.query.movements.findFirst({
      where: (m, { eq }) => eq(m.status, 'departed'),
    }))!;
    const figures = await findCounts(database.db, movement.id);
    figures.registered.total = (figures.registered.total ?? 0) + 1;
    await updateMovementCounts(
      { db: database.db },
      {
        movementId: movement.id,
        expectedVersion: movement.version,
        counts: figures,
        reason: 'desk call',
        sourceId,
        actor,
        asOf: new Date('2026-03-05T18:30:00Z'),
      },
    );
    const c = await digest('2026-03-05', recorded);
    for (const v of [c.public, c.staff]) {
      const line = v.sources!.find((s) => s.outlet === desk.outlet)!;
      expect(line).toMatchObject({ publishedOn: '2026-03-05', language: 'en', titles: {} });
      // A report's source keeps its own date.
      expect(v.sources!.filter((s) => s !== line).every((s) => s.publishedOn <= '2026-03-05')).toBe(true);
    }
    for (const lang of ['kk', 'ru', 'en'] as const)
      for (const audience of ['public', 'staff'] as const) {
        const mail = compose({ content: c[audience], lang, unsubscribeUrl: 'http://corridor.test/u/x' });
        const outlet = partText(localizedPart(desk.outlets, lang));
        for (const part of [mail.text, mail.html]) {
          expect(part).toContain(`${outlet}, ${formatDay(lang, '2026-03-05')} — `);
          expect(part).not.toContain(`${outlet}:`);
          expect(part).not.toContain(formatDay(lang, '2026-12-06'));
        }
      }
  });
});
