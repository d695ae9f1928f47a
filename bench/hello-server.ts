// The baselines: an Express "hello world" on the same Node, measured the same way —
// and (HELLO=node) the same on Node's bare http module, for scale.
import http from 'node:http';
import express from 'express';

const bare = process.env.HELLO === 'node';
const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => {
  res.send('Hello World!');
});
const port = Number(process.env.PORT ?? 3101);
const server = bare
  ? http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end('Hello World!');
    })
  : http.createServer(app);
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.send?.({ ready: true, port }));
process.on('SIGTERM', () => process.exit(0));
