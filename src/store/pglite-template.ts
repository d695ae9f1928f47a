// A new embedded database starts from a template: a data folder PGlite has
// initialised and every migration has been applied to, kept as a gzipped tar
// in a cache and unpacked into the new folder. PGlite's own first start
// (initdb) takes about 4 s and 850 MB of memory in the process that runs it;
// unpacking takes a fraction of a second and no more memory than a file copy.
// The template is built once per PGlite version and set of migrations, in a
// child process (so that its memory is returned to the system when it exits),
// on first need or ahead of time with `npm run db:template`.
import { createHash } from 'node:crypto';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsDir as migrationsFolder } from '../paths.ts';
import { extractTarGz } from './tar.ts';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '../..');

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@electric-sql/pglite');
  let dir = path.dirname(main);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Changes whenever PGlite or the migrations change. */
export function templateKey(): string {
  const h = createHash('sha256').update(pgliteVersion());
  for (const f of fs
    .readdirSync(migrationsFolder)
    .filter((x) => x.endsWith('.sql'))
    .sort())
    h.update(f).update(fs.readFileSync(path.join(migrationsFolder, f)));
  return h.digest('hex').slice(0, 16);
}

export function templateCacheDir(): string {
  const preferred = path.join(root, 'node_modules', '.cache', 'corridor');
  try {
    fs.mkdirSync(preferred, { recursive: true });
    fs.accessSync(preferred, fs.constants.W_OK);
    return preferred;
  } catch {
    return path.join(os.tmpdir(), 'corridor-cache');
  }
}

/** The template's file, built now (in a child process) if it is not cached yet. */
export async function ensureTemplate(cacheDir = templateCacheDir()): Promise<string> {
  const file = path.join(cacheDir, `pglite-template-${templateKey()}.tar.gz`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(cacheDir, { recursive: true });
  const child = fork(path.join(path.dirname(here), `pglite-template-build${path.extname(here)}`), [file], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: here.endsWith('.ts') ? ['--import', 'tsx'] : [],
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0 || !fs.existsSync(file))
    throw new Error(`Could not build the embedded database's template (exit ${code}).`);
  return file;
}

/** Fill a new, empty data folder from the template. */
export async function createFromTemplate(dataDir: string): Promise<void> {
  const file = await ensureTemplate();
  await extractTarGz(fs.createReadStream(file), dataDir);
}
