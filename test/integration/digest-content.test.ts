// The digest's content from the seeded figures of 3 and 4 March 2026, and the
// day boundaries of the operation's time zone (Asia/Almaty, UTC+5).
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { movements } from '../../db/schema.ts';
import { fixedClock } from '../../src/clock.ts';
import type { DigestContent } from '../../src/domain/digest/content.ts';
import { dayBounds, dueDay, localDay, sendTime } from '../../src/domain/digest/day.ts';
import { claimDigestRun, computeDigest, runContent } from '../../src/domain/digest/run.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { createDigestComposer } from '../../src/mail/compose.ts';
import type { Database } from '../../src/store/database.ts';
import { findOperationBySlug } from '../../src/store/repositories/catalog.ts';
import { createRenderer } from '../../src/views.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  // The reported figures were true on the report's date (3 March, 00:00 local): record them then.
  const reported = new Date('2026-03-02T19:00:00Z');
  for (const table of ['movements', 'passenger_counts', 'routes', 'legs', 'operations'])
    await database.rows(sql`UPDATE ${sql.identifier(table)} SET updated_at = ${reported} RETURNING 1`);
});

const byLabel = (lines: { label: string | null }[]) => lines.map((l) => l.label);
const fig = (value: number) => ({ kind: 'value', value });

describe('days in the operation time zone', () => {
  it('reckons Asia/Almaty days as UTC+5 and the due day around 20:00', () => {
    expect(dayBounds('2026-03-03', 'Asia/Almaty').start.toISOString()).toBe('2026-03-02T19:00:00.000Z');
    expect(localDay(new Date('2026-03-03T18:59:59Z'), 'Asia/Almaty')).toBe('2026-03-03');
    expect(localDay(new Date('2026-03-03T19:00:00Z'), 'Asia/Almaty')).toBe('2026-03-04');
    expect(sendTime('2026-03-03', '20:00', 'Asia/Almaty').toISOString()).toBe('2026-03-03T15:00:00.000Z');
    expect(dueDay(new Date('2026-03-03T14:59:00Z'), '20:00', 'Asia/Almaty')).toBe('2026-03-02');
    expect(dueDay(new Date('2026-03-03T15:00:00Z'), '20:00', 'Asia/Almaty')).toBe('2026-03-03');
  });
});

describe('the seeded figures', () => {
  let day3: { public: DigestContent; staff: DigestContent };
  let day4: { public: DigestContent; staff: DigestContent };

  beforeAll(async () => {
    const operation = (await findOperationBySlug(database.db, 'middle-east-2026'))!;
    const at3 = new Date('2026-03-03T15:00:00Z'); // 20:00 in Almaty
    const r3 = await claimDigestRun(
      { database },
      { operation, day: '2026-03-03', now: at3, claimedBy: 'test' },
    );
    day3 = runContent(r3.run)!;
    const at4 = new Date('2026-03-04T15:00:00Z');
    const r4 = await claimDigestRun(
      { database },
      { operation, day: '2026-03-04', now: at4, claimedBy: 'test' },
    );
    day4 = runContent(r4.run)!;
  });

  it('3 March: at least 306 home (by FlyDubai, day not reported), 1,116 on the lists, on the way or home, Jeddah scheduled next', () => {
    for (const c of [day3.public, day3.staff]) {
      expect(c.day).toBe('2026-03-03');
      // The 467 via Oman have no departed figure: some may be home already (headline.ts).
      expect(c.totals.arrived).toEqual({ kind: 'at_least', value: 306 });
      expect(c.totals.registered).toEqual(fig(1116));
      expect(c.totals.stageNotReported).toEqual(fig(467));
      expect(c.totals.departed).toEqual(fig(306));
      // 306 arrived on a day not reported: the day's count is unknown, not 0.
      expect(c.arrivedOnDay).toEqual({ kind: 'not_reported' });
      expect(c.scheduledNextDay.map((m) => m.routeNames.en)).toEqual([
        'Qatar → Riyadh → Jeddah → Kazakhstan',
      ]);
      expect(c.previous).toBeNull();
      expect(c.routes).toHaveLength(6);
      // Stale from the figures' as-of, not a write time: "3 March (time not reported)" may be
      // from that evening, so at 20:00 on 3 March it is not stale yet; final figures never are.
      expect(c.routes.find((r) => r.names.en === 'Dubai → Oman → Kazakhstan')!.stale).toBe(false);
      expect(c.routes.find((r) => r.names.en === 'Dubai → Almaty and Astana (flights)')!.stale).toBe(false);
    }
    // At 20:00 on 4 March it is: more than 12 hours after the end of 3 March.
    for (const c of [day4.public, day4.staff])
      expect(c.routes.find((r) => r.names.en === 'Dubai → Oman → Kazakhstan')!.stale).toBe(true);
    // The public version does not name a movement before it has departed.
    expect(day3.public.scheduledNextDay[0]!.label).toBeNull();
    expect(day3.staff.scheduledNextDay[0]!.label).toBe('Evacuation from Jeddah, 4 March');
    expect(day3.staff.arrivedUndated).toEqual(fig(306));
    const oman = day3.public.routes.find((r) => r.names.en === 'Dubai → Oman → Kazakhstan')!;
    expect(oman.figures.registered).toEqual(fig(467));
  });

  it('4 March: compared with 3 March, nothing changed; nothing scheduled for 5 March', () => {
    for (const c of [day4.public, day4.staff]) {
      expect(c.previous).toMatchObject({ day: '2026-03-03' });
      expect(c.scheduledNextDay).toEqual([]);
      expect(c.departed).toEqual([]);
      expect(c.totals.arrived).toEqual({ kind: 'at_least', value: 306 });
      for (const r of c.routes)
        for (const ch of Object.values(r.change!)) expect(ch).toEqual({ kind: 'delta', value: 0 });
    }
  });

  it('renders both parts in each language with the figures and the status link', () => {
    const compose = createDigestComposer(createRenderer(), 'http://corridor.test');
    const en = compose({ content: day3.public, lang: 'en', unsubscribeUrl: 'http://corridor.test/u/x' });
    expect(en.subject).toBe('Middle East 2026: daily summary for 3 March 2026');
    expect(en.text).toContain('Arrived home in total: at least 306');
    expect(en.text).toContain('http://corridor.test/en/');
    expect(en.html).toContain('<html lang="en">');
    const ru = compose({ content: day3.public, lang: 'ru', unsubscribeUrl: 'x' });
    expect(ru.subject).toBe('Ближний Восток 2026: сводка за 3 марта 2026 г.');
    expect(ru.text).toContain('Всего прибыли домой: не менее 306');
    const kk = compose({ content: day3.staff, lang: 'kk', unsubscribeUrl: 'x' });
    expect(kk.subject).toContain('[Қызметкерлерге] Таяу Шығыс 2026');
    expect(kk.text).toContain('Елге оралғандардың барлығы: кемінде 306');
  });
});

describe('day boundaries (UTC+5)', () => {
  it('counts an arrival at 23:30 local on that day and one at 00:30 local on the next', async () => {
    const db = database.db;
    const operation = await makeOperation(db, { timeZone: 'Asia/Almaty' });
    const { route } = await makeRoute(db, operation.id);
    const late = await makeMovement(
      db,
      route.id,
      {
        status: 'arrived',
        departedAt: new Date('2026-03-03T10:00:00Z'),
        arrivedAt: new Date('2026-03-03T18:30:00Z'), // 23:30 on 3 March in Almaty
      },
      counts({ departed: { total: 40 }, arrived: { total: 40 } }),
    );
    const early = await makeMovement(
      db,
      route.id,
      {
        status: 'arrived',
        departedAt: new Date('2026-03-03T12:00:00Z'),
        arrivedAt: new Date('2026-03-03T19:30:00Z'), // 00:30 on 4 March in Almaty
      },
      counts({ departed: { total: 25 }, arrived: { total: 25 } }),
    );
    const clock = fixedClock('2026-03-04T16:00:00Z');
    const d3 = await computeDigest({ database }, { operation, day: '2026-03-03', now: clock.now() });
    const d4 = await computeDigest({ database }, { operation, day: '2026-03-04', now: clock.now() });
    for (const v of ['public', 'staff'] as const) {
      expect(d3[v].arrivedOnDay).toEqual(fig(40));
      expect(d4[v].arrivedOnDay).toEqual(fig(25));
      expect(d3[v].arrived.map((m) => m.id)).toEqual([late.id]);
      expect(d4[v].arrived.map((m) => m.id)).toEqual([early.id]);
      expect(byLabel(d3[v].departed)).toEqual([late.label, early.label]);
      expect(d3[v].totals.arrived).toEqual(fig(65));
    }
  });

  it('reports a cancellation on the day it was made (stamped by the database)', async () => {
    const db = database.db;
    const operation = await makeOperation(db);
    const { route } = await makeRoute(db, operation.id);
    const m = await makeMovement(db, route.id, { scheduledDate: '2026-03-06' });
    await db
      .update(movements)
      .set({ status: 'cancelled', cancelledAt: new Date('2026-03-04T05:00:00Z') })
      .where(eq(movements.id, m.id))
      .returning();
    const now = new Date('2026-03-04T16:00:00Z');
    const d4 = await computeDigest({ database }, { operation, day: '2026-03-04', now });
    expect(d4.staff.cancelled.map((l) => l.id)).toEqual([m.id]);
    expect(d4.public.cancelled.map((l) => [l.id, l.label])).toEqual([[m.id, null]]);
    const [row] = await db
      .update(movements)
      .set({ status: 'planned' })
      .where(eq(movements.id, m.id))
      .returning();
    expect(row!.cancelledAt).toBeNull();
    const [again] = await db
      .update(movements)
      .set({ status: 'cancelled' })
      .where(eq(movements.id, m.id))
      .returning();
    expect(again!.cancelledAt).toBeInstanceOf(Date);
  });
});
