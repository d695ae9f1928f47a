// Staff digest pages: preview any day in any language and version; staff
// recipients managed by admins only.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { subscribers } from '../../db/schema.ts';
import { fixedClock } from '../../src/clock.ts';
import { claimDigestRun } from '../../src/domain/digest/run.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import type { Database } from '../../src/store/database.ts';
import { findOperationBySlug } from '../../src/store/repositories/catalog.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { backdateSeed } from '../support/digest.ts';
import { signIn } from '../support/staff.ts';

let database: Database;
let server: TestServer;
const clock = fixedClock('2026-03-03T16:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  await backdateSeed(database);
  server = await startTestServer(database, { clock });
});

describe('digest preview', () => {
  it('shows a day not sent yet, computed now, in the chosen language and version', async () => {
    const viewer = await signIn(server, 'viewer');
    const res = await viewer.get(
      '/staff/digest?operation=middle-east-2026&day=2026-03-03&lang=ru&audience=staff',
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('[Для сотрудников] Ближний Восток 2026: сводка за 3 марта 2026 г.');
    expect(html).toContain('Эвакуация из Джидды, 4 марта'); // the staff version names it, in Russian
    expect(html).toContain('Рассылки за этот день ещё не было');
  });

  it('shows a sent day as stored with its run, with the delivery counts', async () => {
    const operation = (await findOperationBySlug(database.db, 'middle-east-2026'))!;
    await claimDigestRun(
      { database },
      { operation, day: '2026-03-02', now: new Date('2026-03-02T15:00:00Z'), claimedBy: 't' },
    );
    const viewer = await signIn(server, 'viewer');
    const html = await (
      await viewer.get('/staff/digest?operation=middle-east-2026&day=2026-03-02&lang=kk')
    ).text();
    expect(html).toContain('Осы күнгі таратылымда сақталғандай');
    expect(html).toContain('Таяу Шығыс 2026: 2026 ж. 2 наурыз күнгі жиынтық');
  });

  it('asks anonymous visitors to sign in', async () => {
    const res = await fetch(`${server.url}/staff/digest`, { redirect: 'manual' });
    expect(res.status).toBe(303);
  });
});

describe('staff recipients', () => {
  it('lets an admin add and remove a recipient; an officer may not', async () => {
    const officer = await signIn(server, 'officer');
    expect((await officer.get('/staff/digest/recipients')).status).toBe(403);
    const admin = await signIn(server, 'admin');
    expect((await admin.get('/staff/digest/recipients')).status).toBe(200);
    const added = await admin.post('/staff/digest/recipients', {
      operation: 'middle-east-2026',
      email: 'Desk@Ministry.example',
      language: 'ru',
    });
    expect(added.status).toBe(303);
    const [row] = await database.db
      .select()
      .from(subscribers)
      .where(eq(subscribers.email, 'desk@ministry.example'));
    expect(row).toMatchObject({ audience: 'staff', status: 'active', language: 'ru' });
    const list = await (await admin.get('/staff/digest/recipients')).text();
    expect(list).toContain('desk@ministry.example');
    expect(
      (
        await admin.post('/staff/digest/recipients', {
          operation: 'middle-east-2026',
          email: 'nope',
          language: 'ru',
        })
      ).status,
    ).toBe(422);
    const removed = await admin.post(`/staff/digest/recipients/${row!.id}/remove`, {
      operation: 'middle-east-2026',
    });
    expect(removed.status).toBe(303);
    const [after] = await database.db.select().from(subscribers).where(eq(subscribers.id, row!.id));
    expect(after!.status).toBe('unsubscribed');
  });
});
