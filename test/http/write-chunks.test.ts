// A response written as it is made (writeChunks, src/routes/write-chunks.ts; the staff CSV
// export): every piece in order, the next piece asked for only when the client takes more,
// and a piece that fails after the status was sent cuts the connection rather than ending a
// file that would look whole.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { writeChunks } from '../../src/routes/write-chunks.ts';

let pulled = 0;
const failures: unknown[] = [];
const app = express();
app.get('/ok', async (_req, res) => {
  async function* pieces() {
    for (let i = 0; i < 5; i++) {
      await Promise.resolve(); // as a read between pieces would
      yield `line ${i}\n`;
    }
  }
  res.type('text/plain');
  await writeChunks(res, pieces());
});
app.get('/fails', async (_req, res) => {
  async function* pieces(): AsyncGenerator<string> {
    yield 'header\n';
    await Promise.resolve();
    throw new Error('the database went away');
  }
  res.type('text/plain');
  await writeChunks(res, pieces());
});
app.get('/large', async (_req, res) => {
  pulled = 0;
  async function* pieces() {
    for (let i = 0; i < 50; i++) {
      await Promise.resolve();
      pulled++;
      yield 'x'.repeat(1 << 20);
    }
  }
  await writeChunks(res, pieces());
});
app.use((err: unknown, _req: express.Request, _res: express.Response, _next: express.NextFunction) => {
  failures.push(err);
});
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('writeChunks', () => {
  it('writes every piece in order and ends the response', async () => {
    const res = await fetch(`${base}/ok`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('line 0\nline 1\nline 2\nline 3\nline 4\n');
  });

  it('answers HEAD with the headers of GET, its framing included, and makes no piece', async () => {
    pulled = -1;
    const head = await fetch(`${base}/large`, { method: 'HEAD' });
    expect(pulled).toBe(0); // the handler ran, and no piece was asked for
    const get = await fetch(`${base}/large`);
    await get.arrayBuffer();
    expect(head.headers.get('transfer-encoding')).toBe('chunked');
    expect(head.headers.get('transfer-encoding')).toBe(get.headers.get('transfer-encoding'));
  });

  it('cuts the connection when a piece fails after the status was sent, and passes the error on', async () => {
    // Cut before or after the status line reached the client: either way no whole answer.
    const outcome = await fetch(`${base}/fails`)
      .then((res) => res.text())
      .then(
        () => 'complete',
        () => 'cut',
      );
    expect(outcome).toBe('cut');
    await expect.poll(() => failures.length).toBe(1);
    expect((failures[0] as Error).message).toBe('the database went away');
  });

  it('asks for the next piece only when the client takes more', async () => {
    const body = await new Promise<http.IncomingMessage>((resolve) => http.get(`${base}/large`, resolve));
    body.pause(); // a client that does not read
    await new Promise((r) => setTimeout(r, 300));
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(20); // 50 MB made; a few MB fit in the socket's buffers
    let bytes = 0;
    body.on('data', (c: Buffer) => void (bytes += c.length));
    body.resume();
    await new Promise((r) => body.on('end', r));
    expect([pulled, bytes]).toEqual([50, 50 << 20]);
  });
});
