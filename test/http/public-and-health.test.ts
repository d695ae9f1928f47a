import { beforeAll, describe, expect, it } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { createTestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { expectedMigrationCount } from '../../src/store/migrate.ts';

let server: TestServer;
beforeAll(async () => {
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database);
});

describe('GET /healthz and /readyz', () => {
  it('reports the process up and the database ready', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', migrations: expectedMigrationCount() });
  });
});

describe('GET /', () => {
  it('shows the reported figures with their sources', async () => {
    const res = await fetch(`${server.url}/?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('Middle East 2026');
    expect(html).toContain('Dubai → Oman → Kazakhstan');
    expect(html).toContain('Qatar → Riyadh → Jeddah → Kazakhstan');
    expect(html).toContain('Iran → Armenia (overland)');
    expect(html).toContain('Iran → Azerbaijan (overland)');
    expect(html).toContain('Iran → Turkmenistan (overland)');
    expect(html).toContain('306');
    expect(html).toContain('Deputy Foreign Minister Alibek Bakayev, government briefing');
    expect(html).toContain('Zakon.kz');
  });

  it('answers in Russian and Kazakh', async () => {
    const ru = await (await fetch(`${server.url}/?lang=ru`)).text();
    expect(ru).toContain('<html lang="ru">');
    expect(ru).toContain('Дубай → Оман → Казахстан');
    const kk = await (await fetch(`${server.url}/`, { headers: { 'accept-language': 'kk-KZ' } })).text();
    expect(kk).toContain('<html lang="kk">');
    expect(kk).toContain('Қазақстан');
  });

  it('answers an unknown path with a 404 page', async () => {
    const res = await fetch(`${server.url}/no-such-page`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<html');
  });
});
