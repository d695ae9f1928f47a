// The PGlite test databases of one worker, started once and lent out again, emptied.
// Starting a PGlite from the template (untar 40 MB into its memory file system, start
// PostgreSQL) costs about 1.4 s of CPU; emptying one that a previous file used (TRUNCATE
// of the tables written to, sequences put back) costs a few tens of milliseconds. The fast files
// share their workers (vitest.config.ts), so a worker opens only as many PGlites as one
// file holds open at once.
//
// What a file gets is indistinguishable from a fresh copy of the template, as far as the
// app can see:
// - every table empty and every sequence where the template had it;
// - the session reset (DISCARD ALL: settings, temporary tables, advisory locks, LISTEN);
// - a PGlite that was changed beyond its rows (a table, a function, a migration added or
//   dropped, a transaction left open) is not lent again: it is closed, and a new one started;
// - a lent PGlite that is closed is closed for its holder: every later query fails with
//   PGlite's own "PGlite is closed", as a closed fresh one would (the tests of the
//   database going away rely on it), and its listeners are removed.
import { PGlite } from '@electric-sql/pglite';
import { pgliteStartParams } from '../../src/store/database.ts';
import { startPgliteThread } from '../../src/store/pglite-thread.ts';

/** More idle PGlites than this per worker are closed (each holds its WASM heap, 150 MB or more). */
const MAX_IDLE = 2;

/**
 * Emptying takes milliseconds; a PGlite that takes longer is still busy with its last file's
 * work (a transaction left waiting holds it): it is left behind, and a new one started.
 */
const EMPTY_DEADLINE_MS = 10_000;

/** What a copy of the template is emptied back to, read once per worker from a fresh one. */
type Template = {
  migrations: number;
  /** Each table, with the tables whose foreign keys point at it (TRUNCATE needs them together). */
  referencedBy: Map<string, string[]>;
  /** setval() of every sequence to the template's value. */
  sequences: string;
};

type Pooled = { client: PGlite; template: Template };

const idle: Pooled[] = [];
let template: Template | undefined;
let started = 0;

/** How many PGlites this worker has started (the rest of its test databases were lent again). */
export const pglitesStarted = () => started;

/** A PGlite holding exactly the template's contents, lent until its close(). */
export async function lendPglite(loadDataDir: () => Blob): Promise<PGlite> {
  while (idle.length) {
    const pooled = idle.pop()!;
    if (await withDeadline(emptied(pooled), EMPTY_DEADLINE_MS)) return lend(pooled);
    // Not awaited: a PGlite still busy with a transaction its file left waiting would never close.
    void pooled.client.close().catch(() => undefined);
  }
  // On a thread of its own, as the server runs it (src/store/pglite-thread.ts), unless
  // CORRIDOR_TEST_PGLITE_THREAD=false (on the test's thread: to compare, or to bisect).
  const settings = { loadDataDir: loadDataDir(), startParams: await pgliteStartParams() };
  const client =
    process.env.CORRIDOR_TEST_PGLITE_THREAD === 'false'
      ? new PGlite(settings)
      : await startPgliteThread(settings);
  await client.waitReady;
  started++;
  template ??= await readTemplate(client);
  await client.exec(WATCH_DDL);
  return lend({ client, template });
}

/**
 * Any DDL (a table, column, default, trigger, function... created, altered or dropped,
 * committed) sets a session setting, read before the next lend. An event trigger rather
 * than a comparison of the catalogues: reading those costs more than emptying the tables.
 * A CREATE ... IF NOT EXISTS that finds the object (the migrator's, on a migrated
 * database) collects no command and is not counted; a rolled-back one is undone with it.
 */
const WATCH_DDL = `
  CREATE SCHEMA corridor_test;
  CREATE FUNCTION corridor_test.ddl_end() RETURNS event_trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands()) THEN
      PERFORM set_config('corridor_test.changed', 'yes', false);
    END IF;
  END $$;
  CREATE FUNCTION corridor_test.dropped() RETURNS event_trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM set_config('corridor_test.changed', 'yes', false);
  END $$;
  CREATE EVENT TRIGGER corridor_test_ddl_end ON ddl_command_end EXECUTE FUNCTION corridor_test.ddl_end();
  CREATE EVENT TRIGGER corridor_test_dropped ON sql_drop EXECUTE FUNCTION corridor_test.dropped();
  SELECT set_config('corridor_test.changed', '', false);`;

/** Back to the template's contents; false when it cannot be (it is then not lent again). */
async function emptied({ client, template }: Pooled): Promise<boolean> {
  try {
    const { rows } = await client.query<{ changed: boolean; migrations: number; used: string[] }>(`
      SELECT coalesce(current_setting('corridor_test.changed', true), '') = 'yes' AS changed,
        (SELECT count(*)::int FROM drizzle.__drizzle_migrations) AS migrations,
        array(${TABLES} AND pg_relation_size(c.oid) > 0) AS used`);
    const { changed, migrations, used } = rows[0]!;
    if (changed || migrations !== template.migrations) return false;
    // Settings, temporary tables, advisory locks, LISTEN. Refused inside a transaction
    // block: a transaction left open is not reused.
    await client.exec('DISCARD ALL');
    // A table that was never written to has no page; one written to and emptied is emptied again.
    const truncate = new Set<string>();
    const add = (table: string) => {
      if (truncate.has(table)) return;
      truncate.add(table);
      for (const other of template.referencedBy.get(table) ?? []) add(other);
    };
    used.forEach(add);
    await client.exec((truncate.size ? `TRUNCATE ${[...truncate].join(', ')};` : '') + template.sequences);
    return true;
  } catch {
    return false;
  }
}

/** The tables a test may fill: all but the catalogues, drizzle's record of the migrations and ours. */
const TABLES = `
  SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'drizzle', 'corridor_test')
    AND n.nspname NOT LIKE 'pg_%'`;

function lend(pooled: Pooled): PGlite {
  const { client } = pooled;
  let returned = false;
  // What the holder sets on its PGlite (openDatabase wraps query, exec and transaction so
  // that queries take turns, src/store/pglite-turns.ts) is the holder's: kept here, never
  // on the PGlite itself. Set there, the first holder's wrappers outlived its lend, every
  // later lend's first query failed with "PGlite is closed", and each test database was a
  // new PGlite again (~0.4–1.4 s of CPU each, the whole loop's time for weeks).
  const own = new Map<PropertyKey, unknown>();
  const unlisteners = new Set<() => Promise<void>>();
  const closed = () => Promise.reject(new Error('PGlite is closed'));
  async function giveBack() {
    if (returned) return;
    returned = true;
    await Promise.all([...unlisteners].map((unlisten) => unlisten().catch(() => undefined)));
    if (client.closed) return;
    if (idle.length < MAX_IDLE) idle.push(pooled);
    else await client.close();
  }
  async function listen(...args: Parameters<PGlite['listen']>) {
    if (returned) return closed();
    const unlisten = await client.listen(...args);
    const once = async () => {
      if (!unlisteners.delete(once)) return;
      await unlisten();
    };
    unlisteners.add(once);
    return once;
  }
  return new Proxy(client, {
    get(target, property) {
      if (property === 'closed') return returned || target.closed;
      if (property === 'close') return giveBack;
      if (property === 'listen') return listen;
      if (own.has(property)) return own.get(property);
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // PGlite keeps its state in private fields: its methods must run on the PGlite itself.
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => (returned ? closed() : method.apply(target, args));
    },
    set(_target, property, value) {
      own.set(property, value);
      return true;
    },
  });
}

/** Read from a PGlite fresh from the template: what a used copy is emptied back to. */
async function readTemplate(client: PGlite): Promise<Template> {
  const { rows: tables } = await client.query<{ name: string }>(`SELECT name FROM (${TABLES}) t(name)`);
  // TRUNCATE would lose a table's rows: the template's are all empty (drizzle's record aside).
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
    if (rows[0]!.n !== 0)
      throw new Error(`the test template's table ${name} is not empty: cannot reuse PGlites`);
  }
  const { rows: keys } = await client.query<{ referenced: string; referencing: string }>(`
    SELECT format('%I.%I', rn.nspname, r.relname) AS referenced, format('%I.%I', fn.nspname, f.relname) AS referencing
    FROM pg_constraint k
    JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
    JOIN pg_class f ON f.oid = k.conrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
    WHERE k.contype = 'f'`);
  const referencedBy = new Map<string, string[]>();
  for (const { referenced, referencing } of keys)
    referencedBy.set(referenced, [...(referencedBy.get(referenced) ?? []), referencing]);
  const { rows: sequences } = await client.query<{ name: string; value: string; called: boolean }>(`
    SELECT format('%I.%I', schemaname, sequencename) AS name,
      coalesce(last_value, start_value)::text AS value, last_value IS NOT NULL AS called
    FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`);
  const { rows: migrations } = await client.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
  );
  const setval = sequences.map((s) => `setval('${s.name}', ${s.value}, ${s.called})`);
  return {
    migrations: migrations[0]!.n,
    referencedBy,
    sequences: setval.length ? `SELECT ${setval.join(', ')};` : '',
  };
}

/** The promise's value, or false once `ms` have passed (the timer does not keep the worker alive). */
function withDeadline(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
