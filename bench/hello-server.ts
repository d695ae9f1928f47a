// The baseline: an Express "hello world" on the same Node, measured the same way.
import http from 'node:http';
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => {
  res.send('Hello World!');
});
const port = Number(process.env.PORT ?? 3101);
const server = http.createServer(app);
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.send?.({ ready: true, port }));
process.on('SIGTERM', () => process.exit(0));
