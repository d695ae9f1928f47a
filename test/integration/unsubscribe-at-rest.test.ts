// Issue 11, point 5: no unsubscribe token in clear at rest. The migration hashes the
// clear tokens of mails already sent (the same string) and drops the column, and those
// links keep working; new links carry a keyed MAC; forged ones are refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { subscriberOfToken, unsubscribeTokenOf } from '../../src/domain/unsubscribe-links.ts';
import { unsubscribe } from '../../src/domain/subscriptions.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateDatabase, migrationsFolder } from '../../src/store/migrate.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-unsub-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The committed migrations up to (not including) the one that hashes unsubscribe tokens. */
function migrationsBeforeHashing(): string {
  const out = path.join(dir, 'migrations');
  fs.mkdirSync(path.join(out, 'meta'), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const cut = journal.entries.findIndex((e) => e.tag.includes('unsubscribe_hash'));
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  fs.writeFileSync(path.join(out, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries)
    fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(out, `${e.tag}.sql`));
  return out;
}

describe('unsubscribe tokens at rest', () => {
  it('hashes the clear tokens of sent mails, drops the column, and the old links still work', async () => {
    const database = await openDatabase({ kind: 'pglite' });
    try {
      await migrate(database.db as unknown as PgliteDatabase, {
        migrationsFolder: migrationsBeforeHashing(),
      });
      const legacy = 'Zx9_legacy-token-from-a-mail-sent-before-0007-abc';
      await database.rows(
        sql`INSERT INTO operations (slug, names) VALUES ('op', '{"en":"Op"}') RETURNING id`,
      );
      await database.rows(sql`
        INSERT INTO subscribers (operation_id, email, language, status, unsubscribe_token)
        SELECT id, 'old@example.org', 'en', 'active', ${legacy} FROM operations RETURNING id`);
      await database.rows(sql`INSERT INTO rate_limits (key, hits, window_started_at)
                              VALUES ('signup:ip:203.0.113.9', 1, now()) RETURNING key`);
      await migrateDatabase(database);

      const columns = await database.rows<{ column_name: string }>(sql`
        SELECT column_name FROM information_schema.columns WHERE table_name = 'subscribers'`);
      expect(columns.map((c) => c.column_name)).not.toContain('unsubscribe_token');
      const [row] = await database.rows<{ id: number; unsubscribe_token_hash: string }>(
        sql`SELECT id, unsubscribe_token_hash FROM subscribers`,
      );
      expect(row!.unsubscribe_token_hash).toBe(createHash('sha256').update(legacy).digest('hex'));
      // Raw client addresses in rate-limit keys are gone.
      expect(await database.rows(sql`SELECT key FROM rate_limits`)).toEqual([]);

      const deps = { db: database.db, config: {} };
      expect((await subscriberOfToken(deps, legacy))?.id).toBe(row!.id);
      const keyed = await unsubscribeTokenOf(deps, row!.id);
      expect(keyed).not.toBe(legacy);
      expect((await subscriberOfToken(deps, keyed))?.id).toBe(row!.id);
      // A forged MAC, another subscriber's number, a malformed token: nothing.
      const forged = keyed.slice(0, -3) + (keyed.endsWith('AAA') ? 'BBB' : 'AAA');
      for (const bad of [forged, keyed.replace(/^u\d+/, `u${row!.id + 1}`), 'u1-x', '%', ''])
        expect(await subscriberOfToken(deps, bad)).toBeUndefined();
      // The legacy link unsubscribes; the table holds no token text.
      expect(await unsubscribe({ database, now: new Date(), config: {} }, legacy)).toMatchObject({
        id: row!.id,
      });
      const dump = JSON.stringify(await database.rows(sql`SELECT * FROM subscribers`));
      expect(dump).not.toContain(legacy);
      expect(dump).not.toContain(keyed);
    } finally {
      await database.close();
    }
  }, 120_000);
});
