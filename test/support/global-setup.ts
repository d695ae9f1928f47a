// Once per test run: one migrated template database, copied by every test file.
// PGlite: a dumped data folder, cached across runs (PGlite's initdb and the migrations
// take seconds, a good part of the fast loop's minute). PostgreSQL (TEST_DATABASE_URL):
// a template database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/store/database.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { templateCacheDir, templateKey } from '../../src/store/pglite-template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    runId: string;
    pgliteTemplate: string;
    pgTemplate: string;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

export const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

export default async function setup(project: TestProject) {
  // The vitest process's id first: every project's databases of this run share the prefix.
  const runTag = `${process.pid.toString(36)}x`;
  const runId = `${runTag}${Date.now().toString(36)}`;
  project.provide('runId', runId);
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const template = `corridor_tpl_${runId}`;
    await admin.query(`CREATE DATABASE ${template}`);
    const database = await openDatabase({ kind: 'postgres', url: withDatabase(url, template), poolSize: 2 });
    await migrateDatabase(database);
    await database.close();
    project.provide('pgTemplate', template);
    project.provide('pgliteTemplate', '');
    return () => {
      // Every project's databases of this vitest process (the projects' teardowns run one
      // after another once all tests are done), dropped by one detached process: the run does
      // not wait for the checkpoints its drops force (drop-test-databases.mjs).
      const flag = globalThis as { corridorCleanerStarted?: boolean };
      if (flag.corridorCleanerStarted) return admin.end();
      flag.corridorCleanerStarted = true;
      const cleaner = spawn(
        process.execPath,
        [path.join(here, 'drop-test-databases.mjs'), url, `corridor\\_%\\_${runTag}%`],
        { detached: true, stdio: 'ignore' },
      );
      cleaner.unref();
      return admin.end();
    };
  }
  project.provide('pgliteTemplate', await pgliteTestTemplate());
  project.provide('pgTemplate', '');
}

/**
 * The dumped, migrated PGlite data folder, built on first need and kept (keyed like the app's
 * own template: by PGlite's version and the migrations' text, so a new migration rebuilds it).
 */
async function pgliteTestTemplate(): Promise<string> {
  const file = path.join(templateCacheDir(), `pglite-test-template-${templateKey()}.tar`);
  if (fs.existsSync(file)) return file;
  const database = await openDatabase({ kind: 'pglite' });
  await migrateDatabase(database);
  const pgliteDb = database as unknown as { db: { $client: { dumpDataDir(c: string): Promise<Blob> } } };
  const blob = await pgliteDb.db.$client.dumpDataDir('none');
  await database.close();
  // Written aside and renamed: a concurrent run never reads half a file.
  const partial = `${file}.${process.pid}.partial`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
  fs.renameSync(partial, file);
  return file;
}
