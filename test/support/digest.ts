// Digest test helpers: the drain's dependencies with a real mailer, and a real
// SMTP server on loopback that records what it receives (parsed with mailparser).
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Clock } from '../../src/clock.ts';
import type { DrainDeps } from '../../src/domain/digest/deliver.ts';
import { silentLogger } from '../../src/log.ts';
import { createDigestComposer } from '../../src/mail/compose.ts';
import { type Mailer, createOutboxMailer, createSmtpMailer } from '../../src/mail/mailer.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { Database } from '../../src/store/database.ts';
import { createRenderer } from '../../src/views.ts';

export const BASE_URL = 'http://corridor.test';

export type Received = { to: string[]; raw: Buffer; parsed?: ParsedMail };

export type TestSmtp = {
  url: string;
  port: number;
  received: Received[];
  /** Refuse every message with this SMTP reply code (e.g. 451) until cleared. */
  rejectWith: number | null;
  parsed(): Promise<ParsedMail[]>;
  /** No connection open and no message waiting for its answer: nothing more can arrive. */
  idle(): Promise<boolean>;
  close(): Promise<void>;
};

export async function startSmtp(options: { port?: number; delayMs?: number } = {}): Promise<TestSmtp> {
  const state: TestSmtp = {
    url: '',
    port: 0,
    received: [],
    rejectWith: null,
    parsed: async () =>
      Promise.all(state.received.map(async (r) => (r.parsed ??= await simpleParser(r.raw)))),
    idle: async () =>
      answering === 0 &&
      (await new Promise<number>((resolve) => server.server.getConnections((_err, n) => resolve(n)))) === 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  let answering = 0;
  const server = new SMTPServer({
    // close() waits this long for open connections (a mailer's pooled ones stay open) before
    // it ends them: smtp-server's 30 s default held every file's teardown for seconds.
    closeTimeout: 250,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      const answer = async () => {
        // A slow server: the message sits unanswered, as when a process dies mid-conversation.
        if (options.delayMs) {
          answering++;
          await new Promise((r) => setTimeout(r, options.delayMs));
          answering--;
        }
        if (state.rejectWith) {
          const err = Object.assign(new Error('refused by the test'), { responseCode: state.rejectWith });
          callback(err);
          return;
        }
        state.received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      };
      stream.on('end', () => void answer());
    },
  });
  // A client killed mid-conversation resets its socket: expected here, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://127.0.0.1:${state.port}`;
  return state;
}

export function drainDeps(
  database: Database,
  clock: Clock,
  mailer: Mailer,
): DrainDeps & { metrics: ReturnType<typeof createMetrics> } {
  return {
    database,
    clock,
    mailer,
    logger: silentLogger,
    metrics: createMetrics(),
    composeDigest: createDigestComposer(createRenderer(), BASE_URL),
    config: { PUBLIC_BASE_URL: BASE_URL, MAIL_FROM: 'Corridor <digest@corridor.test>' },
  };
}

export const smtpMailer = (smtp: TestSmtp, timeoutMs = 5_000) =>
  createSmtpMailer({ url: smtp.url, poolSize: 3, timeoutMs });
export { createOutboxMailer };

/** An active subscriber, as if confirmed. */
export async function makeSubscriber(
  database: Database,
  values: {
    operationId: number;
    email: string;
    language: 'kk' | 'ru' | 'en';
    audience?: 'public' | 'staff';
    routeIds?: number[];
  },
) {
  const { subscribers, subscriberRoutes } = await import('../../db/schema.ts');
  const [row] = await database.db
    .insert(subscribers)
    .values({
      operationId: values.operationId,
      email: values.email,
      language: values.language,
      audience: values.audience ?? 'public',
      allRoutes: !values.routeIds,
      status: 'active',
      confirmedAt: new Date(),
    })
    .returning();
  if (values.routeIds?.length)
    await database.db
      .insert(subscriberRoutes)
      .values(values.routeIds.map((routeId) => ({ subscriberId: row!.id, routeId })));
  return row!;
}

export async function deliveriesOf(database: Database, runId: number) {
  const { digestDeliveries } = await import('../../db/schema.ts');
  const { eq } = await import('drizzle-orm');
  return database.db
    .select()
    .from(digestDeliveries)
    .where(eq(digestDeliveries.runId, runId))
    .orderBy(digestDeliveries.id);
}

/** How many messages each address received. */
export function perRecipient(smtp: TestSmtp): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of smtp.received) for (const to of r.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/** The reported figures were true on the report's date (3 March 2026, 00:00 local): record them then. */
export async function backdateSeed(database: Database) {
  const { sql } = await import('drizzle-orm');
  const reported = new Date('2026-03-02T19:00:00Z');
  for (const table of ['movements', 'passenger_counts', 'routes', 'legs', 'operations'])
    await database.rows(sql`UPDATE ${sql.identifier(table)} SET updated_at = ${reported} RETURNING 1`);
}
