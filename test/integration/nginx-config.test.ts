// deploy/nginx.conf as an operator installs it: valid, micro-caching the public
// outputs per language, and passing the staff area through uncached.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';

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

let nginx: ChildProcess | undefined;
let dir = '';
let proxy = '';

beforeAll(async () => {
  if (!hasNginx) return;
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  const app = await startTestServer(database);
  const appPort = new URL(app.url).port;
  const port = await freePort();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-nginx-'));
  fs.chmodSync(dir, 0o777); // nginx workers run unprivileged and write the cache here
  const site = fs
    .readFileSync(path.resolve(import.meta.dirname, '../../deploy/nginx.conf'), 'utf8')
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${appPort};`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
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
  nginx = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  proxy = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (
      await fetch(`${proxy}/healthz`).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(() => {
  nginx?.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
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
