// Text PostgreSQL or a reader cannot take, over HTTP. A control character (U+0000 and the
// other C0 controls but tab, CR and LF) anywhere in a form was a 500 from the driver
// ("invalid byte sequence for encoding UTF8: 0x00"), even on the sign-in form: now 422 on
// every form, the sign-in, the public sign-up and in a CSV file. A urlencoded body that is
// not UTF-8, or whose %-escapes are malformed or decode to bytes that are not, was stored
// as U+FFFD or as the literal escape: now 400 (bad_request). Each refusal writes nothing.
import fc from 'fast-check';
import { count } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvImports, rateLimits } from '../../db/schema.ts';
import { csvHeader, csvLines } from '../../src/domain/csv/format.ts';
import { t } from '../../src/i18n/index.ts';
import type { Database } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { formByAction } from '../support/form-fields.ts';
import { propertyRuns } from '../support/runs.ts';
import { type StaffClient, createStaffUser, signIn, staffClient } from '../support/staff.ts';
import { uploadCsv } from '../support/workspace.ts';
import { capturingLogger, describeErrors, dumpTables } from '../fuzz/support.ts';

let database: Database;
let server: TestServer;
let admin: StaffClient;
const log = capturingLogger();
/** One form a staff member fills in: the page it is on, where it posts, what makes it valid. */
type Case = { name: string; page: string; action: string; field: string; values: Record<string, string> };
let cases: Case[];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { deps: { logger: log.logger } });
  admin = await signIn(server, 'admin');
  const db = database.db;
  const op = await makeOperation(db, { slug: 'hostile-text' });
  const { route } = await makeRoute(db, op.id, {}, 1);
  const source = await makeSource(db);
  const m = await makeMovement(db, route.id, {}, counts({ registered: { total: 12 } }));
  const figures = { reason: 'Typo fixed', source: String(source.id), 'registered.total': '13' };
  const list: (Omit<Case, 'action'> & { action?: string })[] = [
    { name: 'count reason', page: `/staff/movements/${m.id}/counts`, field: 'reason', values: figures },
    {
      name: 'new source',
      page: `/staff/movements/${m.id}/counts`,
      field: 'new_source_outlet',
      values: { ...figures, source: '', new_source_outlet: 'Kazinform' },
    },
    { name: 'figure', page: `/staff/movements/${m.id}/counts`, field: 'registered.total', values: figures },
    {
      name: 'notice',
      page: `/staff/operations/${op.id}`,
      action: `/staff/operations/${op.id}/notices`,
      field: 'body_en',
      values: { body_en: 'Buses leave at nine.' },
    },
    {
      name: 'movement edit',
      page: `/staff/movements/${m.id}`,
      field: 'label_en',
      values: { label_en: 'Convoy A' },
    },
    {
      name: 'movement create',
      page: `/staff/routes/${route.id}/movements/new`,
      action: `/staff/routes/${route.id}/movements`,
      field: 'label_en',
      values: { label_en: 'Convoy B', kind: 'convoy', scheduledDate: '2026-03-04' },
    },
    { name: 'route edit', page: `/staff/routes/${route.id}`, field: 'name_en', values: {} },
  ];
  cases = list.map((c) => ({ ...c, action: c.action ?? c.page }));
});

/** The form as the page has it, with `values` typed in. */
async function filled(c: Case): Promise<Record<string, string>> {
  const html = await (await admin.get(c.page)).text();
  return { ...formByAction(html, c.action), ...c.values };
}

const C0 = fc
  .integer({ min: 0, max: 0x1f })
  .filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d)
  .map((c) => String.fromCharCode(c));

describe('a control character in a form', () => {
  it('is 422 on every staff form, writes nothing and logs no error (property: which form, which character, where)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: cases.length - 1 }),
        fc.oneof({ weight: 3, arbitrary: fc.constant('\u0000') }, { weight: 2, arbitrary: C0 }),
        fc.nat({ max: 8 }),
        async (i, control, at) => {
          const c = cases[i]!;
          const fields = await filled(c);
          const value = fields[c.field] || 'x';
          fields[c.field] = `${value.slice(0, at)}${control}${value.slice(at)}`;
          const before = await dumpTables(database);
          const res = await admin.post(c.action, fields);
          const label = `${c.name}: ${JSON.stringify(fields[c.field])}`;
          expect(res.status, label).toBe(422);
          const html = await res.text();
          expect(html, label).not.toContain(control); // the value put back has it taken out
          expect(await dumpTables(database), label).toEqual(before);
          expect(log.errors(), describeErrors(log.errors())).toEqual([]);
        },
      ),
      { numRuns: propertyRuns(30) },
    );
  }, 120_000);

  it('answers a JSON client with the field and a stable code', async () => {
    const c = cases[0]!;
    const fields = { ...(await filled(c)), reason: 'a\u0000b' };
    const res = await admin.post(c.action, fields, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields.reason).toBe('field.control_character');
  });

  it('is refused on no form that was valid without it (each form saves once with clean text)', async () => {
    for (const c of cases) {
      const res = await admin.post(c.action, await filled(c));
      expect(res.status, `${c.name}: ${res.status === 422 ? await res.text() : ''}`).toBe(303);
    }
    expect(log.errors(), describeErrors(log.errors())).toEqual([]);
  });

  it('is 422 at sign-in, before any account is looked up or attempt counted', async () => {
    const user = await createStaffUser(database.db, 'officer');
    const attempts = async () => (await database.db.select({ n: count() }).from(rateLimits))[0]!.n;
    for (const email of ['a\u0000@x.com', `${user.email}\u0000`, `\u001b${user.email}`]) {
      const client = staffClient(server);
      await client.get('/staff/sign-in');
      const before = { tables: await dumpTables(database), attempts: await attempts() };
      const res = await client.post('/staff/sign-in', { email, password: user.password });
      expect(res.status, JSON.stringify(email)).toBe(422);
      expect(await res.text()).toContain('data-error="validation_failed"');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('corridor_session='))).toBe(false);
      expect(await dumpTables(database)).toEqual(before.tables);
      expect(await attempts()).toBe(before.attempts);
    }
    const client = staffClient(server);
    await client.get('/staff/sign-in');
    const nulPassword = await client.post('/staff/sign-in', { email: user.email, password: 'a\u0000' });
    expect(nulPassword.status).toBe(422);
    expect(log.errors(), describeErrors(log.errors())).toEqual([]);
  });

  it('is 422 on the public sign-up', async () => {
    const before = await dumpTables(database);
    const res = await fetch(`${server.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.77.0.1' },
      body: new URLSearchParams({ email: 'a\u0000@example.org', lang: 'en' }),
    });
    expect(res.status).toBe(422);
    expect(await dumpTables(database)).toEqual(before);
  });

  it('in a CSV file is 422 with its message, and nothing is stored', async () => {
    const op = await makeOperation(database.db, { slug: 'hostile-csv' });
    const { route } = await makeRoute(database.db, op.id, { slug: 'hostile-csv-route' }, 1);
    const m = await makeMovement(database.db, route.id, { label: 'Bus 1' });
    const source = await makeSource(database.db);
    await admin.get(`/staff/operations/${op.id}/import`);
    // A valid file but for the one cell: the refusal is the control character's.
    const file = (reason: string) =>
      csvHeader() +
      csvLines([{ movement_id: String(m.id), registered_total: '5', source: source.slug, reason }]);
    const before = await dumpTables(database);
    for (const reason of ['a\u0000', 'a\u0007b']) {
      const res = await uploadCsv(admin, `/staff/operations/${op.id}/import`, file(reason));
      expect(res.status, JSON.stringify(reason)).toBe(422);
      expect(await res.text()).toContain(t('en', 'csv.control_character'));
    }
    expect(await dumpTables(database)).toEqual(before);
    const clean = await uploadCsv(admin, `/staff/operations/${op.id}/import`, file('a\tb'));
    expect(clean.status).toBe(303);
    expect(log.errors(), describeErrors(log.errors())).toEqual([]);
  });
});

describe('a urlencoded body that is not UTF-8', () => {
  /** A form POST whose body is these bytes after the CSRF token. */
  const rawPost = (client: StaffClient, path: string, tail: Buffer | string, accept = 'text/html') =>
    client.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
      body: Buffer.concat([
        Buffer.from(`_csrf=${encodeURIComponent(client.csrfToken)}&`),
        Buffer.isBuffer(tail) ? tail : Buffer.from(tail, 'latin1'),
      ]),
    });

  it('is 400 (raw bytes, %-escapes or a malformed escape), as HTML or JSON, and writes nothing', async () => {
    const c = cases[0]!;
    await admin.get(c.page);
    const fields = new URLSearchParams(await filled(c));
    fields.delete('reason');
    const valid = Buffer.from(`${fields.toString()}&reason=`);
    const before = await dumpTables(database);
    for (const tail of ['bad\xff\xfe\xc0z', '%ff%fe', 'bad%C3', '%ED%A0%80', '100%', '%zz'])
      for (const accept of ['text/html', 'application/json']) {
        const res = await rawPost(
          admin,
          c.action,
          Buffer.concat([valid, Buffer.from(tail, 'latin1')]),
          accept,
        );
        const label = `${JSON.stringify(tail)} as ${accept}`;
        expect(res.status, label).toBe(400);
        if (accept === 'application/json')
          expect(((await res.json()) as { error: { code: string } }).error.code, label).toBe('bad_request');
        else expect(res.headers.get('content-type'), label).toContain('text/html');
      }
    expect(await dumpTables(database)).toEqual(before);
    expect(log.errors(), describeErrors(log.errors())).toEqual([]);
  });

  it('is 400 on the public sign-up too; a valid UTF-8 form still saves', async () => {
    const res = await fetch(`${server.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.77.0.2' },
      body: Buffer.from('email=a\xff@example.org&lang=en', 'latin1'),
    });
    expect(res.status).toBe(400);
    const c = cases[0]!;
    const ok = await admin.post(c.action, { ...(await filled(c)), reason: 'Ошибка исправлена — €' });
    expect(ok.status).toBe(303);
  });
});

describe('a multipart upload (the CSV import)', () => {
  type Part = { name: Buffer | string; value: Buffer | string; filename?: Buffer | string };
  /** A multipart body as its bytes: names, values and the file name exactly as given. */
  const multipart = (parts: Part[]) => {
    const boundary = 'hostile-boundary-7f3a';
    const chunks: Buffer[] = [];
    const bytes = (x: Buffer | string) => (Buffer.isBuffer(x) ? x : Buffer.from(x));
    for (const p of parts) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="`), bytes(p.name));
      if (p.filename !== undefined)
        chunks.push(
          Buffer.from('"; filename="'),
          bytes(p.filename),
          Buffer.from('"\r\nContent-Type: text/csv'),
        );
      else chunks.push(Buffer.from('"'));
      chunks.push(Buffer.from('\r\n\r\n'), bytes(p.value), Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
  };
  let path: string;
  let file: string;
  const send = (parts: Part[], accept = 'text/html') => {
    const { body, type } = multipart(parts);
    return admin.request(path, { method: 'POST', headers: { 'content-type': type, accept }, body });
  };
  const csrf = (): Part => ({ name: '_csrf', value: admin.csrfToken });
  const csvFile = (value: Buffer | string = file, filename: Buffer | string = 'figures.csv'): Part => ({
    name: 'file',
    value,
    filename,
  });
  const stored = async () => database.db.select().from(csvImports);

  beforeAll(async () => {
    const op = await makeOperation(database.db, { slug: 'hostile-multipart' });
    const { route } = await makeRoute(database.db, op.id, { slug: 'hostile-multipart-route' }, 1);
    const m = await makeMovement(database.db, route.id, { label: 'Bus 2' });
    const source = await makeSource(database.db);
    path = `/staff/operations/${op.id}/import`;
    await admin.get(path);
    file =
      csvHeader() + csvLines([{ movement_id: String(m.id), registered_total: '5', source: source.slug }]);
  });

  it('is 400 when a text field or its name is not UTF-8, as HTML or JSON, and stores nothing', async () => {
    const before = await dumpTables(database);
    const latin1 = (s: string) => Buffer.from(s, 'latin1');
    const cases: Part[][] = [
      [csrf(), { name: 'reason', value: latin1('bad\xff\xfe') }, csvFile()],
      [csrf(), { name: 'reason', value: latin1('\xc0\xaf') }, csvFile()], // overlong "/"
      [csrf(), { name: 'reason', value: latin1('\xed\xa0\x80') }, csvFile()], // a surrogate
      [csrf(), { name: 'reason', value: latin1('cut \xd0') }, csvFile()],
      [csrf(), { name: latin1('reason\xff'), value: 'x' }, csvFile()],
      [{ name: '_csrf', value: Buffer.concat([Buffer.from(admin.csrfToken), latin1('\xff')]) }, csvFile()],
    ];
    for (const parts of cases)
      for (const accept of ['text/html', 'application/json']) {
        const res = await send(parts, accept);
        const label = `${JSON.stringify(parts.map((p) => [String(p.name), String(p.value).slice(0, 12)]))} ${accept}`;
        expect(res.status, label).toBe(400);
        if (accept === 'application/json')
          expect(((await res.json()) as { error: { code: string } }).error.code, label).toBe('bad_request');
        else await res.arrayBuffer();
      }
    expect(await dumpTables(database)).toEqual(before);
    expect(log.errors(), describeErrors(log.errors())).toEqual([]);
  });

  it('refuses a control character in a text field (422) or in _csrf (403), as a urlencoded form does', async () => {
    const before = await dumpTables(database);
    const nul = await send([csrf(), { name: 'reason', value: 'a\u0000b' }, csvFile()], 'application/json');
    expect(nul.status).toBe(422);
    expect(((await nul.json()) as { error: { fields: Record<string, string> } }).error.fields.reason).toBe(
      'field.control_character',
    );
    const token = await send([{ name: '_csrf', value: `${admin.csrfToken}\u0000` }, csvFile()]);
    expect(token.status).toBe(403);
    expect(await dumpTables(database)).toEqual(before);
  });

  it('keeps UTF-8 text and file names as sent (they were read as latin1: mojibake)', async () => {
    const reason = 'Опечатка исправлена — €, 😀';
    const name = 'сводка-қазақ.csv';
    const res = await send([csrf(), { name: 'reason', value: reason }, csvFile(file, name)]);
    expect(res.status).toBe(303);
    const rows = await stored();
    const row = rows.find((r) => r.filename === name);
    expect(row?.reason, JSON.stringify(rows.map((r) => [r.filename, r.reason]))).toBe(reason);
    // A file name that is not UTF-8 is the browser's, not typed text: kept, never refused.
    const odd = await send([
      csrf(),
      { name: 'reason', value: 'r' },
      csvFile(file, Buffer.from('caf\xe9.csv', 'latin1')),
    ]);
    expect(odd.status).toBe(303);
  });

  it('in UTF-16 (with or without its byte-order mark) is refused as not UTF-8, not line by line', async () => {
    const before = await dumpTables(database);
    const utf16 = Buffer.from(file.slice(1), 'utf16le');
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]), utf16]) {
      const res = await send([csrf(), csvFile(bytes)]);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(t('en', 'csv.encoding').replaceAll('"', '&quot;'));
      expect(html).not.toContain(t('en', 'csv.control_character'));
    }
    expect(await dumpTables(database)).toEqual(before);
  });
});
