// Issue 11, point 6 (staff side): random form bodies against every state-changing staff
// route, taken from the route declarations (listStaffRoutes over staffRouter: a new
// staffRoute is fuzzed without editing this file), signed in as each role. Each run: no
// 5xx, nothing logged at error, a refused request (4xx) leaves every table as it was, and
// afterwards the process still answers /healthz.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/auth/roles.ts';
import { listStaffRoutes } from '../../src/routes/staff/define.ts';
import { staffRouter } from '../../src/routes/staff/index.ts';
import type { Database } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { propertyRuns } from '../support/runs.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { type StaffClient, createStaffUser, signIn } from '../support/staff.ts';
import { contentType, formBody } from './arbitraries.ts';
import { capturingLogger, describeErrors, dumpTables, rawRequest, report } from './support.ts';

const RUNS = propertyRuns(150, process.env.FUZZ_RUNS);
// Routes that end the fuzzing client's own session: fuzzing them would only sign it out.
const SKIP = new Set(['/staff/sign-out']);

let database: Database;
let server: TestServer;
const clients = new Map<Role, StaffClient>();
let ids: Record<'entity' | 'user', string[]>;
const log = capturingLogger();

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { deps: { logger: log.logger } });
  for (const role of ROLES) clients.set(role, await signIn(server, role));
  const op = await makeOperation(database.db, { slug: 'fuzz-staff' });
  const { route } = await makeRoute(database.db, op.id);
  const source = await makeSource(database.db);
  const movement = await makeMovement(database.db, route.id, {}, counts({ registered: { total: 12 } }));
  const target = await createStaffUser(database.db, 'viewer');
  const misc = ['987654', '0', '-1', 'abc', '1e3', '%20', '%E0%A4%A'];
  ids = {
    entity: [op.id, route.id, source.id, movement.id].map(String).concat(misc),
    // Never a fuzzing client's own account (a role change or disable would sign it out).
    user: [String(target.id), ...misc],
  };
});

/** Path parameters filled with real ids of the right kind, or hostile ones. */
const concrete = (path: string, pick: (kind: 'entity' | 'user') => string) =>
  path.replace(/:(\w+)/g, () => pick(path.startsWith('/staff/users') ? 'user' : 'entity'));

describe('random form bodies on every staff POST route, as each role (property)', () => {
  it('never answer 5xx or log an error, and a refused one writes nothing', async () => {
    const routes = listStaffRoutes(staffRouter(server.deps)).filter(
      (r) => r.method !== 'get' && !SKIP.has(r.path),
    );
    expect(routes.length).toBeGreaterThan(10);
    const started = performance.now();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(...ROLES),
        fc.nat(),
        formBody,
        contentType,
        async (route, role, seed, body, type) => {
          const client = clients.get(role)!;
          const path = concrete(route.path, (kind) => ids[kind][seed % ids[kind].length]!);
          const before = await dumpTables(database);
          const res = await rawRequest(server.url, {
            method: route.method.toUpperCase(),
            path,
            headers: {
              'content-type': type,
              cookie: client.jar.header(),
              'x-csrf-token': client.csrfToken,
              'x-forwarded-for': '10.99.0.1',
            },
            body,
          });
          fc.pre(res !== undefined);
          const label = `${route.method.toUpperCase()} ${path} as ${role}: ${type} ${body.slice(0, 300)}`;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, label).toBeLessThan(500);
          expect(log.errors(), `${label}\n${describeErrors(log.errors())}`).toEqual([]);
          if (res.status >= 400) expect(await dumpTables(database), label).toEqual(before);
        },
      ),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    report(`staff POST (${routes.length} routes × ${ROLES.length} roles)`, RUNS, started);
    console.log(`fuzz staff POST statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 600_000);
});
