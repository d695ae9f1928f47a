// deploy/nginx.conf as an operator installs it: valid; serving the public outputs
// from the files the app publishes, with the app's headers; sending the language-less
// URLs where the app sends them (a table of Accept-Language headers); micro-caching
// where there are no files; passing the staff area and the sign-up through uncached.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { buildPublicCache } from '../../src/public/setup.ts';
import type { Database } from '../../src/store/database.ts';
import { createRenderer } from '../../src/views.ts';
import { startTestServer, testConfig, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { LANGUAGES } from '../../src/i18n/index.ts';
import { PUBLIC_OUTPUTS } from '../../src/public/urls.ts';
import { ACCEPT_LANGUAGE_TABLE } from '../support/accept-language.ts';
import { makeDepartedMovement, saveDeparted } from '../support/public.ts';
import { waitFor } from '../support/wait.ts';

const hasNginx = (() => {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const nginxes: ChildProcess[] = [];
const dirs: string[] = [];
/** nginx with deploy/nginx.conf in front of the app; public files from exportDir. */
async function startNginx(appPort: string, exportDir: string): Promise<string> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-nginx-'));
  dirs.push(dir);
  fs.chmodSync(dir, 0o777); // nginx workers run unprivileged and write the cache here
  const site = fs
    .readFileSync(path.resolve(import.meta.dirname, '../../deploy/nginx.conf'), 'utf8')
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${appPort};`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    .replaceAll('/var/lib/corridor/public', exportDir)
    .replace('/var/cache/nginx/corridor', path.join(dir, 'cache'))
    .replace('/var/log/nginx/corridor.access.log', path.join(dir, 'access.log'));
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`);
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 256; }
http { include /etc/nginx/mime.types; ${temp.join(' ')} include ${dir}/site.conf; }\n`,
  );
  execFileSync('nginx', ['-t', '-q', '-c', path.join(dir, 'nginx.conf')]);
  nginxes.push(
    spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`nginx listening on ${url}`, () =>
    fetch(`${url}/healthz`).then(
      () => true,
      () => false,
    ),
  );
  return url;
}

let app: TestServer;
let database: Database;
let exportDir = '';
/** Micro-cache only (no files published). */
let proxy = '';
/** With the app publishing its files (PUBLIC_EXPORT_DIR). */
let files = '';

beforeAll(async () => {
  if (!hasNginx) return;
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-export-'));
  fs.chmodSync(exportDir, 0o755);
  dirs.push(exportDir);
  const config = testConfig({ PUBLIC_EXPORT_DIR: exportDir });
  const deps = { config, database, clock: systemClock, logger: silentLogger, metrics: createMetrics() };
  const publicCache = buildPublicCache({ ...deps, renderer: createRenderer() });
  await publicCache.start();
  app = await startTestServer(database, { config: { PUBLIC_EXPORT_DIR: exportDir }, deps: { publicCache } });
  const appPort = new URL(app.url).port;
  proxy = await startNginx(appPort, path.join(exportDir, 'nothing-here'));
  files = await startNginx(appPort, exportDir);
  await waitFor('the public files published', () => fs.existsSync(path.join(exportDir, 'robots.txt.gz')));
  afterAll(() => publicCache.close());
});

afterAll(() => {
  for (const nginx of nginxes) nginx.kill('SIGTERM');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasNginx)('deploy/nginx.conf', () => {
  it('micro-caches the per-language page and keeps the app headers', async () => {
    const first = await fetch(`${proxy}/kk/`);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('<html lang="kk">');
    const second = await fetch(`${proxy}/kk/`);
    expect(second.headers.get('x-cache')).toMatch(/HIT|UPDATING|STALE/);
    expect(second.headers.get('etag')).toBeTruthy();
    expect(second.headers.get('set-cookie')).toBeNull();
  });

  it('sends / where the app does, for every Accept-Language of the table', async () => {
    for (const base of [proxy, files])
      for (const [header, lang] of ACCEPT_LANGUAGE_TABLE) {
        const headers: Record<string, string> = header === undefined ? {} : { 'accept-language': header };
        const viaNginx = await fetch(`${base}/`, { redirect: 'manual', headers });
        const fromApp = await fetch(`${app.url}/`, { redirect: 'manual', headers });
        expect([viaNginx.status, viaNginx.headers.get('location')], String(header)).toEqual([
          fromApp.status,
          fromApp.headers.get('location'),
        ]);
        expect(viaNginx.headers.get('location')).toBe(`/${lang}/`);
        expect(viaNginx.headers.get('vary')).toBe('Accept-Language');
      }
    for (const path of ['/feed.atom?lang=ru', '/?lang=kk', '/en']) {
      const viaNginx = await fetch(`${files}${path}`, { redirect: 'manual' });
      const fromApp = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      expect([viaNginx.status, viaNginx.headers.get('location')], path).toEqual([
        fromApp.status,
        fromApp.headers.get('location'),
      ]);
    }
  });

  it('sends every language-less URL of the output table to the app (one entry is one URL scheme)', () => {
    const conf = fs.readFileSync(path.resolve(import.meta.dirname, '../../deploy/nginx.conf'), 'utf8');
    const locationRegex = (start: string) => {
      const line = conf.split('\n').find((l) => l.trim().startsWith(`location ~ ${start}`))!;
      return new RegExp(line.trim().slice('location ~ '.length, -' {'.length));
    };
    const languageLess = locationRegex('^/(|');
    const files = locationRegex('^/((kk|ru|en)');
    for (const o of PUBLIC_OUTPUTS) {
      if (o.perLanguage) {
        expect(`/${o.path}`, o.format).toMatch(languageLess);
        for (const l of LANGUAGES) expect(`/${l}/${o.path}`).toMatch(files);
      } else expect(o.path, o.format).toMatch(files);
    }
    for (const l of LANGUAGES) expect(`/${l}`).toMatch(languageLess);
  });

  it('passes the sign-up under each language to the app, POSTs included, uncached', async () => {
    for (const base of [proxy, files]) {
      const form = await fetch(`${base}/kk/subscribe`, { headers: { 'accept-language': 'en' } });
      expect([form.status, form.headers.get('x-cache')]).toEqual([200, null]);
      expect(await form.text()).toContain('<html lang="kk">');
      const sent = await fetch(`${base}/ru/subscribe`, {
        method: 'POST',
        body: new URLSearchParams({ email: 'not-an-address' }),
        headers: { 'accept-language': 'en' },
      });
      expect(sent.status).toBe(422); // the app's answer (not nginx's 403 for a POST to a file)
      expect(await sent.text()).toContain('<html lang="ru">');
      const link = await fetch(`${base}/en/subscribe/confirm/${'x'.repeat(43)}`, { method: 'POST' });
      expect([link.status, link.headers.get('x-cache')]).toEqual([410, null]);
    }
  });

  it('passes the staff area through uncached', async () => {
    const res = await fetch(`${proxy}/staff/sign-in`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache')).toBeNull();
    expect(res.headers.get('cache-control')).toContain('no-store');
  });
});

describe.skipIf(!hasNginx)('deploy/nginx.conf with the files the app publishes', () => {
  const headers = { 'accept-encoding': 'gzip' };
  const OUTPUTS = [
    '/ru/',
    '/kk/feed.atom',
    '/en/status.csv',
    '/api/v1/status',
    '/status.hxl.csv',
    '/robots.txt',
  ];

  it('serves each output as the app would: same bytes and headers, on GET and HEAD', async () => {
    for (const url of OUTPUTS)
      for (const method of ['GET', 'HEAD']) {
        const fromFile = await fetch(`${files}${url}`, { headers, method });
        const fromApp = await fetch(`${app.url}${url}`, { headers, method });
        expect(fromFile.status, url).toBe(200);
        expect(fromFile.headers.get('x-cache'), url).toBeNull(); // not proxied
        // The validators are nginx's own (from the file); the rest must match the app's.
        const skip = new Set(['date', 'etag', 'last-modified', 'x-request-id', 'connection', 'keep-alive']);
        for (const [name, value] of fromApp.headers) {
          if (skip.has(name)) continue;
          // The app adds "header=present" to the CSV type; nginx says text/csv; charset=utf-8.
          const expected = name === 'content-type' ? value.replace('; header=present', '') : value;
          expect(fromFile.headers.get(name), `${method} ${url} ${name}`).toBe(expected);
        }
        expect(fromFile.headers.get('last-modified'), url).toBe(fromApp.headers.get('last-modified'));
        expect(await fromFile.text(), url).toBe(await fromApp.text());
      }
  });

  it('answers a revalidation with 304, and serves no .gz or temporary file as such', async () => {
    const first = await fetch(`${files}/ru/`, { headers });
    const again = await fetch(`${files}/ru/`, {
      headers: { ...headers, 'if-none-match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${files}/ru/feed.atom.gz`)).status).toBe(404);
  });

  it('sends the JSON as of a day to the app, and any other query to the live file', async () => {
    const asOf = await fetch(`${files}/api/v1/status?asOf=2026-03-03`, { headers });
    expect(asOf.status).toBe(200);
    expect(((await asOf.json()) as { operations: { asOfDay: string }[] }).operations[0]!.asOfDay).toBe(
      '2026-03-03',
    );
    expect((await fetch(`${files}/api/v1/status?asOf=nope`)).status).toBe(400);
    const live = await fetch(`${files}/api/v1/status?utm_source=x`, { headers });
    expect(live.headers.get('x-cache')).toBeNull(); // the file
    expect(((await live.json()) as { asOf?: string }).asOf).toBeUndefined();
  });

  it('shows a saved change from the published file, with no request to the app', async () => {
    const m = await makeDepartedMovement(database.db);
    await saveDeparted(database.db, m.id, m.version, 98765);
    // How soon is the app's publishing, not nginx's: asked until the file has it.
    const { csv, cache } = await waitFor('the saved figure in the published CSV', async () => {
      const res = await fetch(`${files}/en/status.csv`);
      const seen = { csv: await res.text(), cache: res.headers.get('x-cache') };
      return seen.csv.includes('98765') && seen;
    });
    expect(csv).toContain('98765');
    expect(cache).toBeNull(); // the file, not the app
  });

  it('falls back to the micro-cached app where a file is missing', async () => {
    fs.rmSync(path.join(exportDir, 'api/v1/status.json'));
    fs.rmSync(path.join(exportDir, 'api/v1/status.json.gz'));
    // nginx's open_file_cache may serve the removed file for up to a second: ask until the
    // answer comes through the micro-cache (it says so in X-Cache).
    const res = await waitFor('the answer from the micro-cached app', async () => {
      const r = await fetch(`${files}/api/v1/status`);
      if (r.headers.get('x-cache')) return r;
      await r.arrayBuffer();
      return undefined;
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache')).toMatch(/MISS|HIT|EXPIRED|UPDATING/);
    expect(((await res.json()) as { version: unknown }).version).toBeDefined();
  });
});
