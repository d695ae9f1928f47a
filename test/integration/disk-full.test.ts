// A full disk says so: a save answers 503 "Nothing was saved" and writes
// nothing, /readyz answers 503 disk_full, the public page keeps being served,
// and everything works again once space is freed. The disk is a small tmpfs
// this test mounts (skipped where mounting is not allowed). Before: saves
// answered 500 `internal` and /readyz stayed 200 (on PGlite the process could
// hang for good on the next statement).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../scripts/pg-cluster.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { MailError, createOutboxMailer } from '../../src/mail/mailer.ts';
import { startTestServer } from '../support/app.ts';
import { usingPostgres } from '../support/db.ts';
import { counts, makeMovement, makeOperation, makeRoute, makeSource } from '../support/factories.ts';
import { signIn } from '../support/staff.ts';
import { waitForValue } from '../support/wait.ts';

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-disk-'));
const canMount =
  process.platform === 'linux' &&
  spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=160m', 'tmpfs', mountPoint]).status === 0;
afterAll(() => {
  if (canMount) spawnSync('umount', ['-l', mountPoint]);
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

/** Fill the disk, leaving about `leaveMb` free; returns a function that frees it again. */
function fill(leaveMb: number) {
  const filler = path.join(mountPoint, 'filler');
  const { bavail, bsize } = fs.statfsSync(mountPoint);
  const size = Math.max(0, bavail * bsize - leaveMb * 1024 * 1024);
  execFileSync('fallocate', ['-l', String(size), filler]);
  // Whatever fallocate could not take (rounding), a write takes.
  if (leaveMb === 0) spawnSync('sh', ['-c', `cat /dev/zero >> ${filler}`]);
  return () => fs.rmSync(filler, { force: true });
}

async function scenario(database: Database, leaveMb: number) {
  const op = await makeOperation(database.db);
  const source = await makeSource(database.db);
  const { route } = await makeRoute(database.db, op.id);
  const m = await makeMovement(
    database.db,
    route.id,
    { status: 'departed', departedAt: new Date(Date.now() - 3_600_000) },
    counts({ registered: { total: 500 } }),
  );
  const server = await startTestServer(database);
  const officer = await signIn(server, 'officer');
  const history = async () =>
    Number((await database.rows<{ n: string }>(sql`SELECT count(*) AS n FROM count_change_sets`))[0]!.n);
  const save = (version: number, total: number) =>
    officer.post(
      `/staff/movements/${m.id}/counts`,
      { version, 'registered.total': total, reason: 'disk test', source: source.id },
      { headers: { Accept: 'application/json' } },
    );
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  const before = await history();
  const free = fill(leaveMb);
  try {
    // PostgreSQL refuses only once its files must grow: a few saves may still fit.
    let refused: Response | undefined;
    // The version the refused save carried: still current (nothing was saved).
    let version = 1;
    for (let i = 0; i < 3000 && !refused; i++) {
      const res = await save(version, 600 + i);
      if (res.status === 200) version++;
      else refused = res;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get('retry-after')).toBe('5');
    const body = (await refused!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('disk_full');
    // The HTML form at the current version (a stale one would be a field-level merge or 409).
    const html = await officer.post(`/staff/movements/${m.id}/counts`, {
      version,
      'registered.total': 999,
      reason: 'disk test',
      source: source.id,
    });
    expect(html.status).toBe(503);
    expect(await html.text()).toContain('data-error="disk_full"');
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reason: string }).reason).toBe('disk_full');
    expect((await fetch(`${server.url}/?lang=en`)).status).toBe(200);
  } finally {
    free();
  }
  const saved = (await history()) - before;
  const [row] = await database.rows<{ version: number }>(
    sql`SELECT version FROM movements WHERE id = ${m.id}`,
  );
  expect(row!.version).toBe(1 + saved); // every refused save wrote nothing
  // The free space is measured at most every 250 ms: a save just after the space came back
  // may still be refused (503, nothing written, "try again shortly"), as a client would retry.
  const ok = await waitForValue(
    'a save accepted once space is free',
    () => save(row!.version, 4242),
    (res) => res.status !== 503,
  );
  expect(ok.status).toBe(200);
  await server.close();
}

describe.runIf(canMount && !usingPostgres())('a full disk under the embedded database', () => {
  it('refuses saves with 503 disk_full, says so on /readyz, and recovers', async () => {
    const database = await openDatabase({
      kind: 'pglite',
      dataDir: path.join(mountPoint, 'data'),
      diskReserveMb: 64,
    });
    await migrateDatabase(database);
    await scenario(database, 40);
    await database.close();
  }, 180_000);
});

describe.runIf(canMount && !usingPostgres())('a full outbox folder', () => {
  it('refuses the message as not delivered and leaves no partial file behind', async () => {
    const outbox = path.join(mountPoint, 'outbox');
    fs.mkdirSync(outbox, { recursive: true });
    const mailer = createOutboxMailer(outbox);
    const mail = {
      from: 'Corridor <digest@corridor.test>',
      to: 'a@example.org',
      subject: 'digest',
      text: 'x'.repeat(200_000),
      html: `<p>${'x'.repeat(200_000)}</p>`,
      messageId: '<t.1@corridor.test>',
      language: 'en',
      headers: {},
    };
    const free = fill(0);
    try {
      const err = await mailer.send(mail).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MailError);
      expect((err as MailError).maybeDelivered).toBe(false);
      expect((err as MailError).message).toContain('ENOSPC');
      expect(fs.readdirSync(outbox)).toEqual([]);
    } finally {
      free();
    }
    await mailer.send(mail);
    expect(fs.readdirSync(outbox).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  });
});

describe.runIf(canMount && usingPostgres())('a full disk under PostgreSQL', () => {
  let cluster: ThrowawayPostgres;
  beforeAll(async () => {
    cluster = await startThrowawayPostgres({ parentDir: mountPoint });
  }, 60_000);
  afterAll(() => cluster?.destroy());

  it('refuses saves with 503 disk_full, says so on /readyz, and recovers', async () => {
    const url = await cluster.createDatabase('corridor');
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
    await migrateDatabase(database);
    await scenario(database, 0);
    await database.close();
  }, 180_000);
});
