// deploy/nginx.conf as an operator installs it: valid; serving the public outputs
// from the files the app publishes, with the app's headers, in the app's choice of
// language; micro-caching them where there are no files; passing the staff area
// through uncached.
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
import { makeDepartedMovement, saveDeparted } from '../support/public.ts';

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
  for (let i = 0; i < 50; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
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
  for (let i = 0; i < 100 && !fs.existsSync(path.join(exportDir, 'status.csv.gz')); i++)
    await new Promise((r) => setTimeout(r, 50));
  afterAll(() => publicCache.close());
});

afterAll(() => {
  for (const nginx of nginxes) nginx.kill('SIGTERM');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasNginx)('deploy/nginx.conf', () => {
  it('micro-caches the page per language and keeps the app headers', async () => {
    const first = await fetch(`${proxy}/`, { headers: { 'accept-language': 'kk-KZ' } });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('<html lang="kk">');
    const second = await fetch(`${proxy}/`, { headers: { 'accept-language': 'kk-KZ' } });
    expect(second.headers.get('x-cache')).toMatch(/HIT|UPDATING|STALE/);
    expect(second.headers.get('etag')).toBeTruthy();
    const ru = await fetch(`${proxy}/?lang=ru`);
    expect(await ru.text()).toContain('<html lang="ru">');
    expect(ru.headers.get('set-cookie')).toMatch(/^lang=ru;/);
  });

  it('passes the staff area through uncached', async () => {
    const res = await fetch(`${proxy}/staff/sign-in`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache')).toBeNull();
    expect(res.headers.get('cache-control')).toContain('no-store');
  });
});

describe.skipIf(!hasNginx)('deploy/nginx.conf with the files the app publishes', () => {
  const headers = { 'accept-language': 'ru-RU,ru;q=0.9', 'accept-encoding': 'gzip' };

  it('serves each output as the app would: same bytes, language and headers', async () => {
    for (const url of ['/', '/feed.atom', '/api/v1/status', '/status.csv', '/?lang=kk']) {
      const fromFile = await fetch(`${files}${url}`, { headers });
      const fromApp = await fetch(`${app.url}${url}`, { headers });
      expect(fromFile.status, url).toBe(200);
      expect(fromFile.headers.get('x-cache'), url).toBeNull(); // not proxied
      // The validators are nginx's own (from the file); the rest must match the app's.
      // (The cookie: both remember ?lang=, the app's also with an Expires date.)
      const skip = new Set([
        'date',
        'etag',
        'last-modified',
        'x-request-id',
        'connection',
        'keep-alive',
        'set-cookie',
      ]);
      expect(fromFile.headers.get('set-cookie')?.split(';')[0], url).toBe(
        fromApp.headers.get('set-cookie')?.split(';')[0],
      );
      for (const [name, value] of fromApp.headers) {
        if (skip.has(name)) continue;
        // The app adds "header=present" to the CSV type; nginx says text/csv; charset=utf-8.
        const expected = name === 'content-type' ? value.replace('; header=present', '') : value;
        expect(fromFile.headers.get(name), `${url} ${name}`).toBe(expected);
      }
      expect(await fromFile.text(), url).toBe(await fromApp.text());
    }
  });

  it('chooses the language from ?lang=, the cookie or Accept-Language, and remembers ?lang=', async () => {
    const page = async (url: string, h: Record<string, string>) =>
      (await fetch(`${files}${url}`, { headers: h })).text();
    expect(await page('/', { 'accept-language': 'kk-KZ' })).toContain('<html lang="kk">');
    expect(await page('/', { 'accept-language': 'ru', cookie: 'lang=en' })).toContain('<html lang="en">');
    const chosen = await fetch(`${files}/?lang=ru`, { headers: { cookie: 'lang=en' } });
    expect(await chosen.text()).toContain('<html lang="ru">');
    expect(chosen.headers.get('set-cookie')).toMatch(/^lang=ru;/);
    expect(await page('/', {})).toContain('<html lang="en">');
  });

  it('answers a revalidation with 304', async () => {
    const first = await fetch(`${files}/`, { headers });
    const again = await fetch(`${files}/`, {
      headers: { ...headers, 'if-none-match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('shows a saved change within two seconds, with no request to the app', async () => {
    const m = await makeDepartedMovement(database.db);
    await saveDeparted(database.db, m.id, m.version, 98765);
    const started = Date.now();
    let csv = '';
    let cache: string | null = null;
    while (Date.now() - started < 5_000 && !csv.includes('98765')) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${files}/status.csv`);
      cache = res.headers.get('x-cache');
      csv = await res.text();
    }
    expect(csv).toContain('98765');
    expect(cache).toBeNull(); // the file, not the app
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('falls back to the micro-cached app where a file is missing', async () => {
    fs.rmSync(path.join(exportDir, 'status.json'));
    fs.rmSync(path.join(exportDir, 'status.json.gz'));
    await new Promise((r) => setTimeout(r, 1_100)); // nginx's open_file_cache_valid
    const res = await fetch(`${files}/api/v1/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache')).toMatch(/MISS|HIT|EXPIRED|UPDATING/);
    expect(((await res.json()) as { version: unknown }).version).toBeDefined();
  });
});
