// Request logs: one line per request with the request id that is also sent back;
// cached public reads go to debug so a spike does not flood the log.
import { Writable } from 'node:stream';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';

type Line = { level: number; msg: string; reqId?: string; url?: string; status?: number };
const lines: Line[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
    done();
  },
});
let server: TestServer;

beforeAll(async () => {
  const database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database, { deps: { logger: pino({ level: 'debug' }, sink) } });
});

/** The request's log lines, once there is one (the line is written when the answer has finished). */
const logged = async (url: string) => {
  const of = () => lines.filter((l) => l.msg === 'request' && l.url === url);
  await expect.poll(() => of().length).toBeGreaterThan(0);
  return of();
};

describe('request logs', () => {
  it('logs a staff request at info with the id sent back in X-Request-Id', async () => {
    const res = await fetch(`${server.url}/staff/sign-in`);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[\w-]{12}\.[0-9a-z]+$/);
    const [line] = await logged('/staff/sign-in');
    expect(line).toMatchObject({ level: 30, reqId: id, status: 200 });
  });

  it('keeps a well-formed incoming request id, and replaces a malformed one', async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'nginx-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('nginx-abc.123');
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id <x>' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id <x>');
  });

  it('logs a cached public read at debug, and a failed one at info', async () => {
    const ok = await fetch(`${server.url}/en/`);
    expect(ok.status).toBe(200);
    const [line] = await logged('/en/');
    expect(line).toMatchObject({ level: 20, reqId: ok.headers.get('x-request-id') });
    const missing = await fetch(`${server.url}/no-such-page`);
    expect(missing.status).toBe(404);
    const [miss] = await logged('/no-such-page');
    expect(miss).toMatchObject({ level: 30, status: 404 });
  });
});
