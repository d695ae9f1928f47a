// The data of `npm run bench:scale` (bench/scale.ts): a fresh database per size
// (PGlite, or a PostgreSQL database created and dropped for the run) holding one
// operation of n movements with realistic figures — about 1.5·√n routes, most
// movements of 20–60 people, 8 % small ones, one in five with 1–6 no-shows, groups
// partly reported, most arrivals dated — made with the test factories (rows and
// figures as a save writes them).
import pg from 'pg';
import type { Counts } from '../src/domain/figures.ts';
import { type Database, openDatabase } from '../src/store/database.ts';
import { migrateDatabase } from '../src/store/migrate.ts';
import { counts, makeMovement, makeOperation, makeRoute } from '../test/support/factories.ts';

/** PostgreSQL: a fresh database per size, dropped afterwards. */
async function freshPostgres(url: string, n: number): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `corridor_bench_scale_${process.pid}_${n}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

let seed = 20260305;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
const maybe = (p: number, v: () => number) => (rnd() < p ? v() : null);

function realisticCounts(status: 'departed' | 'arrived'): Counts {
  const R = rnd() < 0.08 ? int(3, 19) : int(20, 60);
  const D = rnd() < 0.8 ? R : Math.max(0, R - int(1, 6));
  const A = status === 'arrived' ? (rnd() < 0.9 ? D : null) : null;
  const split = (total: number | null) => ({
    total,
    womenChildren: total === null ? null : maybe(0.6, () => int(0, Math.floor(total / 3))),
    over60: total === null ? null : maybe(0.4, () => int(0, Math.floor(total / 5))),
  });
  return counts({ registered: split(R), departed: { total: D }, arrived: { total: A } });
}

export type ScaleData = {
  database: Database;
  /** PostgreSQL: where the fresh database is (the worker's own pool reads it). */
  url?: string;
  movements: { id: number; version: number }[];
  close(): Promise<void>;
};

/** A fresh database with one operation of n movements. */
export async function scaleData(n: number, adminUrl: string | undefined): Promise<ScaleData> {
  const fresh = adminUrl ? await freshPostgres(adminUrl, n) : undefined;
  const database = await openDatabase(
    fresh ? { kind: 'postgres', url: fresh.url, poolSize: 4 } : { kind: 'pglite' },
  );
  await migrateDatabase(database);
  const db = database.db;
  const op = await makeOperation(db, { publicationDelayMinutes: 0 });
  const routes = Math.max(1, Math.round(Math.sqrt(n) * 1.5));
  const movements: ScaleData['movements'] = [];
  for (let r = 0; r < routes; r++) {
    const { route } = await makeRoute(db, op.id);
    const per = Math.floor(n / routes) + (r < n % routes ? 1 : 0);
    for (let i = 0; i < per; i++) {
      const status = rnd() < 0.5 ? 'departed' : 'arrived';
      const day = `2026-03-0${int(1, 5)}`;
      const m = await makeMovement(
        db,
        route.id,
        {
          status,
          departedAt: new Date(`${day}T04:00:00Z`),
          arrivedAt: status === 'arrived' && rnd() < 0.9 ? new Date(`${day}T10:00:00Z`) : null,
        },
        realisticCounts(status),
      );
      movements.push({ id: m.id, version: m.version });
    }
  }
  return {
    database,
    url: fresh?.url,
    movements,
    async close() {
      await database.close();
      await fresh?.drop();
    },
  };
}
