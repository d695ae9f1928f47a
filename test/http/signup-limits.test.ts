// Issue 11, point 3, in-process on either database: the per-address limit counts across
// every operation (one address signed up to several operations gets at most
// SIGNUP_MAX_PER_ADDRESS mails), and above the hourly ceiling a sign-up is accepted, its
// confirmation waits and the queue sends it later with a working link.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { sendQueuedConfirmations } from '../../src/domain/confirmation-queue.ts';
import { createConfirmationComposer } from '../../src/mail/compose.ts';
import type { Database } from '../../src/store/database.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { type TestSmtp, smtpMailer, startSmtp } from '../support/digest.ts';
import { makeOperation } from '../support/factories.ts';

let database: Database;
let server: TestServer;
let smtp: TestSmtp;
const clock = fixedClock('2026-03-03T08:00:00Z');
let host = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtp();
  server = await startTestServer(database, {
    clock,
    config: { SIGNUP_MAX_PER_ADDRESS: '3', CONFIRMATION_MAILS_PER_HOUR: '4' },
    deps: { mailer: smtpMailer(smtp) },
  });
  return () => smtp.close();
});

const signUp = (email: string, operation: string) =>
  fetch(`${server.url}/subscribe`, {
    method: 'POST',
    body: new URLSearchParams({ email, operation, scope: 'all' }),
    headers: { 'x-forwarded-for': `2001:db8:${(++host).toString(16)}::1` },
  }).then(async (r) => (await r.arrayBuffer(), r.status));

const to = async (address: string) =>
  (await smtp.parsed()).filter((m) => (m.to as { text: string }).text === address);

describe('sign-up limits', () => {
  it('count one address across every operation', async () => {
    const slugs = [];
    for (let i = 0; i < 5; i++)
      slugs.push((await makeOperation(database.db, { slug: `limit-op-${i}` })).slug);
    for (const slug of slugs) expect(await signUp('many-ops@example.org', slug)).toBe(200);
    expect(await to('many-ops@example.org')).toHaveLength(3);
  });

  it('accept sign-ups above the hourly ceiling and send their confirmations later', async () => {
    const op = await makeOperation(database.db, { slug: 'ceiling-op' });
    const before = smtp.received.length;
    // The ceiling is 4 an hour and 3 were sent above: one more is mailed, the rest wait.
    for (let i = 0; i < 3; i++) expect(await signUp(`wait-${i}@example.org`, op.slug)).toBe(200);
    expect(smtp.received.length - before).toBe(1);
    const metrics = await server.deps.metrics.registry.getSingleMetricAsString(
      'corridor_signup_confirmations_total',
    );
    expect(metrics).toContain('outcome="deferred"} 2');
    const deps = {
      ...server.deps,
      now: clock.now(),
      composeConfirmation: createConfirmationComposer(server.deps.renderer),
    };
    expect(await sendQueuedConfirmations(deps)).toBe(0); // still the same hour
    clock.advance(3_600_000 + 1000);
    expect(await sendQueuedConfirmations({ ...deps, now: clock.now() })).toBe(2);
    const [mail] = await to('wait-2@example.org');
    // A queued confirmation's link carries the sign-up's language too.
    const link = /http:\/\/corridor\.test(\/(?:kk|ru|en)\/subscribe\/confirm\/[\w-]+)/.exec(mail!.text!)![1]!;
    expect((await fetch(`${server.url}${link}`, { method: 'POST' })).status).toBe(200);
    const [row] = await database.rows<{ status: string; q: unknown }>(sql`
      SELECT status, confirmation_queued_at AS q FROM subscribers WHERE email = 'wait-2@example.org'`);
    expect(row).toEqual({ status: 'active', q: null });
  });
});
