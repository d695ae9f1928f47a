// Import cycles in src/, type-only imports included (`npm run lint` runs it; exit 1 on any).
// A cycle of types still ties two modules together: each must be read to understand the
// other, and one value import added later turns it into a load-order bug. The shared type
// belongs to the module that owns the concept; the others import it from there.
// It reads only the import lines (TypeScript's preProcessFile: no type check), so it
// takes well under a second.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['src'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** A relative specifier to a file of the project (`./x.ts`, `./x.js` compiled form, `./dir` index). */
function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

const files = dirs.flatMap((d) => sourceFiles(path.resolve(root, d)));
const inScope = new Set(files);
const edges = new Map<string, string[]>();
for (const file of files) {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  const targets = info.importedFiles
    .map((f) => resolve(file, f.fileName))
    .filter((t): t is string => t !== undefined && inScope.has(t));
  edges.set(file, [...new Set(targets)]);
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let index = 0;
const order = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const components: string[][] = [];
function visit(v: string) {
  order.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!order.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
  }
  if (low.get(v) === order.get(v)) {
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) components.push(component);
  }
}
for (const f of files) if (!order.has(f)) visit(f);

/** One shortest loop through the component's first file, to show where to cut. */
function loopOf(component: string[]): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of edges.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const loop = [v];
        while (loop[0] !== start) loop.unshift(previous.get(loop[0]!)!);
        return [...loop, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return component;
}

const rel = (f: string) => path.relative(root, f);
for (const component of components)
  console.error(`import cycle (${component.length} files): ${loopOf(component).map(rel).join(' → ')}`);
if (components.length) {
  console.error(`${components.length} import cycle(s); move the shared types to the module that owns them.`);
  process.exit(1);
}
console.log(`no import cycles in ${dirs.join(', ')} (${files.length} files)`);
