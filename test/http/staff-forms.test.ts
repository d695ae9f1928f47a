// Staff forms as a phone shows them. Pages with several forms (a card per place, per leg, per
// notice; a page's own forms below) give each form's fields their own ids: a label's `for` must
// reach its own input, not the first card's (tapping "Latitude" of the third place focused the
// first's). A date-time field says whose clock it is: the operation's zone, by name.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { makeMovement, makeOperation, makePlace, makeRoute } from '../support/factories.ts';
import { signIn } from '../support/staff.ts';

let server: TestServer;
let admin: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  server = await startTestServer(await createTestDatabase());
  admin = await signIn(server, 'admin');
});

/** Every id= value, and every label's for=, of a page. */
function ids(html: string) {
  const all = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  const fors = [...html.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]!);
  return { all, fors };
}

describe('staff form ids', () => {
  it('are unique on pages with several forms, and every label points at an input of the page', async () => {
    const db = server.deps.database.db;
    const op = await makeOperation(db, { slug: 'ids' });
    const { route } = await makeRoute(db, op.id, {}, 3);
    for (const n of [1, 2, 3]) await makePlace(db, { names: { en: `Place ${n}` } });
    for (const path of ['/staff/map', `/staff/operations/${op.id}`, `/staff/routes/${route.id}`]) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(200);
      const { all, fors } = ids(await res.text());
      const repeated = all.filter((id, i) => all.indexOf(id) !== i);
      expect(repeated, path).toEqual([]);
      expect(
        fors.filter((f) => !all.includes(f)),
        path,
      ).toEqual([]);
      expect(fors.length, path).toBeGreaterThan(0);
    }
  });

  it('the CSV upload is a file input without a value (invalid HTML), offering CSV files', async () => {
    const op = await makeOperation(server.deps.database.db, { slug: 'ids-csv' });
    const html = await (await admin.get(`/staff/operations/${op.id}/import`)).text();
    const input = /<input type="file"[^>]*>/.exec(html)?.[0];
    expect(input).toContain('name="file"');
    expect(input).not.toContain('value=');
    expect(input).toContain('accept=');
  });

  it("names the operation's time zone under every date-time field", async () => {
    const db = server.deps.database.db;
    const op = await makeOperation(db, { slug: 'zone', timeZone: 'Asia/Dubai' });
    const { route } = await makeRoute(db, op.id, {}, 1);
    const movement = await makeMovement(db, route.id, {});
    for (const path of [
      `/staff/movements/${movement.id}`,
      `/staff/movements/${movement.id}/counts`,
      `/staff/operations/${op.id}`,
      `/staff/operations/${op.id}/import`,
    ]) {
      const html = await (await admin.get(path)).text();
      const fields = [...html.matchAll(/<div class="field[^"]*">([\s\S]*?)<\/div>/g)].map((m) => m[1]!);
      const datetime = fields.filter((f) => f.includes('type="datetime-local"'));
      expect(datetime.length, path).toBeGreaterThan(0);
      for (const f of datetime)
        expect(/<span class="hint">([^<]*)<\/span>/.exec(f)?.[1], path).toContain('Asia/Dubai');
    }
  });

  it("names a movement in the reader's language where its label is written in it", async () => {
    const db = server.deps.database.db;
    const op = await makeOperation(db, { slug: 'labels' });
    const { route } = await makeRoute(db, op.id, {}, 1);
    const movement = await makeMovement(db, route.id, {
      label: 'Convoy A',
      labels: { en: 'Convoy A', kk: 'А колоннасы' },
    });
    for (const path of [`/staff/movements/${movement.id}`, `/staff/movements/${movement.id}/counts`]) {
      const kk = await (await admin.get(`${path}?lang=kk`)).text();
      expect(/<h1[^>]*>([^<]*)/.exec(kk)?.[1], path).toContain('А колоннасы');
      const ru = await (await admin.get(`${path}?lang=ru`)).text(); // none in ru: the working language's
      expect(/<h1[^>]*>([^<]*)/.exec(ru)?.[1], path).toContain('Convoy A');
    }
  });
});
