// Publishing the public outputs as files (PUBLIC_EXPORT_DIR, src/public/export.ts):
// every output is there from the start without any request, byte for byte what the
// app serves, dated with its Last-Modified, rewritten after a change; a folder that
// cannot be written is reported and changes nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createPublicCache } from '../../src/public/cache.ts';
import { LANGUAGES } from '../../src/i18n/index.ts';
import { PUBLIC_OUTPUTS } from '../../src/public/urls.ts';
import { EXPORT_FILES, createPublicExport } from '../../src/public/export.ts';
import { publicRenderer } from '../../src/public/render.ts';
import type { Database } from '../../src/store/database.ts';
import { createRenderer } from '../../src/views.ts';
import { createTestDatabase } from '../support/db.ts';
import { makeDepartedMovement, saveDeparted } from '../support/public.ts';
import { waitFor } from '../support/wait.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function publishingCache(database: Database, dir: string, logger: Logger = silentLogger) {
  const cache = createPublicCache({
    database,
    clock: systemClock,
    logger: silentLogger,
    metrics: createMetrics(),
    render: publicRenderer({ renderer: createRenderer(), baseUrl: 'http://corridor.test' }),
    publish: createPublicExport({ dir, logger }),
  });
  afterAll(() => cache.close());
  return cache;
}

describe('public export', () => {
  it('writes every output and its .gz at start, as the app serves them, dated as they are', async () => {
    const database = await createTestDatabase();
    await seedReportedFigures({ db: database.db });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-export-test-'));
    dirs.push(dir);
    const cache = publishingCache(database, dir);
    await cache.start();
    // The fixed files (robots.txt) are written after every output: the last of a build.
    const last = path.join(dir, 'robots.txt.gz');
    await waitFor('the last output written', () => fs.existsSync(last));
    // Every output of src/public/urls.ts, in each of its languages.
    expect(EXPORT_FILES).toHaveLength(
      PUBLIC_OUTPUTS.reduce((n, o) => n + (o.perLanguage ? LANGUAGES.length : 1), 0),
    );
    expect(fs.readFileSync(path.join(dir, 'robots.txt'), 'utf8')).toContain('Disallow: /staff');
    for (const { lang, format, file } of EXPORT_FILES) {
      const r = await cache.get(lang, format);
      const target = path.join(dir, file);
      expect(fs.readFileSync(target).equals(r.identity), file).toBe(true);
      expect(fs.readFileSync(`${target}.gz`).equals(r.gzip), file).toBe(true);
      expect(fs.statSync(target).mtime.getTime(), file).toBe(r.lastModified.getTime());
      expect((fs.statSync(target).mode & 0o777).toString(8)).toBe('644');
    }
    expect(fs.readFileSync(path.join(dir, 'ru/index.html'), 'utf8')).toContain('<html lang="ru">');
    // No temporary file is left behind.
    const all = fs.readdirSync(dir, { recursive: true }).map(String);
    expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rewrites the files after a saved change, with nobody asking', async () => {
    const database = await createTestDatabase();
    const m = await makeDepartedMovement(database.db);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-export-test-'));
    dirs.push(dir);
    const cache = publishingCache(database, dir);
    await cache.start();
    const csv = () =>
      fs.existsSync(path.join(dir, 'en/status.csv'))
        ? fs.readFileSync(path.join(dir, 'en/status.csv'), 'utf8')
        : '';
    await waitFor('the new figure in the CSV', () => csv().includes('400'));
    await saveDeparted(database.db, m.id, m.version, 4321);
    // The file follows without any request: how fast depends on the machine's load, so the
    // test waits for it rather than timing it.
    await waitFor('the next figure in the CSV', () => csv().includes('4321'));
  });

  it('reports a folder it cannot write and goes on serving from memory', async () => {
    const database = await createTestDatabase();
    await seedReportedFigures({ db: database.db });
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-export-test-'));
    dirs.push(parent);
    const notADir = path.join(parent, 'a-file');
    fs.writeFileSync(notADir, 'in the way');
    const errors: { msg: string; dir?: string }[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean))
          errors.push(JSON.parse(l) as { msg: string });
        done();
      },
    });
    const cache = publishingCache(database, notADir, pino({ level: 'error' }, sink));
    await cache.start();
    const page = await cache.get('en', 'html');
    expect(page.identity.toString()).toContain('Middle East 2026');
    await waitFor('the failure logged', () => errors.length > 0);
    expect(errors[0]).toMatchObject({ msg: 'public export: cannot write', dir: notADir });
    expect(fs.readFileSync(notADir, 'utf8')).toBe('in the way');
  });
});
