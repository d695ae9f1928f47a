// Child process of pglite-template.ts: initialise a PGlite data folder, apply
// every migration, and write the folder as a gzipped tar to argv[2].
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './database.ts';
import { migrateDatabase } from './migrate.ts';
import { writeTarGz } from './tar.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: pglite-template-build <file.tar.gz>');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-template-'));
try {
  const database = await openDatabase({ kind: 'pglite', dataDir: dir, lock: false });
  await migrateDatabase(database);
  await database.close();
  const partial = `${out}.${process.pid}.partial`;
  await writeTarGz(dir, fs.createWriteStream(partial), () => false);
  fs.renameSync(partial, out);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
