// Issue 11, point 3, on PostgreSQL with two app processes: the per-network sign-up limit
// (IPv6 /64, IPv4 /24) and the hourly ceiling on confirmation mails hold across both;
// above the ceiling sign-ups are accepted, their confirmations wait (logged, counted in
// /metrics) and either process's queue job sends them once the hour allows, each once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIRMATION_CEILING_KEY } from '../../src/domain/subscriptions.ts';
import { createTestDatabase, testDatabaseUrl, usingPostgres } from '../support/db.ts';
import { makeOperation } from '../support/factories.ts';
import { type AppProcess, startAppProcess } from '../support/processes.ts';
import { waitFor } from '../support/wait.ts';

const processes: AppProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-signup-limits-'));
afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

const mails = () =>
  ['a', 'b'].flatMap((name) => {
    const dir = path.join(tmp, name);
    return fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.eml'))
          .map((f) => path.join(dir, f))
      : [];
  });
const recipients = () =>
  mails()
    .map((f) => /^To: (.*)$/m.exec(fs.readFileSync(f, 'utf8'))?.[1]?.trim())
    .sort();

const deferredOn = async (p: AppProcess) => {
  const text = await (await fetch(`${p.url}/metrics`)).text();
  return Number(/corridor_signup_confirmations_total\{outcome="deferred"\} (\d+)/.exec(text)?.[1] ?? 0);
};

describe.runIf(usingPostgres())('sign-up limits across two app processes (PostgreSQL)', () => {
  it('hold per network and per hour, and the queue sends each waiting confirmation once', async () => {
    const database = await createTestDatabase();
    const operation = await makeOperation(database.db, { slug: 'two-processes' });
    const env = (name: string) => ({
      DATABASE_URL: testDatabaseUrl(database),
      PORT: '0',
      SMTP_URL: '',
      OUTBOX_DIR: path.join(tmp, name),
      SIGNUP_MAX_PER_IP: '4',
      SIGNUP_MAX_PER_ADDRESS: '3',
      CONFIRMATION_MAILS_PER_HOUR: '3',
      CONFIRMATION_QUEUE_INTERVAL_MS: '300',
    });
    const [a, b] = await Promise.all([startAppProcess(env('a')), startAppProcess(env('b'))]);
    processes.push(a, b);
    const signUp = (p: AppProcess, email: string, ip: string) =>
      fetch(`${p.url}/subscribe`, {
        method: 'POST',
        body: new URLSearchParams({ email, operation: operation.slug, scope: 'all' }),
        headers: { 'x-forwarded-for': ip },
      }).then(async (r) => (await r.arrayBuffer(), r.status));

    // Six hosts of one IPv6 /64, then six of one IPv4 /24, alternating between processes.
    const v6: number[] = [];
    const v4: number[] = [];
    for (let i = 1; i <= 6; i++)
      v6.push(await signUp(i % 2 ? a : b, `v6-${i}@example.org`, `2001:db8:aa:bb::${i}`));
    for (let i = 1; i <= 6; i++)
      v4.push(await signUp(i % 2 ? a : b, `v4-${i}@example.org`, `203.0.113.${i}`));
    expect(v6).toEqual([200, 200, 200, 200, 429, 429]);
    expect(v4).toEqual([200, 200, 200, 200, 429, 429]);
    // Another /64 of the same /48 is another network.
    expect(await signUp(a, 'other-64@example.org', '2001:db8:aa:bc::1')).toBe(200);

    // Nine accepted, three mailed (the ceiling), six waiting; counted on both processes.
    expect(recipients()).toEqual(['v6-1@example.org', 'v6-2@example.org', 'v6-3@example.org']);
    const queued = async () =>
      Number(
        (
          await database.rows<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM subscribers WHERE confirmation_queued_at IS NOT NULL`)
        )[0]!.n,
      );
    expect(await queued()).toBe(6);
    expect((await deferredOn(a)) + (await deferredOn(b))).toBe(6);
    expect(a.output() + b.output()).toContain('"code":"confirmation_deferred"');

    // A new hour: both queue jobs run, and together they send exactly three more.
    const newHour = () =>
      database.rows(sql`UPDATE rate_limits SET window_started_at = now() - interval '2 hours'
                        WHERE key = ${CONFIRMATION_CEILING_KEY} RETURNING key`);
    await newHour();
    await waitFor('three queued confirmations sent', () => mails().length === 6);
    // The queue jobs go on asking: each ask counts a hit on the ceiling (three sent, then
    // refusals). Six refusals in all means the jobs ran again and again at the ceiling.
    const ceilingHits = async () =>
      Number(
        (
          await database.rows<{ hits: number }>(sql`
        SELECT hits FROM rate_limits WHERE key = ${CONFIRMATION_CEILING_KEY}`)
        )[0]?.hits ?? 0,
      );
    await waitFor('six refused asks at the ceiling', async () => (await ceilingHits()) >= 3 + 6);
    expect(mails()).toHaveLength(6);
    expect(await queued()).toBe(3);
    await newHour();
    await waitFor('the rest sent', async () => mails().length === 9 && (await queued()) === 0);
    const all = recipients();
    expect(new Set(all).size).toBe(9); // nobody got two
    // The rate-limit table holds no address or network in clear.
    const keys = (await database.rows<{ key: string }>(sql`SELECT key FROM rate_limits`)).map((r) => r.key);
    expect(keys.filter((k) => /2001:db8|203\.0\.113|example\.org/.test(k))).toEqual([]);
  }, 180_000);
});
