// GET /metrics: who may read it, and what it reports.
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/db.ts';
import { startTestServer } from '../support/app.ts';

const database = await createTestDatabase();

describe('GET /metrics', () => {
  it('answers a direct loopback request with durations by route pattern and pool gauges', async () => {
    const server = await startTestServer(database);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await fetch(`${server.url}/no/such/page/123`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(body).toMatch(
      /corridor_http_request_duration_seconds_count\{route="\/readyz",method="GET",status="200"\} 1/,
    );
    // An unmatched URL is one label value, not one per URL.
    expect(body).toMatch(/route="unmatched",method="GET",status="404"/);
    expect(body).not.toContain('/no/such/page');
    expect(body).toMatch(/corridor_db_pool_connections\{state="total"\} \d+/);
    expect(body).toMatch(/corridor_database_up 1/);
    expect(body).toMatch(/corridor_stale_routes \d+/);
    expect(body).toContain('corridor_count_updates_total');
    expect(body).toContain('corridor_public_cache_total');
    expect(body).toContain('corridor_digest_deliveries_total');
  });

  it('refuses a request relayed by a proxy on loopback when no token is configured', async () => {
    const server = await startTestServer(database);
    const res = await fetch(`${server.url}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('corridor_');
  });

  it('with METRICS_TOKEN, a relayed request needs the bearer token', async () => {
    const token = 'metrics-token-0123456789';
    const server = await startTestServer(database, { config: { METRICS_TOKEN: token } });
    const proxied = { 'X-Forwarded-For': '203.0.113.9' };
    expect((await fetch(`${server.url}/metrics`, { headers: proxied })).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, {
      headers: { ...proxied, Authorization: 'Bearer metrics-token-0123456780' },
    });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, {
      headers: { ...proxied, Authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('corridor_http_request_duration_seconds');
  });
});
