// stateAsOf: the operation as of a moment, from the history by as-of and event
// times. Property: as of T, when nothing was recorded after T, it is the live state.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { stateAsOf } from '../../src/domain/as-of.ts';
import { localDateTime } from '../../src/domain/calendar.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import { editMovement } from '../../src/domain/staff/movements.ts';
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import { systemClock } from '../../src/clock.ts';
import type { Database } from '../../src/store/database.ts';
import { figureHistory } from '../../src/store/repositories/as-of.ts';
import { findOperation } from '../../src/store/repositories/workspace.ts';
import { loadSnapshot } from '../../src/domain/snapshot.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, reloadMovement } from '../support/factories.ts';
import { propertyRuns } from '../support/runs.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});

const HOUR = 3_600_000;
const actor = { id: null, label: 'property' };

const figure = fc.option(fc.integer({ min: 0, max: 900 }), { nil: null });
const action = fc.oneof(
  fc.record({
    kind: fc.constant('counts' as const),
    movement: fc.nat({ max: 2 }),
    registered: figure,
    departed: figure,
    hoursBeforeT: fc.integer({ min: 0, max: 240 }),
  }),
  fc.record({
    kind: fc.constant('status' as const),
    movement: fc.nat({ max: 2 }),
    to: fc.constantFrom('departed' as const, 'arrived' as const, 'cancelled' as const),
    hoursBeforeT: fc.integer({ min: 0, max: 240 }),
    timeGiven: fc.boolean(),
  }),
);

/** What must agree: per movement, its figures, status, event times and figures' as-of. */
const essence = (s: Snapshot) =>
  s.routes.flatMap((r) =>
    r.movements.map((m) => ({
      id: m.id,
      status: m.status,
      counts: m.counts,
      departedAt: m.departedAt,
      arrivedAt: m.arrivedAt,
      figuresAsOf: m.figuresAsOf,
      registeredAsOf: m.registeredAsOf,
    })),
  );

describe('stateAsOf', () => {
  it('equals the live state when nothing was recorded after T (random histories)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 8 }), async (actions) => {
        const T = systemClock.now();
        const op = await makeOperation(database.db);
        const { route } = await makeRoute(database.db, op.id);
        const ms = [];
        for (let i = 0; i < 3; i++) ms.push(await makeMovement(database.db, route.id));
        for (const a of actions) {
          const m = await reloadMovement(database.db, ms[a.movement]!.id);
          const at = new Date(T.getTime() - a.hoursBeforeT * HOUR);
          if (a.kind === 'counts') {
            const next = counts({ registered: { total: a.registered }, departed: { total: a.departed } });
            await updateMovementCounts(
              { db: database.db },
              {
                movementId: m.id,
                expectedVersion: m.version,
                counts: next,
                reason: 'r',
                sourceId: null,
                actor,
                asOf: at,
              },
            ).catch(() => undefined); // a random grid may break a rule: then nothing is written
            continue;
          }
          const allowed =
            (a.to === 'departed' && (m.status === 'planned' || m.status === 'boarding')) ||
            (a.to === 'arrived' && m.status === 'departed') ||
            (a.to === 'cancelled' && m.status === 'planned');
          if (!allowed) continue;
          const when = a.timeGiven ? localDateTime(at, op.timeZone) : null;
          const departedAt =
            a.to === 'departed' ? when : m.departedAt && localDateTime(m.departedAt, op.timeZone);
          const arrivedAt = a.to === 'arrived' ? when : null;
          if (departedAt && arrivedAt && arrivedAt < departedAt) continue;
          await editMovement(
            { db: database.db, now: at },
            {
              movementId: m.id,
              expectedVersion: m.version,
              actor,
              fields: {
                labels: { en: m.label },
                kind: m.kind,
                scheduledDate: m.scheduledDate,
                scheduledDepartureAt: null,
                meetingPoint: null,
                departedAt,
                arrivedAt,
                status: a.to,
                delayed: false,
                capacity: null,
                currentLegId: null,
                publicNotes: {},
                staffNote: null,
              },
            },
          );
        }
        const operation = (await findOperation(database.db, op.id))!;
        const at = systemClock.now();
        const live = await loadSnapshot({ db: database.db, now: at }, operation);
        const asOf = await stateAsOf({ deps: { db: database.db }, operationId: op.id, at });
        expect(essence(asOf)).toEqual(essence(live));
        // The as-of kept on each movement's current row (migration 0011) is the history's:
        // the latest recorded as-of (ties: the last recorded), and the latest that changed
        // a registered figure. figureHistory lists the history in that order.
        const fromHistory = new Map<
          number,
          { asOf: Date; asOfTimeKnown: boolean; registeredAsOf: Date | null }
        >();
        for (const f of await figureHistory(
          database.db,
          ms.map((m) => m.id),
        )) {
          const registeredAsOf =
            f.stage === 'registered' ? f.asOf : (fromHistory.get(f.movementId)?.registeredAsOf ?? null);
          fromHistory.set(f.movementId, { asOf: f.asOf, asOfTimeKnown: f.asOfTimeKnown, registeredAsOf });
        }
        for (const m of live.routes.flatMap((r) => r.movements)) {
          const h = fromHistory.get(m.id);
          expect([m.figuresAsOf, m.figuresAsOfTimeKnown, m.registeredAsOf]).toEqual([
            h?.asOf ?? null,
            h?.asOfTimeKnown ?? true,
            h?.registeredAsOf ?? null,
          ]);
        }
      }),
      { numRuns: propertyRuns(12) },
    );
  });

  it('as of an earlier moment shows what was true then, not what was written later', async () => {
    const op = await makeOperation(database.db);
    const { route } = await makeRoute(database.db, op.id);
    const m = await makeMovement(database.db, route.id);
    const save = (version: number, total: number, asOf: string) =>
      updateMovementCounts(
        { db: database.db },
        {
          movementId: m.id,
          expectedVersion: version,
          counts: counts({ registered: { total } }),
          reason: 'r',
          sourceId: null,
          actor,
          asOf: new Date(asOf),
        },
      );
    await save(1, 467, '2026-03-03T06:00:00Z');
    await save(2, 500, '2026-03-04T06:00:00Z');
    await save(3, 460, '2026-03-03T07:00:00Z'); // a correction of 3 March, entered later
    const on = async (iso: string) =>
      (await stateAsOf({ deps: { db: database.db }, operationId: op.id, at: new Date(iso) })).routes[0]!
        .movements;
    expect((await on('2026-03-03T06:30:00Z'))[0]?.counts.registered.total).toBe(467);
    expect((await on('2026-03-03T18:59:59Z'))[0]?.counts.registered.total).toBe(460);
    expect((await on('2026-03-04T18:59:59Z'))[0]?.counts.registered.total).toBe(500);
    // Before anything was known of it (and it was created later): not there at all.
    expect(await on('2026-03-02T00:00:00Z')).toEqual([]);
  });
});
