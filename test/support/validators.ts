// Outside validators, run on the public outputs as an integrator would: the Nu HTML
// checker (vnu-jar, Java), feedparser (Python) and jing with the Atom RELAX NG schema of
// RFC 4287. CI installs them (.ci/run); elsewhere a missing one skips its test, loudly.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
export const VNU_JAR = path.join(root, 'node_modules/vnu-jar/build/dist/vnu.jar');
export const ATOM_RNC = path.join(root, 'test/fixtures/atom.rnc');

const works = (cmd: string, args: string[]) => {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
  } catch {
    return false;
  }
};

/** A python3 that has feedparser (Debian's python3-feedparser lives in /usr/bin/python3). */
export const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => works(p, ['-c', 'import feedparser']));
export const HAS_JAVA = works('java', ['-version']) && fs.existsSync(VNU_JAR);
export const HAS_JING = works('jing', []) || fs.existsSync('/usr/bin/jing');

/** In CI every validator must be there: a missing one fails instead of skipping. */
export function mustHave(tool: string, present: boolean | string | undefined): boolean {
  if (!present && process.env.CI === 'true') throw new Error(`${tool} is missing in CI (see .ci/run)`);
  if (!present) console.warn(`${tool} not found: its checks are skipped here (CI runs them)`);
  return Boolean(present);
}

export function tempFiles(files: Record<string, string | Buffer>): { dir: string; paths: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-validate-'));
  const paths = Object.entries(files).map(([name, body]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, body);
    return p;
  });
  return { dir, paths };
}

export type NuMessage = { type: string; subType?: string; message: string; url: string; lastLine?: number };

/** The Nu checker's errors (not its info or warnings) for these HTML files, in one JVM run. */
export function nuErrors(files: string[]): NuMessage[] {
  const run = spawnSync('java', ['-jar', VNU_JAR, '--format', 'json', '--stdout', ...files], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const { messages } = JSON.parse(run.stdout) as { messages: NuMessage[] };
  return messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
}

export function nuVersion(): string {
  return execFileSync('java', ['-jar', VNU_JAR, '--version'], { encoding: 'utf8' }).trim();
}

/** jing's complaints (empty when the file is valid against the schema). */
export function jingErrors(schema: string, file: string): string {
  const run = spawnSync('jing', ['-c', schema, file], { encoding: 'utf8', timeout: 60_000 });
  return run.status === 0 ? '' : `${run.stdout}${run.stderr}`.trim() || `jing exited ${run.status}`;
}

export type ParsedFeed = {
  bozo: number;
  bozoException: string;
  version: string;
  feedLanguage: string | null;
  feedId: string;
  entries: { id: string; link: string; updated: string; title: string; language: string | null }[];
};

/** feedparser's reading of an Atom file: bozo = 1 means it found the feed malformed. */
export function feedparse(file: string): ParsedFeed {
  const script = `
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({
  "bozo": int(d.bozo),
  "bozoException": str(d.get("bozo_exception", "")),
  "version": d.version,
  "feedLanguage": d.feed.get("language"),
  "feedId": d.feed.get("id", ""),
  "entries": [{
    "id": e.get("id", ""), "link": e.get("link", ""), "updated": e.get("updated", ""),
    "title": e.get("title", ""), "language": e.get("title_detail", {}).get("language"),
  } for e in d.entries],
}))`;
  return JSON.parse(execFileSync(PYTHON!, ['-c', script, file], { encoding: 'utf8' })) as ParsedFeed;
}

export function feedparserVersion(): string {
  return execFileSync(PYTHON!, ['-c', 'import feedparser; print(feedparser.__version__)'], {
    encoding: 'utf8',
  }).trim();
}
