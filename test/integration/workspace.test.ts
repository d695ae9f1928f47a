// Staff use cases against a real database: each write with its audit record,
// optimistic concurrency, refusals that write nothing, undo, CSV import/export.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, countChangeSets, csvImports } from '../../db/schema.ts';
import { exportCsv, exportCsvChunks } from '../../src/domain/csv/export.ts';
import { applyImport } from '../../src/domain/csv/apply.ts';
import { checkImport } from '../../src/domain/csv/import.ts';
import { editLeg, editOperation, setCrossingStatus } from '../../src/domain/staff/catalog.ts';
import { saveCounts, undoCountChange } from '../../src/domain/staff/counts.ts';
import { editMovement } from '../../src/domain/staff/movements.ts';
import { attentionItems } from '../../src/domain/staff/attention.ts';
import { loadSnapshot } from '../../src/domain/snapshot.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { Database } from '../../src/store/database.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { createTestDatabase } from '../support/db.ts';
import { movementFields } from '../support/fixtures-movement.ts';
import {
  counts,
  makeMovement,
  makeOperation,
  makeRoute,
  makeSource,
  makeUser,
  reloadMovement,
} from '../support/factories.ts';

let database: Database;
const metrics = createMetrics();
beforeAll(async () => {
  database = await createTestDatabase();
});

async function setup(initial = counts({ registered: { total: 100 } })) {
  const db = database.db;
  const op = await makeOperation(db);
  const { route, legs } = await makeRoute(db, op.id, {}, 2);
  const movement = await makeMovement(db, route.id, { capacity: 150 }, initial);
  const user = await makeUser(db, { name: 'Aigerim Officer' });
  const source = await makeSource(db);
  return { op, route, legs, movement, user, source, actor: { id: user.id, label: user.name } };
}

/** `n` more movements on a route, labelled `${label} 0`… with registered totals 0, 1, 2… */
async function addMovements(routeId: number, n: number, label: string) {
  for (let i = 0; i < n; i++)
    await makeMovement(
      database.db,
      routeId,
      { label: `${label} ${i}` },
      counts({ registered: { total: i } }),
    );
}

const form = (c: ReturnType<typeof counts>) => {
  const out: Record<string, string> = {};
  for (const [stage, figures] of Object.entries(c))
    for (const [field, v] of Object.entries(figures)) out[`${stage}.${field}`] = v === null ? '' : String(v);
  return out;
};

describe('saveCounts', () => {
  it('requires a source and a reason, writes the figures and one history record', async () => {
    const s = await setup();
    const base = {
      movementId: s.movement.id,
      expectedVersion: 1,
      asOf: null,
      actor: s.actor,
    };
    const grid = form(counts({ registered: { total: 120, over60: 10 } }));
    await expect(
      saveCounts({ db: database.db, metrics }, { ...base, form: grid, reason: 'call', source: null }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { source: 'source.required' },
    });
    const ok = await saveCounts(
      { db: database.db, metrics },
      { ...base, form: grid, reason: 'call', source: { kind: 'existing', id: s.source.id } },
    );
    expect(ok).toMatchObject({ changed: true, version: 2 });
    expect((await findCounts(database.db, s.movement.id)).registered).toMatchObject({
      total: 120,
      over60: 10,
    });
    const sets = await database.db
      .select()
      .from(countChangeSets)
      .where(eq(countChangeSets.movementId, s.movement.id));
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ actorId: s.user.id, sourceId: s.source.id, reason: 'call' });
  });

  it('creates a typed-in source in the same transaction', async () => {
    const s = await setup();
    const res = await saveCounts(
      { db: database.db, metrics },
      {
        movementId: s.movement.id,
        expectedVersion: 1,
        form: form(counts({ registered: { total: 101 } })),
        reason: 'phone call',
        source: {
          kind: 'new',
          source: { outlet: 'Embassy in Tehran', title: 'Call with duty officer', url: null },
        },
        asOf: null,
        actor: s.actor,
      },
    );
    expect(res.changed).toBe(true);
    const [set] = await database.db
      .select()
      .from(countChangeSets)
      .where(eq(countChangeSets.movementId, s.movement.id));
    expect(set!.sourceId).not.toBeNull();
  });

  it.each([
    ['negative', { 'registered.total': '-3' }, 'registered.total'],
    ['non-integer', { 'registered.total': '2.5' }, 'registered.total'],
    ['text', { 'registered.total': 'many' }, 'registered.total'],
    ['breakdown above total', { 'registered.total': '10', 'registered.medical': '11' }, 'registered.total'],
    [
      'arrived above departed',
      { 'registered.total': '10', 'departed.total': '5', 'arrived.total': '6' },
      'arrived.total',
    ],
  ])('refuses %s next to the field and writes nothing', async (_n, grid, field) => {
    const s = await setup();
    const attempt = saveCounts(
      { db: database.db, metrics },
      {
        movementId: s.movement.id,
        expectedVersion: 1,
        form: grid,
        reason: 'r',
        source: { kind: 'existing', id: s.source.id },
        asOf: null,
        actor: s.actor,
      },
    );
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'validation_failed' });
    expect(Object.keys((err as { fields: object }).fields)).toContain(field);
    expect((await reloadMovement(database.db, s.movement.id)).version).toBe(1);
    expect((await findCounts(database.db, s.movement.id)).registered.total).toBe(100);
  });

  it('undo writes a correcting record and refuses when later changes touched the fields', async () => {
    const s = await setup();
    const deps = { db: database.db, metrics };
    const base = {
      movementId: s.movement.id,
      reason: 'r',
      source: { kind: 'existing' as const, id: s.source.id },
      asOf: null,
      actor: s.actor,
    };
    const first = await saveCounts(deps, {
      ...base,
      expectedVersion: 1,
      form: form(counts({ registered: { total: 130 } })),
    });
    const undo = await undoCountChange(deps, {
      movementId: s.movement.id,
      changeSetId: first.changeSetId!,
      expectedVersion: 2,
      reason: '',
      actor: s.actor,
    });
    expect(undo).toMatchObject({ changed: true, version: 3 });
    expect((await findCounts(database.db, s.movement.id)).registered.total).toBe(100);
    const sets = await database.db
      .select()
      .from(countChangeSets)
      .where(eq(countChangeSets.movementId, s.movement.id));
    expect(sets).toHaveLength(2);
    expect(sets.find((x) => x.id === undo.changeSetId)!.revertsId).toBe(first.changeSetId);
    // the first change no longer holds: undoing it again would drop the undo
    await expect(
      undoCountChange(deps, {
        movementId: s.movement.id,
        changeSetId: first.changeSetId!,
        expectedVersion: 3,
        reason: 'x',
        actor: s.actor,
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('editMovement', () => {
  it('moves along allowed transitions only, with an audit record', async () => {
    const s = await setup();
    const m = await reloadMovement(database.db, s.movement.id);
    const deps = { db: database.db };
    await expect(
      editMovement(deps, {
        movementId: m.id,
        expectedVersion: 1,
        fields: { ...movementFields(m), status: 'arrived' },
        actor: s.actor,
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { status: 'movement.transition_not_allowed' },
    });
    const ok = await editMovement(deps, {
      movementId: m.id,
      expectedVersion: 1,
      fields: {
        ...movementFields(m),
        status: 'departed',
        departedAt: '2026-03-03T10:00',
        currentLegId: s.legs[0]!.id,
      },
      actor: s.actor,
    });
    expect(ok).toMatchObject({ changed: true, version: 2 });
    const after = await reloadMovement(database.db, m.id);
    expect(after.departedAt?.toISOString()).toBe('2026-03-03T05:00:00.000Z');
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, m.id));
    expect(events.filter((e) => e.entity === 'movement')).toHaveLength(1);
  });

  it('refuses dates out of order, unknown legs and stale versions', async () => {
    const s = await setup();
    const m = await reloadMovement(database.db, s.movement.id);
    const deps = { db: database.db };
    const fields = movementFields(m);
    await expect(
      editMovement(deps, {
        movementId: m.id,
        expectedVersion: 1,
        fields: { ...fields, departedAt: '2026-03-03T10:00', arrivedAt: '2026-03-03T09:00' },
        actor: s.actor,
      }),
    ).rejects.toMatchObject({ fields: { arrivedAt: 'movement.arrival_before_departure' } });
    await expect(
      editMovement(deps, {
        movementId: m.id,
        expectedVersion: 1,
        fields: { ...fields, currentLegId: 999999 },
        actor: s.actor,
      }),
    ).rejects.toMatchObject({ fields: { currentLegId: 'field.unknown_id' } });
    await editMovement(deps, {
      movementId: m.id,
      expectedVersion: 1,
      fields: { ...fields, capacity: 200 },
      actor: s.actor,
    });
    await expect(
      editMovement(deps, {
        movementId: m.id,
        expectedVersion: 1,
        fields: { ...fields, capacity: 300 },
        actor: s.actor,
      }),
    ).rejects.toMatchObject({
      code: 'conflict',
      details: { currentVersion: 2, updatedBy: 'Aigerim Officer' },
    });
    expect((await reloadMovement(database.db, m.id)).capacity).toBe(200);
  });
});

describe('operations, legs, crossings', () => {
  it('checks versions and records the audit', async () => {
    const s = await setup();
    const fields = {
      slug: s.op.slug,
      names: s.op.names,
      timeZone: 'Asia/Almaty',
      isPublic: true,
      status: 'active' as const,
      staleAfterHours: 6,
      smallCountThreshold: 5,
      publicationDelayMinutes: 30,
      digestTime: '20:00',
    };
    await editOperation(
      { db: database.db, now: new Date('2026-03-05T10:00:00Z') },
      { operationId: s.op.id, expectedVersion: 1, fields, actor: s.actor },
    );
    await expect(
      editOperation(
        { db: database.db, now: new Date('2026-03-05T10:00:00Z') },
        {
          operationId: s.op.id,
          expectedVersion: 1,
          fields: { ...fields, staleAfterHours: 1 },
          actor: s.actor,
        },
      ),
    ).rejects.toMatchObject({ code: 'conflict', details: { updatedBy: 'Aigerim Officer' } });
    await expect(
      editOperation(
        { db: database.db, now: new Date('2026-03-05T10:00:00Z') },
        {
          operationId: s.op.id,
          expectedVersion: 2,
          fields: { ...fields, timeZone: 'Mars/Olympus' },
          actor: s.actor,
        },
      ),
    ).rejects.toMatchObject({ fields: { timeZone: 'field.time_zone' } });
    const leg = s.legs[0]!;
    await expect(
      setCrossingStatus(
        { db: database.db },
        { legId: leg.id, expectedVersion: 1, status: 'open', actor: s.actor },
      ),
    ).rejects.toMatchObject({ fields: { crossingStatus: 'leg.not_a_crossing' } });
    await editLeg(
      { db: database.db },
      { legId: leg.id, expectedVersion: 1, fields: { ...leg, crossesBorder: true }, actor: s.actor },
    );
    const r = await setCrossingStatus(
      { db: database.db },
      { legId: leg.id, expectedVersion: 2, status: 'closed', actor: s.actor },
    );
    expect(r).toMatchObject({ changed: true, version: 3 });
  });
});

describe('attention', () => {
  it('flags over capacity, departed above registered and past-date planned movements', async () => {
    const s = await setup(counts({ registered: { total: 200 }, departed: { total: 0 } }));
    await makeMovement(
      database.db,
      s.route.id,
      { status: 'departed' },
      counts({ registered: { total: 5 }, departed: { total: 9 } }),
    );
    const snapshot = await loadSnapshot({ db: database.db, now: new Date() }, s.op);
    const kinds = attentionItems(snapshot, new Date('2026-03-10T00:00:00Z')).map((i) => i.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['over_capacity', 'departed_above_registered', 'past_date_planned']),
    );
  });
});

describe('CSV', () => {
  it('export → import changes nothing', async () => {
    const s = await setup(counts({ registered: { total: 100, over60: 7 }, departed: { total: 40 } }));
    await makeMovement(
      database.db,
      s.route.id,
      { label: '=HYPERLINK("x")' },
      counts({ registered: { total: 3 } }),
    );
    const { content } = await exportCsv(database.db, s.op.id);
    expect(content).toContain("'=HYPERLINK");
    const checked = await checkImport(
      { db: database.db },
      {
        operationId: s.op.id,
        filename: 'x.csv',
        content,
        reason: 'sheet',
        source: { kind: 'existing' as const, id: s.source.id },
        actor: s.actor,
      },
    );
    expect(checked.plan).toMatchObject({ changed: 0, unchanged: 2, errors: [] });
    const applied = await applyImport(
      { db: database.db, metrics },
      { importId: checked.importId, actor: s.actor },
    );
    expect(applied).toEqual({ changed: 0, unchanged: 2 });
    expect((await exportCsv(database.db, s.op.id)).content).toBe(content);
  });

  it('exports a batch of movements at a time: the same file, one piece per batch after the header', async () => {
    const s = await setup(counts({ registered: { total: 12 } }));
    await addMovements(s.route.id, 4, 'Bus');
    const whole = (await exportCsv(database.db, s.op.id)).content;
    const { chunks } = await exportCsvChunks(database.db, s.op.id, 2);
    const pieces: string[] = [];
    for await (const piece of chunks) pieces.push(piece);
    expect(pieces.join('')).toBe(whole);
    expect(pieces).toHaveLength(1 + 3); // the header, then 2 + 2 + 1 movements
    expect(pieces[0]).toMatch(/^\uFEFFoperation,/);
    expect(pieces.slice(1).map((p) => p.split('\r\n').length - 1)).toEqual([2, 2, 1]);
  });

  it('applies changed rows in one transaction; one bad row rejects the whole file', async () => {
    const s = await setup();
    const second = await makeMovement(database.db, s.route.id, {}, counts({ registered: { total: 10 } }));
    const { content } = await exportCsv(database.db, s.op.id);
    const lines = content.split('\r\n');
    const edited = [
      lines[0],
      lines[1]!.replace(',100,', ',110,'),
      lines[2]!.replace(',10,', ',-1,'),
      '',
    ].join('\r\n');
    const err = await checkImport(
      { db: database.db },
      {
        operationId: s.op.id,
        filename: 'x.csv',
        content: edited,
        reason: 'sheet',
        source: { kind: 'existing' as const, id: s.source.id },
        actor: s.actor,
      },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'validation_failed',
      details: { csvErrors: [{ row: 3, column: 'registered_total', message: 'figure.negative' }] },
    });
    expect(
      await database.db.select().from(csvImports).where(eq(csvImports.operationId, s.op.id)),
    ).toHaveLength(0);
    const good = [lines[0], lines[1]!.replace(',100,', ',110,'), lines[2], ''].join('\r\n');
    const checked = await checkImport(
      { db: database.db },
      {
        operationId: s.op.id,
        filename: 'x.csv',
        content: good,
        reason: 'sheet',
        source: { kind: 'existing' as const, id: s.source.id },
        actor: s.actor,
      },
    );
    expect(checked.plan.changed).toBe(1);
    expect(checked.plan.rows[0]!.changes).toEqual([
      { stage: 'registered', field: 'total', oldValue: 100, newValue: 110 },
    ]);
    expect(
      await applyImport({ db: database.db, metrics }, { importId: checked.importId, actor: s.actor }),
    ).toEqual({ changed: 1, unchanged: 1 });
    expect((await findCounts(database.db, s.movement.id)).registered.total).toBe(110);
    expect((await findCounts(database.db, second.id)).registered.total).toBe(10);
    await expect(
      applyImport({ db: database.db, metrics }, { importId: checked.importId, actor: s.actor }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses to apply when figures changed after the dry run', async () => {
    const s = await setup();
    const { content } = await exportCsv(database.db, s.op.id);
    const noVersion = content.replace(/,1,100,/, ',,120,');
    const checked = await checkImport(
      { db: database.db },
      {
        operationId: s.op.id,
        filename: 'x.csv',
        content: noVersion,
        reason: 'sheet',
        source: { kind: 'existing' as const, id: s.source.id },
        actor: s.actor,
      },
    );
    await saveCounts(
      { db: database.db, metrics },
      {
        movementId: s.movement.id,
        expectedVersion: 1,
        form: form(counts({ registered: { total: 105 } })),
        reason: 'r',
        source: { kind: 'existing', id: s.source.id },
        asOf: null,
        actor: s.actor,
      },
    );
    await expect(
      applyImport({ db: database.db, metrics }, { importId: checked.importId, actor: s.actor }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await findCounts(database.db, s.movement.id)).registered.total).toBe(105);
  });
});

describe('CSV of a larger operation', () => {
  it('reports progress while applying and writes one history record per changed row', async () => {
    const s = await setup();
    await addMovements(s.route.id, 119, 'Batch');
    const { content } = await exportCsv(database.db, s.op.id);
    const lines = content.split('\r\n');
    // every data row: registered_total + 1
    const edited = lines
      .map((line, i) =>
        i === 0 || !line
          ? line
          : line.replace(
              /^((?:[^,]*,){5})(\d+),/,
              (_m, head: string, v: string) => `${head}${Number(v) + 1},`,
            ),
      )
      .join('\r\n');
    const checked = await checkImport(
      { db: database.db },
      {
        operationId: s.op.id,
        filename: 'big.csv',
        content: edited,
        reason: 'bulk',
        source: { kind: 'existing' as const, id: s.source.id },
        actor: s.actor,
      },
    );
    expect(checked.plan).toMatchObject({ changed: 120, unchanged: 0 });
    const progress: number[] = [];
    const result = await applyImport(
      { db: database.db, metrics },
      { importId: checked.importId, actor: s.actor, onProgress: (done) => void progress.push(done) },
    );
    expect(result).toEqual({ changed: 120, unchanged: 0 });
    expect(progress).toEqual([25, 50, 75, 100, 120]);
    const sets = await database.db.select().from(countChangeSets).where(eq(countChangeSets.reason, 'bulk'));
    expect(sets.filter((x) => x.actorId === s.user.id)).toHaveLength(120);
  });
});
