// A keep-alive load generator on node:http, for the one request wrk cannot measure: HEAD.
// wrk's parser does not know a response answers a HEAD, so it waits for the Content-Length
// bytes a correct HEAD response announces but never sends (RFC 9110 §9.3.2) and counts
// nothing. This client is slower than wrk, so its figures are only compared with each other:
// bench:status measures the bare hello world with it too and prints the ratio.
import http from 'node:http';

export type LoadResult = { rps: number; p50: number; p99: number; errors: number };

export async function nodeLoad(
  url: string,
  options: { method: 'GET' | 'HEAD'; headers: string[]; seconds: number; connections: number },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const headers = Object.fromEntries(
    options.headers.map((h) => [h.slice(0, h.indexOf(':')).trim(), h.slice(h.indexOf(':') + 1).trim()]),
  );
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + options.seconds * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const start = performance.now();
      const req = http.request(url, { method: options.method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200 && res.statusCode !== 304) errors++;
          latencies.push(performance.now() - start);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const loop = async () => {
    while (performance.now() < end) await once();
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / options.seconds, p50: at(0.5), p99: at(0.99), errors };
}
