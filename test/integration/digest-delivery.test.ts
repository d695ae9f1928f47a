// Sending the digest to a real SMTP server on loopback: parts, language and
// headers; SMTP down; a crash after claiming; unsubscribe; two runs at once.
import { unsubscribeTokenOf } from '../../src/domain/unsubscribe-links.ts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { LEASE_MS, drainRun } from '../../src/domain/digest/deliver.ts';
import { claimDigestRun, runDueDigests } from '../../src/domain/digest/run.ts';
import { unsubscribe } from '../../src/domain/subscriptions.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { findOperationBySlug } from '../../src/store/repositories/catalog.ts';
import { claimNextDelivery, markSending } from '../../src/store/repositories/digest-deliveries.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { makeOperation, makeRoute } from '../support/factories.ts';
import {
  type TestSmtp,
  backdateSeed,
  deliveriesOf,
  drainDeps,
  makeSubscriber,
  perRecipient,
  smtpMailer,
  startSmtp,
} from '../support/digest.ts';

let database: Database;
let smtp: TestSmtp;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  await backdateSeed(database);
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

const tick = (deps: ReturnType<typeof drainDeps>) => runDueDigests(deps, { claimedBy: 'test' });

describe('a digest run over SMTP', () => {
  it('delivers each recipient one message in their language, with both parts and unsubscribe headers', async () => {
    const operation = (await findOperationBySlug(database.db, 'middle-east-2026'))!;
    await database.rows(
      sql`UPDATE routes SET staff_note = 'STAFF-ONLY: bus company contact' WHERE slug = 'dubai-oman' RETURNING id`,
    );
    const [oman] = await database.rows<{ id: number }>(sql`SELECT id FROM routes WHERE slug = 'dubai-oman'`);
    await makeSubscriber(database, {
      operationId: operation.id,
      email: 'family@example.org',
      language: 'en',
    });
    await makeSubscriber(database, {
      operationId: operation.id,
      email: 'press@example.org',
      language: 'ru',
      routeIds: [oman!.id],
    });
    await makeSubscriber(database, {
      operationId: operation.id,
      email: 'ministry@example.org',
      language: 'kk',
      audience: 'staff',
    });
    const clock = fixedClock('2026-03-03T15:01:00Z'); // 20:01 in Almaty
    const mailer = smtpMailer(smtp);
    const deps = drainDeps(database, clock, mailer);
    const first = await tick(deps);
    expect(first.claimed).toEqual([{ operationId: operation.id, day: '2026-03-03', queued: 3 }]);
    expect(await tick(deps)).toMatchObject({ claimed: [] }); // claimed once; nothing left to send
    await mailer.close();

    const mails = await smtp.parsed();
    expect(mails).toHaveLength(3);
    expect([...perRecipient(smtp).values()]).toEqual([1, 1, 1]);
    const by = (addr: string) => mails.find((m) => (m.to as { text: string }).text === addr)!;
    const en = by('family@example.org');
    expect(en.subject).toBe('Middle East 2026: daily summary for 3 March 2026');
    expect(en.text).toContain('Arrived home in total: at least 306');
    expect(en.html).toContain('<html lang="en">');
    expect(en.headers.get('content-language')).toBe('en');
    const header = (name: string) =>
      en.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '') ?? '';
    const unsub = header('list-unsubscribe');
    // In the recipient's language, as the page it opens (src/public/urls.ts signUpPath).
    expect(unsub).toMatch(/^<http:\/\/corridor\.test\/en\/subscribe\/unsubscribe\/[\w-]{40,}>$/);
    // Over http and unsigned, one-click (RFC 8058) is not advertised: test/integration/mail-dkim.test.ts.
    expect(header('list-unsubscribe-post')).toBe('');
    expect(header('message-id')).toMatch(/^<digest-2026-03-03\.\w{16}\.\d+@corridor\.test>$/);
    expect(en.text).toContain(unsub.slice(1, -1));
    expect(en.text).not.toContain('STAFF-ONLY');
    expect(en.html).not.toContain('STAFF-ONLY');
    const ru = by('press@example.org');
    expect(ru.subject).toBe('Ближний Восток 2026: сводка за 3 марта 2026 г.');
    expect(ru.headers.get('content-language')).toBe('ru');
    expect(ru.text).toContain('Дубай → Оман → Казахстан');
    expect(ru.text).not.toContain('Катар → Эр-Рияд'); // only the chosen route's section
    const ruUnsub = ru.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    expect(ruUnsub).toMatch(/<http:\/\/corridor\.test\/ru\/subscribe\/unsubscribe\//);
    const kk = by('ministry@example.org');
    expect(kk.subject).toBe('[Қызметкерлерге] Таяу Шығыс 2026: 2026 ж. 3 наурыз күнгі жиынтық');
    expect(kk.text).toContain('STAFF-ONLY: bus company contact');
    for (const m of mails) {
      // No address but the recipient's own appears anywhere in a message.
      const others = ['family@example.org', 'press@example.org', 'ministry@example.org'].filter(
        (a) => a !== (m.to as { text: string }).text,
      );
      for (const a of others) expect(`${m.text}${m.html}`).not.toContain(a);
    }
    const rows = await deliveriesOf(database, first.drained[0]!.runId);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
    expect(rows.every((r) => r.messageId && r.sentAt)).toBe(true);
    expect(
      (await deps.metrics.digestDeliveries.get()).values.find((v) => v.labels.outcome === 'sent')?.value,
    ).toBe(3);
  });

  it('records failures while SMTP is down, retries later and sends nobody twice', async () => {
    const operation = await makeOperation(database.db);
    await makeRoute(database.db, operation.id);
    for (let i = 0; i < 5; i++)
      await makeSubscriber(database, {
        operationId: operation.id,
        email: `down${i}@example.org`,
        language: 'en',
      });
    const down = await startSmtp();
    await down.close(); // nothing listens on its port any more
    const clock = fixedClock('2026-03-05T15:00:00Z');
    const deadDeps = drainDeps(database, clock, smtpMailer(down, 1_000));
    const claim = await claimDigestRun(deadDeps, {
      operation,
      day: '2026-03-05',
      now: clock.now(),
      claimedBy: 't',
    });
    const failed = await drainRun(deadDeps, claim.run.id);
    // The pass stops at the first connection failure (each of the 4 workers had one in flight).
    expect(failed).toMatchObject({ sent: 0, halted: true });
    const f = failed.failed;
    expect(f).toBeGreaterThanOrEqual(1);
    expect(f).toBeLessThanOrEqual(4);
    let rows = await deliveriesOf(database, claim.run.id);
    expect(rows.filter((r) => r.status === 'failed')).toHaveLength(f);
    for (const r of rows.filter((x) => x.status === 'failed')) {
      expect(r.lastError).toMatch(/ECONN|connect/i);
      expect(r.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 60_000);
    }
    expect(rows.filter((r) => r.status === 'queued')).toHaveLength(5 - f);

    const back = await startSmtp();
    const liveDeps = drainDeps(database, clock, smtpMailer(back));
    expect(await drainRun(liveDeps, claim.run.id)).toMatchObject({ sent: 5 - f }); // the failed wait their backoff
    clock.advance(61_000);
    expect(await drainRun(liveDeps, claim.run.id)).toMatchObject({ sent: f });
    expect(await drainRun(liveDeps, claim.run.id)).toMatchObject({ sent: 0 });
    rows = await deliveriesOf(database, claim.run.id);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows.filter((r) => r.attempts === 2)).toHaveLength(f);
    expect([...perRecipient(back).values()]).toEqual([1, 1, 1, 1, 1]);
    await liveDeps.mailer.close();
    await back.close();
  });

  it('after a crash, requeues what was only claimed and never resends what was about to be sent', async () => {
    const operation = await makeOperation(database.db);
    for (let i = 0; i < 5; i++)
      await makeSubscriber(database, {
        operationId: operation.id,
        email: `crash${i}@example.org`,
        language: 'ru',
      });
    const sink = await startSmtp();
    const clock = fixedClock('2026-03-06T15:00:00Z');
    const deps = drainDeps(database, clock, smtpMailer(sink));
    const { run } = await claimDigestRun(deps, {
      operation,
      day: '2026-03-06',
      now: clock.now(),
      claimedBy: 't',
    });
    // A process claims two, records "about to send" for one of them, and dies.
    const lease = { until: new Date(clock.now().getTime() + LEASE_MS), token: 'dead-process' };
    const inFlight = (await claimNextDelivery(database, run.id, clock.now(), lease))!;
    const onlyClaimed = (await claimNextDelivery(database, run.id, clock.now(), lease))!;
    const marked = await markSending(
      database,
      [{ id: inFlight.id, token: 'dead-process', fallbackMessageId: '<x@y>' }],
      clock.now(),
    );
    expect(marked.get(inFlight.id)?.messageId).toBe(inFlight.messageId); // fixed at creation
    expect(await drainRun(deps, run.id)).toMatchObject({ sent: 3, uncertain: 0 });
    clock.advance(LEASE_MS + 1_000);
    expect(await drainRun(deps, run.id)).toMatchObject({ sent: 1, uncertain: 1, requeued: 1 });
    const rows = await deliveriesOf(database, run.id);
    expect(rows.find((r) => r.id === inFlight.id)!.status).toBe('uncertain');
    expect(rows.find((r) => r.id === onlyClaimed.id)!.status).toBe('sent');
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(4);
    expect(sink.received).toHaveLength(4);
    expect(perRecipient(sink).has(inFlight.email!)).toBe(false);
    await deps.mailer.close();
    await sink.close();
  });

  it('skips an address that unsubscribed, in the current run and the next', async () => {
    const operation = await makeOperation(database.db);
    const stay = await makeSubscriber(database, {
      operationId: operation.id,
      email: 'stay@example.org',
      language: 'en',
    });
    const leave = await makeSubscriber(database, {
      operationId: operation.id,
      email: 'leave@example.org',
      language: 'en',
    });
    const sink = await startSmtp();
    const clock = fixedClock('2026-03-07T15:00:00Z');
    const deps = drainDeps(database, clock, smtpMailer(sink));
    const { run } = await claimDigestRun(deps, {
      operation,
      day: '2026-03-07',
      now: clock.now(),
      claimedBy: 't',
    });
    const leaveToken = await unsubscribeTokenOf({ db: database.db, config: deps.config }, leave.id);
    await unsubscribe({ database, now: clock.now(), config: deps.config }, leaveToken);
    expect(await drainRun(deps, run.id)).toMatchObject({ sent: 1, skipped: 1 });
    clock.advance(24 * 3_600_000);
    const next = await claimDigestRun(deps, {
      operation,
      day: '2026-03-08',
      now: clock.now(),
      claimedBy: 't',
    });
    expect(next.queued).toBe(1);
    await drainRun(deps, next.run.id);
    expect(perRecipient(sink)).toEqual(new Map([[stay.email, 2]]));
    await deps.mailer.close();
    await sink.close();
  });

  it('two processes ticking at the same moment: one run, each recipient exactly one message', async () => {
    const operation = await makeOperation(database.db);
    for (let i = 0; i < 40; i++)
      await makeSubscriber(database, {
        operationId: operation.id,
        email: `twice${i}@example.org`,
        language: 'kk',
      });
    const sink = await startSmtp();
    const clock = fixedClock('2026-03-09T15:00:00Z');
    // On PostgreSQL the second "process" has its own connection pool.
    const other = usingPostgres()
      ? await openDatabase({ kind: 'postgres', url: testDatabaseUrl(database), poolSize: 5 })
      : database;
    const a = drainDeps(database, clock, smtpMailer(sink));
    const b = drainDeps(other, clock, smtpMailer(sink));
    const [ra, rb] = await Promise.all([
      runDueDigests(a, { claimedBy: 'a', concurrency: 3 }),
      runDueDigests(b, { claimedBy: 'b', concurrency: 3 }),
    ]);
    const mine = (r: typeof ra) => r.claimed.filter((c) => c.operationId === operation.id);
    expect(mine(ra).length + mine(rb).length).toBe(1);
    const counts = perRecipient(sink);
    const ours = [...counts].filter(([addr]) => addr.startsWith('twice'));
    expect(ours).toHaveLength(40);
    expect(ours.every(([, n]) => n === 1)).toBe(true);
    await a.mailer.close();
    await b.mailer.close();
    if (other !== database) await other.close();
    await sink.close();
  });
});
