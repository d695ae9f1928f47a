// A save without the form's base (a script, the JSON API, the CSV import) is merged
// against the figures as they stood at the version it was made at, read back from the
// history. A correction of an earlier moment records as its old values the ones true
// then, not the ones standing when it was made: reading those back as the base lost
// a figure the caller cleared, with "changed" answered (found by an audit, 6 December).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Counts, emptyCounts } from '../../src/domain/figures.ts';
import { exportCsv } from '../../src/domain/csv/export.ts';
import { checkImport } from '../../src/domain/csv/import.ts';
import type { Database } from '../../src/store/database.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovementWithSaves, makeSource } from '../support/factories.ts';
import { propertyRuns } from '../support/runs.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});

const actor = { id: null, label: 'test' };
const MARCH_3 = new Date('2026-03-03T06:00:00Z');
const MARCH_4 = new Date('2026-03-04T06:00:00Z');
const MARCH_5 = new Date('2026-03-05T06:00:00Z');

const movement = () => makeMovementWithSaves(database.db);

describe('a merge without the base, after a correction of an earlier moment', () => {
  it('clears the figure the caller cleared', async () => {
    const { m, save } = await movement();
    await save(1, counts({ registered: { total: 400, medical: 7 } }), MARCH_3);
    await save(2, counts({ registered: { total: 410, medical: 7, other: 20 } }), MARCH_5);
    // A correction of 4 March: the figure standing (410, as of 5 March) does not move.
    const correction = await save(
      3,
      counts({ registered: { total: 999, medical: 7, other: 20 } }),
      MARCH_4,
      {},
    );
    expect(correction).toMatchObject({ changed: true, version: 4 });
    expect((await findCounts(database.db, m.id)).registered.total).toBe(410);
    // A script still at version 3 clears the registered figures.
    const cleared = await save(3, emptyCounts(), MARCH_5, {});
    expect(cleared.changed).toBe(true);
    expect((await findCounts(database.db, m.id)).registered).toEqual(emptyCounts().registered);
  });

  it('is no conflict with a correction that left the figure standing', async () => {
    const { m, save } = await movement();
    await save(1, counts({ registered: { total: 400 } }), MARCH_3);
    await save(2, counts({ registered: { total: 410 } }), MARCH_5);
    await save(3, counts({ registered: { total: 999 } }), MARCH_4, {});
    // At version 3 the caller saw 410 and types 420: nobody changed the standing 410 since.
    await expect(save(3, counts({ registered: { total: 420 } }), MARCH_5, {})).resolves.toMatchObject({
      changed: true,
    });
    expect((await findCounts(database.db, m.id)).registered.total).toBe(420);
  });
});

describe('a CSV file exported before a correction of an earlier moment', () => {
  it('is merged against the figures that stood when it was exported: no false conflict', async () => {
    const { op, m, save } = await movement();
    await save(1, counts({ registered: { total: 400 } }), MARCH_3);
    await save(2, counts({ registered: { total: 410 } }), MARCH_5);
    const { content } = await exportCsv(database.db, op.id);
    await save(3, counts({ registered: { total: 999 } }), MARCH_4, {});
    // The file (version 3, registered 410) raises registered to 420.
    const [header, row, ...rest] = content.split('\r\n');
    const column = header!.split(',').indexOf('registered_total');
    expect(column).toBeGreaterThan(0);
    const cells = row!.split(',');
    expect(cells[column]).toBe('410');
    cells[column] = '420';
    const source = await makeSource(database.db);
    const checked = await checkImport(
      { db: database.db, now: new Date('2026-03-05T12:00:00Z') },
      {
        operationId: op.id,
        filename: 'desk.csv',
        content: [header, cells.join(','), ...rest].join('\r\n'),
        reason: 'desk',
        source: { kind: 'existing', id: source.id },
        actor,
      },
    );
    expect(checked.plan.errors).toEqual([]);
    expect(checked.plan).toMatchObject({ changed: 1 });
    expect((await findCounts(database.db, m.id)).registered.total).toBe(410);
  });
});

// Any history of saves, some of them corrections of earlier moments: a merge made at any
// earlier version without the base gives what it gives with the figures that stood then.
const day = fc.constantFrom(MARCH_3, MARCH_4, MARCH_5);
const figure = fc.option(fc.integer({ min: 0, max: 50 }), { nil: null });
const grid = fc.record({ total: figure, departed: figure }).map(({ total, departed }) =>
  counts({
    registered: { total: total === null ? null : total + 100 },
    departed: { total: departed },
  }),
);

describe('the base read back from the history', () => {
  it('is the figures that stood at that version', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(grid, day), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        grid,
        async (saves, pick, typed) => {
          const { m, save } = await movement();
          const stood = new Map<number, Counts>([[1, await findCounts(database.db, m.id)]]);
          let version = 1;
          for (const [c, asOf] of saves) {
            const r = await save(version, c, asOf, {});
            version = r.version;
            stood.set(version, await findCounts(database.db, m.id));
          }
          const versions = [...stood.keys()];
          const at = versions[pick % versions.length]!;
          const base = stood.get(at)!;
          // The same save with the base the form would have carried: the reference.
          const expected = await save(at, typed, MARCH_5, { base }).then(
            () => findCounts(database.db, m.id),
            (err: { code?: string }) => err.code,
          );
          // Replayed on a twin movement with the same history, without the base.
          const twin = await movement();
          let v = 1;
          for (const [c, asOf] of saves) v = (await twin.save(v, c, asOf, {})).version;
          const actual = await twin.save(at, typed, MARCH_5, {}).then(
            () => findCounts(database.db, twin.m.id),
            (err: { code?: string }) => err.code,
          );
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: propertyRuns(30) },
    );
  });
});
