#!/usr/bin/env node
// Production runs built JavaScript (dist/: bundled and minified by esbuild, scripts/build.mjs),
// never tsx. This runner is what `npm start`, `npm run start:cluster` (through scripts/start.sh,
// which gives node the memory flags first) and the CLIs call:
//
//   node scripts/run-built.mjs server [args…]     build dist/ if a source is newer, then run dist/src/server.js
//   node scripts/run-built.mjs cli/digest --dry-run
//   node scripts/run-built.mjs --build            build now (npm run build)
//   node scripts/run-built.mjs --prepare          build if stale; skip quietly without TypeScript (npm prepare)
//
// So `npm install && npm start` works in one go on a fresh clone (prepare builds), and a
// source edited since the last build is never run stale. On a server installed with
// --omit=dev (no esbuild) the shipped dist/ is run as it is. See docs/operations.md.
// The build does not typecheck (`npm run typecheck` does, and CI).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');
const lock = path.join(root, '.dist-build.lock');
// What the build reads: a newer file here means dist/ is stale (packages are bundled too:
// an install that changes them changes the lockfile).
const SOURCES = [
  'src',
  'db/schema.ts',
  'db/seed',
  'tsconfig.json',
  'scripts/build.mjs',
  'scripts/stack-map.mjs',
  'package-lock.json',
];

function newestSource() {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return; // a listed source that does not exist (yet) changes nothing
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const s of SOURCES) visit(path.join(root, s));
  return newest;
}

function builtAt() {
  try {
    return fs.statSync(stamp).mtimeMs;
  } catch {
    return 0; // never built
  }
}

const isStale = () => builtAt() < newestSource();

function hasEsbuild() {
  try {
    createRequire(import.meta.url).resolve('esbuild');
    return true;
  } catch {
    return false; // installed without devDependencies: dist/ must have been shipped
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One build at a time: two processes started together wait for the first one's build. */
async function withLock(fn) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 300_000) fs.rmSync(lock, { recursive: true, force: true }); // left by a killed build
      if (Date.now() > deadline) throw new Error(`another build holds ${lock}; remove it if none runs`);
      sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Build in a child process: the process that runs the app afterwards loads nothing of esbuild. */
function build() {
  if (!hasEsbuild()) return false;
  const started = Date.now();
  fs.rmSync(stamp, { force: true });
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('Corridor: the build (node scripts/build.mjs) failed; see above.');
    process.exit(1);
  }
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  console.error(`Corridor: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

async function ensureBuilt({ quietWithoutBuilder }) {
  if (!isStale()) return;
  await withLock(async () => {
    if (!isStale()) return; // built by the process we waited for
    if (build()) return;
    if (builtAt() > 0) {
      if (!quietWithoutBuilder)
        console.error('Corridor: sources are newer than dist/, but esbuild is not installed; running dist/.');
      return;
    }
    if (quietWithoutBuilder) {
      console.error('Corridor: esbuild is not installed; ship a built dist/ (npm run build) with the app.');
      return;
    }
    console.error('Corridor: dist/ is missing and esbuild is not installed to build it (npm install).');
    process.exit(1);
  });
}

const [arg, ...rest] = process.argv.slice(2);
if (arg === '--build') {
  await withLock(() => build() || (console.error('Corridor: esbuild is not installed.'), process.exit(1)));
} else if (arg === '--prepare') {
  await ensureBuilt({ quietWithoutBuilder: true });
} else if (arg && /^[\w/-]+$/.test(arg)) {
  await ensureBuilt({ quietWithoutBuilder: false });
  const entry = path.join(dist, 'src', `${arg}.js`);
  if (!fs.existsSync(entry)) {
    console.error(`Corridor: no entry point ${path.relative(root, entry)}`);
    process.exit(1);
  }
  // Stack traces name the .ts lines: each entry imports dist/src/_bundle/stack-map.js first.
  // The entry sees its own arguments, as if run as `node dist/src/<entry>.js args…`.
  process.argv = [process.argv[0], entry, ...rest];
  await import(pathToFileURL(entry).href);
} else {
  console.error(
    'usage: node scripts/run-built.mjs <entry, e.g. server or cli/digest> [args…] | --build | --prepare',
  );
  process.exit(2);
}
