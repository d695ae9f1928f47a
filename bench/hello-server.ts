// The baselines: an Express "hello world" on the same Node, measured the same way —
// and (HELLO=node) the same on Node's bare http module, for scale; and (HELLO=replay,
// REPLAY_FILE) a bare node:http server answering /<i> with the i-th recorded answer of the
// app — the same status, headers and bytes (see bench/replay.ts). The last one separates
// what any server pays to send those bytes from what the app itself does per request.
import fs from 'node:fs';
import http from 'node:http';
import express from 'express';
import { type Recorded, replayHandler } from './replay.ts';

const mode = process.env.HELLO ?? 'express';
const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => {
  res.send('Hello World!');
});
const port = Number(process.env.PORT ?? 3101);
const handlers: Record<string, () => http.RequestListener> = {
  express: () => app,
  node: () => (_req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end('Hello World!');
  },
  replay: () => replayHandler(JSON.parse(fs.readFileSync(process.env.REPLAY_FILE!, 'utf8')) as Recorded[]),
};
const server = http.createServer(handlers[mode]!());
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.send?.({ ready: true, port }));
process.on('SIGTERM', () => process.exit(0));
