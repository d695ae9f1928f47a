// 20 officers save one movement's figures at the same moment (PostgreSQL only:
// PGlite is one session and serialises everything). Each save is accepted or
// refused as a conflict — never lost, never silently overwritten.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { countChangeSets } from '../../db/schema.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase, usingPostgres } from '../support/db.ts';
import {
  counts,
  makeMovement,
  makeOperation,
  makeRoute,
  makeSource,
  reloadMovement,
} from '../support/factories.ts';
import { signIn } from '../support/staff.ts';
import { findCounts } from '../../src/store/repositories/counts.ts';
import { holdFor } from '../support/wait.ts';

describe.skipIf(!usingPostgres())('parallel edits of one movement (PostgreSQL)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(await createTestDatabase());
  });

  it('accepts or refuses each; the last accepted write wins; one history record per accepted write', async () => {
    const db = server.deps.database.db;
    const op = await makeOperation(db);
    const { route } = await makeRoute(db, op.id);
    const movement = await makeMovement(db, route.id, {}, counts({ registered: { total: 100 } }));
    const source = await makeSource(db);
    const officers = await Promise.all(Array.from({ length: 4 }, () => signIn(server, 'officer')));
    // Each editor loaded the movement at some version and saves a figure of its own.
    const attempts = Array.from({ length: 20 }, (_, i) => i);
    const results = await Promise.all(
      attempts.map(async (i) => {
        // Editors open the form over ~1 s, some after others saved and some while others are
        // saving: a mix of accepted saves and conflicts. Time passing is the point here.
        await holdFor(i * 40 + Math.floor(Math.random() * 40));
        const { version } = await reloadMovement(db, movement.id);
        const value = 1000 + i;
        const res = await officers[i % officers.length]!.post(
          `/staff/movements/${movement.id}/counts`,
          {
            version,
            source: source.id,
            reason: `parallel ${i}`,
            'registered.total': value,
            'departed.total': i,
          },
          { headers: { accept: 'application/json' } },
        );
        const body = (await res.json()) as { version?: number; error?: { code: string } };
        return { i, value, status: res.status, version: body.version, code: body.error?.code };
      }),
    );
    for (const r of results) expect([200, 409]).toContain(r.status);
    expect(results.filter((r) => r.status === 409).every((r) => r.code === 'conflict')).toBe(true);
    const accepted = results.filter((r) => r.status === 200).sort((a, b) => a.version! - b.version!);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    const last = accepted.at(-1)!;
    const final = await findCounts(db, movement.id);
    expect(final.registered.total).toBe(last.value);
    expect(final.departed.total).toBe(last.i);
    const history = await db
      .select()
      .from(countChangeSets)
      .where(eq(countChangeSets.movementId, movement.id));
    expect(history).toHaveLength(accepted.length);
    expect(history.map((h) => h.reason).sort()).toEqual(accepted.map((a) => `parallel ${a.i}`).sort());
    // Versions form one unbroken chain: no two accepted writes started from the same version.
    expect(history.map((h) => h.versionAfter).sort((a, b) => a - b)).toEqual(accepted.map((_, k) => k + 2));
    expect((await reloadMovement(db, movement.id)).version).toBe(accepted.length + 1);
  });
});
