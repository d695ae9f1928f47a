// The production build (issue 20): esbuild bundles and minifies each entry point, so a
// process loads a few scripts of minified code instead of ~900 modules with their comments.
// V8 keeps every script's source text for as long as the process lives (to compile lazily
// the functions that have not run yet), so what a thread loads is what it holds: about a
// third of each isolate's live heap was module source text. Run by scripts/run-built.mjs.
//
// Layout of dist/ (what run-built.mjs and the code's own file lookups expect):
//   dist/src/<entry>.js         a stub per entry point (server, cluster, cli/*, the projection
//                               and as-of chains workers, the embedded database's thread, the
//                               PGlite template's builder): imports stack-map.js,
//                               then its bundle
//   dist/src/_bundle/*.js       the bundles and the chunks they share (code splitting), with
//                               their source maps (no sources inside: the maps name the .ts lines)
//   dist/src/_bundle/stack-map.js  scripts/stack-map.mjs: stack traces through the maps, read
//                               only when a stack is formatted (node's --enable-source-maps
//                               reads every map at start and keeps it)
// Every `import.meta.url` in the sources is rewritten to the URL the module would have had
// unbundled (dist/src/public/projector.js…), so that what finds files relative to its own
// module (the projection worker, views/, db/migrations, the template builder, a cluster's
// server entry) finds them from dist/ as from src/.
//
// Packages are bundled (tree-shaken, minified), except those that load native or WASM files
// from beside their own code (EXTERNAL). A dynamic import() stays lazy: its code is a chunk of
// its own, loaded when first imported (nodemailer at the first message).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dist = path.join(root, 'dist');
const bundleDir = path.join(dist, 'src', '_bundle');

/** Not bundled: native addons, WASM loaded from beside the package's own files, optional natives. */
export const EXTERNAL = [
  '@node-rs/argon2',
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  'highs',
  'pg-native',
  // Optional peers that some packages try in a try/catch (absent here).
  'pino-pretty',
  '@opentelemetry/api',
];

/** The entry points, by their path under src/ without extension (as run-built.mjs names them). */
export function entryPoints() {
  const cli = fs
    .readdirSync(path.join(root, 'src', 'cli'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `cli/${f.slice(0, -3)}`);
  return [
    'server',
    'cluster',
    'public/projection-worker',
    'public/as-of-chains-worker',
    'store/pglite-thread-worker',
    'store/pglite-template-build',
    ...cli,
  ];
}

/**
 * Rewrites `import.meta.url` in our sources to the URL the module would have had in an
 * unbundled dist/ (src/public/projector.ts → dist/src/public/projector.js), relative to the
 * bundle's own URL: every bundle and chunk lives in `outdir`, so one relative path fits.
 */
function moduleUrls(outdir) {
  return {
    name: 'corridor-module-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const rel = path.relative(root, args.path);
        if (rel.startsWith('..') || rel.startsWith('node_modules')) return undefined;
        const source = await fs.promises.readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
        const asBuilt = path.join(dist, rel.replace(/\.ts$/, '.js'));
        const href = path.relative(outdir, asBuilt).split(path.sep).join('/');
        return {
          contents: source.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(href)}, import.meta.url).href`,
          ),
          loader: 'ts',
        };
      });
    },
  };
}

/** `../dist/src/x.js` (how bench/memory-app.mjs names the built app) → src/x.ts, bundled with it. */
const fromSources = {
  name: 'corridor-dist-to-sources',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/dist\/(src|db)\/.+\.js$/ }, (args) => ({
      path: path.join(root, args.path.slice('../dist/'.length).replace(/\.js$/, '.ts')),
    }));
  },
};

/** What every bundle is built with. */
function options(outdir) {
  return {
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    // Whitespace and syntax only: identifiers keep their names, so that stack traces, class
    // names in the logs (pino's `err.type`) and the profiler read as the sources do.
    // Renaming them too saved 15 % of the text and no measurable memory (docs/benchmarks.md).
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: false,
    legalComments: 'none',
    sourcemap: 'linked',
    sourcesContent: false,
    external: EXTERNAL,
    // CommonJS packages bundled into ESM call require() for node's own modules.
    banner: {
      js: "import { createRequire as __corridorRequire } from 'node:module'; const require = __corridorRequire(import.meta.url);",
    },
    logLevel: 'warning',
    metafile: true,
    tsconfig: path.join(root, 'tsconfig.json'),
  };
}

/** Build dist/ (its src/ folder: bundles and stubs). Returns esbuild's metafile. */
export async function buildDist() {
  const esbuild = await import('esbuild');
  fs.rmSync(path.join(dist, 'src'), { recursive: true, force: true });
  fs.rmSync(path.join(dist, 'db'), { recursive: true, force: true });
  const entries = entryPoints();
  const result = await esbuild.build({
    ...options(bundleDir),
    entryPoints: Object.fromEntries(
      entries.map((e) => [e.replace(/\//g, '--'), path.join(root, 'src', `${e}.ts`)]),
    ),
    plugins: [moduleUrls(bundleDir)],
  });
  // Stack traces name the .ts sources, reading a map only when one is formatted (stack-map.mjs).
  fs.copyFileSync(path.join(root, 'scripts', 'stack-map.mjs'), path.join(bundleDir, 'stack-map.js'));
  // A stub at each entry's own path: scripts/run-built.mjs, the cluster and the projector
  // find dist/src/<entry>.js where tsc put it.
  for (const e of entries) {
    const stub = path.join(dist, 'src', `${e}.js`);
    fs.mkdirSync(path.dirname(stub), { recursive: true });
    const rel = (file) => {
      const spec = path.relative(path.dirname(stub), path.join(bundleDir, file)).split(path.sep).join('/');
      return JSON.stringify(spec.startsWith('.') ? spec : `./${spec}`);
    };
    fs.writeFileSync(
      stub,
      `import ${rel('stack-map.js')};\nimport ${rel(`${e.replace(/\//g, '--')}.js`)};\n`,
    );
  }
  return result.metafile;
}

/**
 * bench/memory-app.mjs bundled as the server is (same options), into `outdir`: the benchmark's
 * app process then holds what a production process holds. Returns the bundle's path.
 */
export async function buildBenchApp(entry, outdir) {
  const esbuild = await import('esbuild');
  fs.rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    ...options(outdir),
    entryPoints: { [path.basename(entry).replace(/\.\w+$/, '')]: entry },
    plugins: [fromSources, moduleUrls(outdir)],
  });
  return path.join(outdir, `${path.basename(entry).replace(/\.\w+$/, '')}.js`);
}

// node scripts/build.mjs                        build dist/ (what run-built.mjs runs)
// node scripts/build.mjs --bench <entry> <dir>   bundle a benchmark's app process (bench:memory)
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  if (process.argv[2] === '--bench') {
    const [entry, outdir] = process.argv.slice(3).map((p) => path.resolve(p));
    console.log(await buildBenchApp(entry, outdir));
  } else {
    const meta = await buildDist();
    const bytes = Object.values(meta.outputs).reduce((n, o) => n + o.bytes, 0);
    console.error(
      `esbuild: ${Object.keys(meta.outputs).length} files, ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}
