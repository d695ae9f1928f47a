// The public outputs as outside tools read them, in every language: the Nu HTML checker
// on every public page (and an <h1> on each), jing with the Atom RELAX NG schema of
// RFC 4287 and feedparser on each feed, a strict CSV reader on the CSV and its HXL variant.
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import {
  ATOM_RNC,
  HAS_JAVA,
  HAS_JING,
  PYTHON,
  feedparse,
  jingErrors,
  mustHave,
  nuErrors,
  tempFiles,
} from '../support/validators.ts';

let server: TestServer;
let empty: TestServer;
const dirs: string[] = [];
let pages: Record<string, string> = {};
const feedTexts: Record<string, string> = {};
const CSV_PATHS = ['/kk/status.csv', '/ru/status.csv', '/en/status.csv', '/status.hxl.csv'];
const csvBodies: Record<string, Buffer> = {};

beforeAll(async () => {
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database);
  empty = await startTestServer(await createTestDatabase());
  // Fetched now, all at once: the validators take long enough for idle connections to close.
  pages = await publicPages();
  for (const l of LANGS) feedTexts[`feed-${l}.atom`] = await text(server.url, `/${l}/feed.atom`);
  for (const path of CSV_PATHS)
    csvBodies[path] = Buffer.from(await (await fetch(`${server.url}${path}`)).arrayBuffer());
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const text = async (base: string, path: string) => (await fetch(`${base}${path}`)).text();
const LANGS = ['kk', 'ru', 'en'] as const;

async function publicPages(): Promise<Record<string, string>> {
  const pages: Record<string, string> = {};
  for (const l of LANGS) {
    pages[`status-${l}.html`] = await text(server.url, `/${l}/`);
    pages[`subscribe-${l}.html`] = await text(server.url, `/${l}/subscribe`);
  }
  pages['empty.html'] = await text(empty.url, '/en/');
  pages['subscribe-none.html'] = await text(empty.url, '/en/subscribe');
  pages['confirm-invalid.html'] = await text(server.url, '/kk/subscribe/confirm/no-such-token');
  pages['not-found.html'] = await text(server.url, '/ru/no-such-page');
  return pages;
}

describe('public pages', () => {
  it('each has exactly one <h1>', () => {
    for (const [name, html] of Object.entries(pages))
      expect(html.match(/<h1[\s>]/g)?.length ?? 0, name).toBeGreaterThanOrEqual(1);
  });

  it.runIf(mustHave('java + vnu-jar', HAS_JAVA))(
    'pass the Nu HTML checker with no error',
    () => {
      const { dir, paths } = tempFiles(pages);
      dirs.push(dir);
      expect(nuErrors(paths).map((m) => `${m.url.split('/').pop()}:${m.lastLine}: ${m.message}`)).toEqual([]);
    },
    120_000,
  );
});

describe('the Atom feeds', () => {
  const feeds = () => {
    const { dir, paths } = tempFiles(feedTexts);
    dirs.push(dir);
    return paths;
  };

  it.runIf(mustHave('jing', HAS_JING))(
    'are valid against the RELAX NG schema of RFC 4287',
    () => {
      for (const file of feeds()) expect(jingErrors(ATOM_RNC, file), file).toBe('');
    },
    60_000,
  );

  it.runIf(mustHave('feedparser', PYTHON))(
    'read cleanly in feedparser: the same entries under the same tag: ids in every language',
    () => {
      const parsed = feeds().map((f) => feedparse(f));
      for (const [i, feed] of parsed.entries()) {
        expect(feed.bozo, feed.bozoException).toBe(0);
        expect(feed.version).toBe('atom10');
        expect(feed.feedLanguage).toBe(LANGS[i]);
        expect(feed.feedId).toBe(`tag:corridor.localhost,2026:feed/${LANGS[i]}`);
        expect(feed.entries.length).toBeGreaterThan(3);
        for (const e of feed.entries) {
          expect(e.id).toMatch(/^tag:corridor\.localhost,2026:(route|movement|notice)\/\d+(\/[a-z0-9/]+)?$/);
          expect(e.link).toMatch(
            new RegExp(
              `^http://corridor\\.test/${LANGS[i]}/(routes/[a-z0-9-]+)?#(route|movement|notice)-\\d+$`,
            ),
          );
        }
      }
      const same = (f: (typeof parsed)[number]) => f.entries.map((e) => `${e.id} ${e.updated}`);
      expect(same(parsed[1]!)).toEqual(same(parsed[0]!));
      expect(same(parsed[2]!)).toEqual(same(parsed[0]!));
      // …and differ in their language only.
      expect(parsed[0]!.entries[0]!.title).not.toBe(parsed[2]!.entries[0]!.title);
    },
    60_000,
  );
});

describe('the CSV and its HXL variant', () => {
  it('read strictly as RFC 4180, every row as long as the header', () => {
    for (const path of CSV_PATHS) {
      const body = csvBodies[path]!;
      expect(body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), path).toBe(true);
      const rows = parse(body, { bom: true, relax_column_count: false });
      expect(rows.length, path).toBeGreaterThan(path.includes('hxl') ? 10 : 20);
      if (path.includes('hxl'))
        expect(
          rows[1]!.every((tag) => tag.startsWith('#')),
          path,
        ).toBe(true);
    }
  });
});
