// What the hostile-input tests observe: every table as data (a refused request must
// leave it unchanged), every log line at level error or above (there must be none),
// and a signed-in client per role.
import { sql } from 'drizzle-orm';
import pino, { type Logger } from 'pino';
import type { Database } from '../../src/store/database.ts';

// Tables a refused request may legitimately touch: a session's last-seen time moves on
// every request, failed sign-ins count against their limit (that is their purpose), and
// a public build (a page read, or a rebuild after a signal) records what it published.
const VOLATILE = new Set([
  'sessions',
  'rate_limits',
  'disclosure_releases',
  'disclosure_printed',
  '__drizzle_migrations',
]);

/** Every table of the public schema, rows sorted, as JSON text: equal dumps = nothing written. */
export async function dumpTables(
  database: Database,
  exclude: string[] = [],
): Promise<Record<string, string>> {
  const tables = await database.rows<{ name: string }>(sql`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const dump: Record<string, string> = {};
  for (const { name } of tables) {
    if (VOLATILE.has(name) || exclude.includes(name)) continue;
    const rows = await database.rows(sql.raw(`SELECT * FROM "${name}"`));
    dump[name] = rows
      .map((r) => JSON.stringify(r))
      .sort()
      .join('\n');
  }
  return dump;
}

export type LogRecord = { level: number; msg?: string; err?: { message?: string; stack?: string } };

/** A logger that keeps every record at warn or above, for a test to inspect. */
export function capturingLogger(): { logger: Logger; records: LogRecord[]; errors(): LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = pino(
    { level: 'warn' },
    {
      write(line: string) {
        records.push(JSON.parse(line) as LogRecord);
      },
    },
  );
  return { logger, records, errors: () => records.filter((r) => r.level >= 50) };
}

/** A short description of the error records, for an assertion message. */
export const describeErrors = (records: LogRecord[]) =>
  records.map((r) => `${r.msg ?? ''}: ${r.err?.stack ?? r.err?.message ?? ''}`).join('\n');

/** One request with a raw path and headers (no client-side normalisation); its status and body. */
export async function rawRequest(
  baseUrl: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string } | undefined> {
  const { default: http } = await import('node:http');
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let req;
    try {
      req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: options.method,
          path: options.path,
          headers: options.headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
    } catch {
      resolve(undefined); // a request no client could send (Node refuses it before the wire)
      return;
    }
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Stopwatch and counter for a property run, printed so CI logs show run counts and durations. */
export function report(name: string, runs: number, started: number) {
  console.log(`fuzz ${name}: ${runs} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
