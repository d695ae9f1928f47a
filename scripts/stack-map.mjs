// Stack traces of the built app (dist/) name the TypeScript sources, as node's
// --enable-source-maps would, but a bundle's source map is read only when a stack through
// it is formatted. Node's own source-map support reads and parses every bundle's map when
// the bundle loads and keeps it for the process's life (~5 MB in an app process, issue 20).
// scripts/build.mjs copies this file into dist/src/_bundle/ and each entry point imports it
// first (the projection worker's too: its errors' stacks are formatted in the worker).
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bundleDir = path.dirname(fileURLToPath(import.meta.url));
/** Maps read so far, by bundle file (null: none could be read). Errors are rare; a few maps at most. */
const maps = new Map();

function mapOf(file) {
  if (!maps.has(file)) {
    let map = null;
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
    } catch {
      // no map beside it (deleted, or another file): the frame is printed as it is
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

function frameText(frame) {
  const url = frame.getFileName();
  const file = url?.startsWith('file:') ? fileURLToPath(url) : url;
  if (!file || path.dirname(file) !== bundleDir) return String(frame);
  const entry = mapOf(file)?.findEntry(frame.getLineNumber() - 1, frame.getColumnNumber() - 1);
  if (!entry?.originalSource) return String(frame);
  const source = path.resolve(bundleDir, entry.originalSource);
  const where = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const name = frame.getFunctionName() ?? entry.name;
  const prefix = frame.isAsync() ? 'async ' : frame.isConstructor() ? 'new ' : '';
  return name ? `${prefix}${name} (${where})` : `${prefix}${where}`;
}

// Node's own support, when turned on (--enable-source-maps), does the same: leave it alone.
if (!process.sourceMapsEnabled) {
  Error.prepareStackTrace = (error, frames) => {
    let head;
    try {
      head = Error.prototype.toString.call(error);
    } catch {
      head = 'Error';
    }
    return [head, ...frames.map((f) => `    at ${frameText(f)}`)].join('\n');
  };
}
