// Child processes for the process tests: the app (scripts/app-process.ts, shared with the
// drill, which cannot import from test/) and any other entry point (a CLI, the cluster)
// with its output captured and its exit awaited.
import { type ChildProcess, spawn } from 'node:child_process';
import { repoRoot } from '../../scripts/app-process.ts';
import { waitFor, type WaitOptions } from './wait.ts';

export { type AppProcess, repoRoot, spawnApp, startAppProcess } from '../../scripts/app-process.ts';

export type NodeProcess = {
  child: ChildProcess;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Standard output and error so far, interleaved. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
};

const running = new Set<ChildProcess>();
/** Kill every process still running (for an afterEach/afterAll). */
export function killAll(): void {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

/** Run `node --import tsx <entry> ...args` from the repository's root. */
export function spawnNode(entry: string, args: string[], env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Wait until the process's output matches (fails early, with the output, if it exits). */
export async function waitForOutput(
  proc: Pick<NodeProcess, 'child' | 'output'>,
  pattern: RegExp,
  options?: WaitOptions,
): Promise<RegExpExecArray> {
  return waitFor(
    `${String(pattern)} in the output`,
    () => {
      const match = pattern.exec(proc.output());
      if (!match && proc.child.exitCode !== null)
        throw new Error(`exited (${proc.child.exitCode}) before ${String(pattern)}:\n${proc.output()}`);
      return match;
    },
    options,
  );
}
