// Where the files that are not code live (views, migrations), whether this module
// runs from src/ (tsx, tests) or from dist/src/ (the built server, see
// docs/operations.md): the project root is the nearest folder with a package.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const viewsDir = path.join(projectRoot, 'views');
export const migrationsDir = path.join(projectRoot, 'db', 'migrations');

/** A sibling entry point of the running module: `./server.ts` under tsx, `./server.js` when built. */
export function siblingEntry(moduleUrl: string, name: string): string {
  const self = fileURLToPath(moduleUrl);
  return path.join(path.dirname(self), `${name}${path.extname(self)}`);
}
