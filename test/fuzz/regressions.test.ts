// The fixed regression list of issue 11: every request it names gets a 4xx (never a
// 5xx), writes nothing (a dump of every table is unchanged), logs nothing at error,
// and the server still answers /healthz afterwards. New cases go at the end.
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { signIn, type StaffClient } from '../support/staff.ts';
import { capturingLogger, describeErrors, dumpTables } from './support.ts';

let database: Database;
let server: TestServer;
let admin: StaffClient;
let officer: StaffClient;
let viewerId: number;
let movementId: number;
let operationId: number;
const log = capturingLogger();

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { deps: { logger: log.logger } });
  admin = await signIn(server, 'admin');
  officer = await signIn(server, 'officer');
  await signIn(server, 'viewer');
  const op = await makeOperation(database.db, { slug: 'regressions' });
  operationId = op.id;
  const { route } = await makeRoute(database.db, op.id);
  await makeSource(database.db);
  const m = await makeMovement(database.db, route.id, {}, counts({ registered: { total: 40 } }));
  movementId = m.id;
  const users = await database.rows<{ id: number }>(sql`SELECT id FROM users WHERE role = 'viewer' LIMIT 1`);
  viewerId = users[0]!.id;
});

let before: Record<string, string>;
beforeEach(async () => {
  before = await dumpTables(database);
  log.records.length = 0;
});
afterEach(async () => {
  expect(log.errors(), describeErrors(log.errors())).toEqual([]);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

async function expectNothingWritten() {
  expect(await dumpTables(database)).toEqual(before);
}

/** A raw urlencoded POST (duplicates kept, unlike URLSearchParams.set). */
const rawPost = (
  client: StaffClient,
  path: string,
  body: string,
  type = 'application/x-www-form-urlencoded',
) =>
  client.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': type, 'x-csrf-token': client.csrfToken },
  });

const csrf = (client: StaffClient) => `_csrf=${encodeURIComponent(client.csrfToken)}`;

describe('form fields sent twice, as arrays or as objects (422, nothing written)', () => {
  it.each([
    ['role twice', 'email=new1%40staff.test&name=N&password=a+long+enough+passphrase&role=viewer&role=admin'],
    ['name twice', 'email=new2%40staff.test&name=A&name=B&password=a+long+enough+passphrase&role=viewer'],
    ['role as an array', 'email=new3%40staff.test&name=N&password=a+long+enough+passphrase&role[]=admin'],
    ['role as an object', 'email=new4%40staff.test&name=N&password=a+long+enough+passphrase&role[x]=admin'],
  ])('POST /staff/users with %s', async (_name, body) => {
    const res = await rawPost(admin, '/staff/users', `${csrf(admin)}&${body}`);
    expect(res.status).toBe(422);
    await expectNothingWritten();
  });

  it.each([
    ['role twice', 'role=viewer&role=admin'],
    ['role as an array', 'role[]=admin'],
    ['no role', 'role[x]=admin'],
  ])('POST /staff/users/:id/role with %s', async (_name, body) => {
    const res = await rawPost(admin, `/staff/users/${viewerId}/role`, `${csrf(admin)}&${body}`);
    expect(res.status).toBe(422);
    await expectNothingWritten();
  });

  it('a figure sent twice on the count editor', async () => {
    const res = await rawPost(
      officer,
      `/staff/movements/${movementId}/counts`,
      `${csrf(officer)}&version=1&reason=r&source=1&registered.total=1&registered.total=2`,
    );
    expect(res.status).toBe(422);
    await expectNothingWritten();
  });
});

describe('JSON and other non-form bodies on form routes (415, nothing written)', () => {
  it.each([
    ['/staff/users', 'application/json', '{"email":"j@staff.test","role":{"$ne":1},"password":"x"}'],
    ['/staff/users', 'text/plain', 'role=admin'],
    ['/subscribe', 'application/json', '{"email":"a@example.org","lang":"kk"}'],
    ['/kk/subscribe', 'application/json', '{"email":"a@example.org"}'],
    ['/staff/sign-in', 'application/json', '{"email":"a@example.org","password":"x"}'],
  ])('POST %s as %s', async (path, type, body) => {
    const res = await rawPost(admin, path, body, type);
    expect(res.status).toBe(415);
    await expectNothingWritten();
  });
});

describe('malformed multipart CSV uploads (400, nothing written)', () => {
  const upload = (type: string, body: string) =>
    officer.request(`/staff/operations/${operationId}/import`, {
      method: 'POST',
      body,
      headers: { 'content-type': type, 'x-csrf-token': officer.csrfToken },
    });
  const part = (boundary: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\n` +
    `Content-Type: text/csv\r\n\r\nmovement_id,stage\r\n1,registered\r\n`;

  it.each([
    ['no boundary', 'multipart/form-data', part('b')],
    ['the wrong boundary', 'multipart/form-data; boundary=other', `${part('b')}--b--\r\n`],
    ['a truncated body', 'multipart/form-data; boundary=b', part('b').slice(0, 60)],
    ['garbage', 'multipart/form-data; boundary=b', '\u0000\u0001garbage\r\n--b\r\n\r\n\r\n'],
  ])('%s', async (_name, type, body) => {
    const res = await upload(type, body);
    expect(res.status).toBe(400);
    await expectNothingWritten();
  });
});

describe('dates outside 2000–2100 and links that are not http(s) (422, nothing written)', () => {
  const movementEdit = (fields: string) =>
    rawPost(
      officer,
      `/staff/movements/${movementId}`,
      `${csrf(officer)}&version=1&label=M&kind=convoy&status=planned&${fields}`,
    );

  it.each([
    'departedAt=0026-03-03T10:00',
    'arrivedAt=0099-12-31T23:59',
    'scheduledDate=0026-03-03',
    'scheduledDepartureAt=2101-01-01T00:00',
    'departedAt=2026-03-03T24:00',
  ])('movement edit with %s', async (fields) => {
    const res = await movementEdit(fields);
    expect(res.status).toBe(422);
    await expectNothingWritten();
  });

  it.each([
    'as_of=0026-03-03T10:00',
    'as_of=1999-12-31T23:59',
    // The operation began on 2026-03-03 (its first movement's day); before it is a typo.
    'as_of=2026-03-02T23:59',
    'as_of=2001-01-01T00:00',
    // More than a day ahead.
    'as_of=2099-01-01T00:00',
  ])('count editor with %s', async (asOf) => {
    const res = await rawPost(
      officer,
      `/staff/movements/${movementId}/counts`,
      `${csrf(officer)}&version=1&reason=r&source=1&registered.total=41&${asOf}`,
    );
    expect(res.status).toBe(422);
    await expectNothingWritten();
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,x',
    'file:///etc/passwd',
    '//evil.test',
  ])('a new source with the link %s', async (url) => {
    const res = await rawPost(
      officer,
      `/staff/movements/${movementId}/counts`,
      `${csrf(officer)}&version=1&reason=r&registered.total=41&new_source_outlet=O&new_source_title=T` +
        `&new_source_url=${encodeURIComponent(url)}`,
    );
    expect(res.status).toBe(422);
    await expectNothingWritten();
  });
});

describe('out-of-range days on the digest preview (422)', () => {
  it.each(['9999-12-31', '0026-03-03', '2026-02-30', 'tomorrow', ''])(
    'GET /staff/digest?day=%s',
    async (day) => {
      const res = await officer.get(`/staff/digest?day=${day}`);
      expect(res.status).toBe(422);
      await expectNothingWritten();
    },
  );

  it('a repeated day is refused too, and the edges of the window are served', async () => {
    expect((await officer.get('/staff/digest?day=2026-03-03&day=2026-03-04')).status).toBe(422);
    expect((await officer.get('/staff/digest?day=2100-12-31')).status).toBe(200);
    expect((await officer.get('/staff/digest?day=2000-01-01')).status).toBe(200);
    await expectNothingWritten();
  });
});
