// Start the app (src/server.ts or src/cluster.ts) as a child process and wait
// until it listens; used by the failure tests and the drill.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export type AppProcess = {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
};

type SpawnOptions = { entry?: string; timeoutMs?: number; onOutput?: (text: string) => void };

/** Start the app and wait until it listens (rejects, with its output, if it exits first). */
export async function startAppProcess(
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<AppProcess> {
  const app = spawnApp(env, options);
  const url = await app.listening;
  return { ...app, url };
}

/**
 * Start the app without waiting: `listening` resolves with its URL, or rejects if it
 * exits first or does not listen in time (a test expecting a refused start awaits `exited`).
 */
export function spawnApp(
  env: Record<string, string>,
  options: SpawnOptions = {},
): Omit<AppProcess, 'url'> & { listening: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'src/server.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      SEED_ON_EMPTY: 'false',
      DIGEST_SCHEDULER: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
    options.onOutput?.(String(d));
  });
  child.stderr.on('data', (d) => {
    output += d;
    options.onOutput?.(String(d));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start within ${options.timeoutMs ?? 60_000} ms:\n${output}`)),
      options.timeoutMs ?? 60_000,
    );
    const check = () => {
      const m = /"code":"listening","port":(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before listening:\n${output}`));
    });
  });
  listening.catch(() => {}); // handled by whoever awaits it; a refused start is awaited through `exited`
  return {
    child,
    listening,
    exited,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
