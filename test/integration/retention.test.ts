// Retention: a closed operation loses subscriber addresses and staff notes
// after RETENTION_DAYS; figures, history and public notes stay.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  auditEvents,
  countChangeSets,
  digestDeliveries,
  digestRuns,
  movements,
  passengerCounts,
  routes,
  subscribers,
} from '../../db/schema.ts';
import { fixedClock } from '../../src/clock.ts';
import { purgeClosedOperations, withoutStaffNotes } from '../../src/domain/retention.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { appendAudit } from '../../src/store/repositories/audit.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../support/factories.ts';

const database = await createTestDatabase();
const db = database.db;
const now = new Date('2026-07-01T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

async function operationWithPersonalData(closedAt: Date | null) {
  const op = await makeOperation(db, closedAt ? { status: 'closed', closedAt } : {});
  const { route } = await makeRoute(db, op.id, {
    staffNote: 'driver: +7 701 000 0000',
    publicNote: 'Buses daily',
  });
  const movement = await makeMovement(db, route.id, {
    staffNote: 'Family Ivanov late',
    publicNote: 'On time',
  });
  await updateMovementCounts(
    { db },
    {
      movementId: movement.id,
      expectedVersion: movement.version,
      counts: counts({ registered: { total: 40 }, departed: { total: 38 } }),
      reason: 'bus count',
      sourceId: null,
      actor: { id: null, label: 'test' },
    },
  );
  await appendAudit(db, {
    actorId: null,
    actorLabel: 'test',
    entity: 'movement',
    entityId: movement.id,
    action: 'edit',
    before: { staffNote: null, label: 'A' },
    after: { staffNote: 'Family Ivanov late', label: 'B' },
  });
  const [sub] = await db
    .insert(subscribers)
    .values({
      operationId: op.id,
      email: `family-${op.id}@example.org`,
      language: 'ru',
      status: 'active',
    })
    .returning();
  const [run] = await db
    .insert(digestRuns)
    .values({
      operationId: op.id,
      day: '2026-03-10',
      snapshot: { routes: [{ id: route.id, staffNote: 'x', movements: [{ staffNote: 'y', total: 38 }] }] },
      claimedBy: 'test',
    })
    .returning();
  await db.insert(digestDeliveries).values({
    runId: run!.id,
    subscriberId: sub!.id,
    email: sub!.email,
    language: 'ru',
    audience: 'public',
    status: 'sent',
  });
  return { op, route, movement, run: run! };
}

describe('retention purge', () => {
  it('strips staff-note keys at any depth and keeps everything else', () => {
    expect(withoutStaffNotes({ a: 1, staffNote: 'x', b: [{ staff_note: 'y', c: null }] })).toEqual({
      a: 1,
      b: [{ c: null }],
    });
  });

  it('purges operations closed longer ago than RETENTION_DAYS, and only those', async () => {
    const old = await operationWithPersonalData(daysAgo(100));
    const recent = await operationWithPersonalData(daysAgo(10));
    const active = await operationWithPersonalData(null);
    const historyBefore = await db.select().from(countChangeSets).orderBy(countChangeSets.id);

    const reports = await purgeClosedOperations({ db, clock: fixedClock(now), retentionDays: 30 });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      operationId: old.op.id,
      subscribers: 1,
      deliveryAddresses: 1,
      movementNotes: 1,
      routeNotes: 1,
      auditEvents: 1,
      digestSnapshots: 1,
    });

    // Gone: addresses and staff notes, wherever they were copied.
    expect(await db.select().from(subscribers).where(eq(subscribers.operationId, old.op.id))).toEqual([]);
    const [delivery] = await db.select().from(digestDeliveries).where(eq(digestDeliveries.runId, old.run.id));
    expect(delivery).toMatchObject({ email: null, subscriberId: null, status: 'sent' });
    const [m] = await db.select().from(movements).where(eq(movements.id, old.movement.id));
    expect(m).toMatchObject({ staffNote: null, publicNote: 'On time' });
    const [r] = await db.select().from(routes).where(eq(routes.id, old.route.id));
    expect(r).toMatchObject({ staffNote: null, publicNote: 'Buses daily' });
    const [edit] = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.entity} = 'movement' AND ${auditEvents.entityId} = ${old.movement.id}`);
    expect(edit).toMatchObject({ before: { label: 'A' }, after: { label: 'B' }, actorLabel: 'test' });
    const [run] = await db.select().from(digestRuns).where(eq(digestRuns.id, old.run.id));
    expect(JSON.stringify(run!.snapshot)).not.toMatch(/staff/i);
    expect(run!.snapshot).toEqual({ routes: [{ id: old.route.id, movements: [{ total: 38 }] }] });

    // Kept: the figures and their whole history.
    const [figures] = await db
      .select()
      .from(passengerCounts)
      .where(eq(passengerCounts.movementId, old.movement.id));
    expect(figures).toMatchObject({ registeredTotal: 40, departedTotal: 38 });
    expect(await db.select().from(countChangeSets).orderBy(countChangeSets.id)).toEqual(historyBefore);

    // Untouched: the operation closed 10 days ago and the active one.
    for (const kept of [recent, active]) {
      const [km] = await db.select().from(movements).where(eq(movements.id, kept.movement.id));
      expect(km!.staffNote).toBe('Family Ivanov late');
      expect(await db.select().from(subscribers).where(eq(subscribers.operationId, kept.op.id))).toHaveLength(
        1,
      );
    }

    // The purge is itself recorded, and a second run finds nothing to do.
    const purgeEvents = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.action} = 'retention_purge' AND ${auditEvents.entityId} = ${old.op.id}`);
    expect(purgeEvents).toHaveLength(1);
    expect(await purgeClosedOperations({ db, clock: fixedClock(now), retentionDays: 30 })).toEqual([]);
  });

  it('rewrites a batch at a time: every copy goes, across several batches', async () => {
    const old = await operationWithPersonalData(daysAgo(200));
    for (let i = 0; i < 6; i++)
      await appendAudit(db, {
        actorId: null,
        actorLabel: 'test',
        entity: 'route',
        entityId: old.route.id,
        action: 'edit',
        before: { staffNote: `before ${i}` },
        after: { staffNote: `after ${i}`, position: i },
      });
    for (let i = 0; i < 4; i++)
      await db.insert(digestRuns).values({
        operationId: old.op.id,
        day: `2026-03-${String(11 + i)}`,
        snapshot: { routes: [{ id: old.route.id, staffNote: `day ${i}` }] },
        claimedBy: 'test',
      });

    const [report] = await purgeClosedOperations({
      db,
      clock: fixedClock(now),
      retentionDays: 30,
      batchSize: 2,
    });
    // 1 + 6 audit events (4 batches), 1 + 4 snapshots (3 batches).
    expect(report).toMatchObject({ operationId: old.op.id, auditEvents: 7, digestSnapshots: 5 });
    const runs = await db.select().from(digestRuns).where(eq(digestRuns.operationId, old.op.id));
    expect(runs).toHaveLength(5);
    expect(runs.filter((run) => JSON.stringify(run.snapshot).includes('staff'))).toEqual([]);
    const routeEvents = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.entity} = 'route' AND ${auditEvents.entityId} = ${old.route.id}`);
    expect(routeEvents.filter((e) => JSON.stringify([e.before, e.after]).includes('staff'))).toEqual([]);
    expect(
      routeEvents.filter((e) => (e.after as { position?: number } | null)?.position !== undefined),
    ).toHaveLength(6);
  });
});
