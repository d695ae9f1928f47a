// The same-bytes baseline of bench:status: each entry's answer recorded once from the app
// (status, header list, body), then served by a bare node:http server with nothing else to
// do. Its req/s is what sending exactly those bytes costs on this machine; the app's ratio
// to it is the app's own per-request cost, which the hello world ratio mixes with the size.
import http from 'node:http';

/** One recorded answer: the header list as sent (minus what node adds itself), body base64. */
export type Recorded = { status: number; headers: string[]; body: string };

/** Node writes these itself, per connection or per request. */
const NODE_OWN = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** The app's answer to one request, as bytes: method, path and request headers as the entry sends them. */
export function record(url: string, method: 'GET' | 'HEAD', headers: string[]): Promise<Recorded> {
  const requestHeaders = Object.fromEntries(
    headers.map((h) => [h.slice(0, h.indexOf(':')).trim(), h.slice(h.indexOf(':') + 1).trim()]),
  );
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: requestHeaders }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const list: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          if (!NODE_OWN.has(res.rawHeaders[i]!.toLowerCase()))
            list.push(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        resolve({ status: res.statusCode!, headers: list, body: Buffer.concat(chunks).toString('base64') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Answers GET/HEAD /<i> with recorded[i] (node leaves out the body of a HEAD answer itself). */
export function replayHandler(recorded: Recorded[]): http.RequestListener {
  const answers = new Map(recorded.map((r, i) => [`/${i}`, { ...r, bytes: Buffer.from(r.body, 'base64') }]));
  return (req, res) => {
    const a = answers.get(req.url!);
    if (!a) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(a.status, a.headers);
    res.end(a.bytes);
  };
}

/**
 * The floor under bench:status's target: one answer's header list (validators, cache,
 * security headers, request id) around the hello world's 12-byte body. What a bare
 * node:http server pays for the headers every public answer must carry, with no app code.
 */
export function withHelloBody(answer: Recorded): Recorded {
  const body = Buffer.from('Hello World!');
  const headers: string[] = [];
  for (let i = 0; i < answer.headers.length; i += 2) {
    const name = answer.headers[i]!;
    if (name.toLowerCase() === 'content-encoding') continue;
    headers.push(
      name,
      name.toLowerCase() === 'content-length' ? String(body.length) : answer.headers[i + 1]!,
    );
  }
  return { status: 200, headers, body: body.toString('base64') };
}
