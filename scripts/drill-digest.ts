// The drill's digest lane (issue 19): a digest run is sending, one message at a
// time to a slow SMTP sink that counts what each recipient receives, when
// PostgreSQL is restarted; after the restart the run is started again, as an
// operator would. Reports deliveries sent, uncertain and duplicated (a recipient
// who received the same digest twice) — duplicated must be 0 — and checks that
// what the database says was sent is what the sink received.
import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { repoRoot } from './app-process.ts';

export type DigestLane = {
  /** Starts the first run; resolves once it has sent `warmup` messages (so the restart hits it mid-run). */
  start(warmup: number): Promise<void>;
  /** Waits for the first run, runs the digest again (PostgreSQL is back) and reports. */
  finish(): Promise<{ text: string; ok: boolean }>;
  close(): void;
};

function runDigestCli(env: Record<string, string>, day: string, output: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/digest.ts', '--date', day, '--operation', 'drill', '--concurrency', '1'],
    {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', SEED_ON_EMPTY: 'false', ...env },
      stdio: 'pipe',
    },
  );
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  return child;
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

/** Subscribers of operation `drill` and a counting sink taking `delayMs` per message. */
export async function prepareDigestLane(
  url: string,
  options: { subscribers: number; delayMs: number; day: string },
): Promise<DigestLane> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO subscribers (operation_id, email, language, audience, all_routes, status, unsubscribe_token_hash)
       SELECT o.id, 'drill' || i || '@example.org', (ARRAY['kk','ru','en'])[1 + i % 3], 'public', true, 'active',
              md5(i::text) || md5((i * 7)::text)
       FROM generate_series(1, $1::int) AS i, operations o WHERE o.slug = 'drill'`,
      [options.subscribers],
    );
  } finally {
    await client.end();
  }
  const received = new Map<string, number>();
  let total = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      stream.on('data', () => {});
      stream.on('end', () =>
        setTimeout(() => {
          for (const r of session.envelope.rcptTo)
            received.set(r.address, (received.get(r.address) ?? 0) + 1);
          total++;
          for (const w of waiters.filter((x) => total >= x.n)) w.resolve();
          done();
        }, options.delayMs),
      );
    },
  });
  sink.on('error', () => {});
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const env = {
    DATABASE_URL: url,
    SMTP_URL: `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`,
    MAIL_FROM: 'Corridor <digest@corridor.test>',
  };
  const outputs: string[][] = [[], []];
  let first: ChildProcess | undefined;

  return {
    async start(warmup) {
      first = runDigestCli(env, options.day, outputs[0]!);
      await Promise.race([
        new Promise<void>((resolve) => waiters.push({ n: warmup, resolve })),
        exitOf(first).then(() => {}),
      ]);
    },
    async finish() {
      const firstExit = first ? await exitOf(first) : null;
      const secondExit = await exitOf(runDigestCli(env, options.day, outputs[1]!));
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      let rows: { email: string; status: string }[];
      try {
        rows = (
          await db.query<{ email: string; status: string }>(
            `SELECT d.email, d.status FROM digest_deliveries d JOIN digest_runs r ON r.id = d.run_id
             JOIN operations o ON o.id = r.operation_id WHERE o.slug = 'drill' AND r.day = $1`,
            [options.day],
          )
        ).rows;
      } finally {
        await db.end();
      }
      const byStatus = new Map<string, number>();
      for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      const duplicated = [...received.values()].filter((n) => n > 1).length;
      // Marked sent but never received, or received but marked neither sent nor uncertain: the record lies.
      const sentNotReceived = rows.filter((r) => r.status === 'sent' && !received.has(r.email)).length;
      const receivedUnrecorded = rows.filter(
        (r) => received.has(r.email) && r.status !== 'sent' && r.status !== 'uncertain',
      ).length;
      const held =
        (byStatus.get('queued') ?? 0) + (byStatus.get('claimed') ?? 0) + (byStatus.get('sending') ?? 0);
      const ok = duplicated === 0 && sentNotReceived === 0 && receivedUnrecorded === 0;
      const lastLine = (out: string[]) =>
        out
          .join('')
          .trim()
          .split('\n')
          .filter((l) => /this run sent|all deliveries|STOPPED/.test(l))
          .join(' | ');
      const text = `  digest lane: ${options.subscribers} subscribers, one message at a time, sink ${options.delayMs} ms a message
    run during the restart (exit ${firstExit}): ${lastLine(outputs[0]!) || '(no summary)'}
    run again afterwards (exit ${secondExit}): ${lastLine(outputs[1]!) || '(no summary)'}
    deliveries: sent ${byStatus.get('sent') ?? 0}, uncertain ${byStatus.get('uncertain') ?? 0}, failed ${(byStatus.get('failed') ?? 0) + (byStatus.get('gave_up') ?? 0)}, still held by a lease or queued ${held}
    sink received ${total} messages for ${received.size} recipients; duplicated: ${duplicated}
    records agree with the sink: ${sentNotReceived === 0 && receivedUnrecorded === 0 ? 'yes' : `no (${sentNotReceived} marked sent but not received, ${receivedUnrecorded} received but not recorded)`}
    digest result: ${ok ? 'PASSED: nobody received it twice' : 'FAILED'}`;
      return { text, ok };
    },
    close() {
      if (first && first.exitCode === null) first.kill('SIGTERM');
      sink.close();
    },
  };
}
