// Uncertain digest deliveries: listed to any staff member; an admin's one-click
// "resend to these" requeues them with their own Message-ID and is recorded.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { drainRun } from '../../src/domain/digest/deliver.ts';
import { claimDigestRun } from '../../src/domain/digest/run.ts';
import type { Database } from '../../src/store/database.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import {
  type TestSmtp,
  deliveriesOf,
  drainDeps,
  makeSubscriber,
  perRecipient,
  smtpMailer,
  startSmtp,
} from '../support/digest.ts';
import { makeOperation } from '../support/factories.ts';
import { signIn } from '../support/staff.ts';

let database: Database;
let server: TestServer;
let smtp: TestSmtp;
const clock = fixedClock('2026-03-03T16:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { clock });
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

describe('uncertain deliveries', () => {
  it('are listed, and an admin resends them once, recorded, with the same Message-ID', async () => {
    const operation = await makeOperation(database.db);
    for (const email of ['u1@example.org', 'u2@example.org', 'ok@example.org'])
      await makeSubscriber(database, { operationId: operation.id, email, language: 'en' });
    const deps = drainDeps(database, clock, smtpMailer(smtp));
    const { run } = await claimDigestRun(deps, {
      operation,
      day: '2026-03-03',
      now: clock.now(),
      claimedBy: 't',
    });
    // Two were handed to the server and their outcome was never recorded.
    await database.rows(sql`
      UPDATE digest_deliveries SET status = 'uncertain', send_started_at = ${clock.now()}, attempts = 1
      WHERE run_id = ${run.id} AND email IN ('u1@example.org', 'u2@example.org') RETURNING id`);
    await drainRun(deps, run.id);
    expect(smtp.received).toHaveLength(1);
    const before = await deliveriesOf(database, run.id);
    const uncertain = before.filter((r) => r.status === 'uncertain');
    expect(uncertain).toHaveLength(2);

    const viewer = await signIn(server, 'viewer');
    const page = await viewer.get(`/staff/digest/uncertain?operation=${operation.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('u1@example.org');
    expect(html).toContain('u2@example.org');
    expect(html).not.toContain('ok@example.org');
    expect(html).toContain(uncertain[0]!.messageId!.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(html).not.toContain('data-action="resend"'); // viewers see, admins act
    expect(html).not.toContain('data-state="empty"');

    const form = (client: Awaited<ReturnType<typeof signIn>>) => {
      const body = new URLSearchParams({ _csrf: client.csrfToken, operation: operation.slug });
      for (const r of uncertain) body.append('id', String(r.id));
      return client.request('/staff/digest/uncertain/resend', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    };
    const officer = await signIn(server, 'officer');
    await officer.get('/staff/digest/uncertain');
    expect((await form(officer)).status).toBe(403);

    const admin = await signIn(server, 'admin');
    expect(await (await admin.get(`/staff/digest/uncertain?operation=${operation.slug}`)).text()).toContain(
      'data-action="resend"',
    );
    const res = await form(admin);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('resent=2');
    // Resending again does nothing: they are no longer uncertain.
    expect((await form(admin)).headers.get('location')).toContain('resent=0');

    const requeued = (await deliveriesOf(database, run.id)).filter((r) => r.resentAt);
    expect(requeued.map((r) => [r.status, r.resentBy])).toEqual([
      ['queued', admin.user.id],
      ['queued', admin.user.id],
    ]);
    const [audit] = await database.rows<{ action: string; actor_id: number; after: { count: number } }>(
      sql`SELECT action, actor_id, after FROM audit_events WHERE entity = 'digest_run' AND entity_id = ${run.id}`,
    );
    expect(audit).toMatchObject({ action: 'resend_uncertain', actor_id: admin.user.id, after: { count: 2 } });

    await drainRun(deps, run.id);
    await deps.mailer.close();
    const after = await deliveriesOf(database, run.id);
    expect(after.every((r) => r.status === 'sent')).toBe(true);
    expect([...perRecipient(smtp).values()]).toEqual([1, 1, 1]);
    const mails = await smtp.parsed();
    for (const r of uncertain)
      expect(mails.find((m) => (m.to as { text: string }).text === r.email)!.messageId).toBe(r.messageId);
    const empty = await (await viewer.get(`/staff/digest/uncertain?operation=${operation.slug}`)).text();
    expect(empty).toContain('data-state="empty"');
  });
});
