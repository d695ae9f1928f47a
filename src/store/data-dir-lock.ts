// PGlite does not lock its data folder, and two processes writing the same
// folder silently lose writes. We hold an OS-level lock on `corridor.lock`:
// flock(2), taken by a small `flock` helper process tied to ours by a pipe. The
// kernel drops the lock the moment the holder is gone (even after SIGKILL: the
// pipe closes, the helper exits), so a stale file never blocks a start, whatever
// PID it names — PIDs are reused (pid 1 after a container restart). The PID in
// the file is only there to tell an operator who holds it.
// Without the `flock` program (util-linux) we fall back to an exclusive create
// with a liveness check of the recorded PID.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  readonly code = 'data_dir_locked';
  constructor(
    message: string,
    /** The pid the lock file names, when it names one. */
    readonly holder?: string,
  ) {
    super(message);
  }
}

export const LOCK_FILE = 'corridor.lock';

const lockedMessage = (dataDir: string, holder: string) =>
  `The data folder ${path.resolve(dataDir)} is in use by another Corridor process${holder ? ` (pid ${holder})` : ''}. ` +
  'Only one process may use the embedded database; stop the other one, or set DATABASE_URL to use PostgreSQL.';

const holderOf = (lockPath: string) => {
  try {
    return fs.readFileSync(lockPath, 'utf8').trim().split(/\s/)[0] ?? '';
  } catch {
    return '';
  }
};

/** Take the lock or throw DataDirLockedError naming the holder; resolves to the release function. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  const helper = spawn(
    'flock',
    [
      '--nonblock',
      '--exclusive',
      '--conflict-exit-code',
      '75',
      lockPath,
      'sh',
      '-c',
      'echo locked; exec cat >/dev/null',
    ],
    // Its own process group, so that a release that must force it ends flock and its child together.
    { stdio: ['pipe', 'pipe', 'ignore'], detached: true },
  );
  const outcome = await new Promise<'locked' | 'busy' | 'unavailable'>((resolve) => {
    helper.once('error', () => resolve('unavailable')); // no flock program
    helper.stdout.once('data', () => resolve('locked'));
    helper.once('exit', (code) => resolve(code === 75 ? 'busy' : 'unavailable'));
  });
  if (outcome === 'busy') {
    const holder = holderOf(lockPath);
    throw new DataDirLockedError(lockedMessage(dataDir, holder), holder || undefined);
  }
  if (outcome === 'unavailable') {
    helper.kill();
    return lockByPid(dataDir, lockPath);
  }
  // Held for as long as this process lives; it must not keep the process alive by itself.
  helper.unref();
  (helper.stdin as unknown as { unref?: () => void }).unref?.();
  (helper.stdout as unknown as { unref?: () => void }).unref?.();
  fs.writeFileSync(lockPath, `${process.pid}\n`);
  // flock(1) exits when its child does. The child (`cat`) holds the lock too: it inherited the
  // locked file, so the lock is free only once both are gone. Killing flock alone would leave
  // `cat` holding it until it read the end of its input: a reopen right after a release was
  // refused (data_dir_locked) on a loaded machine.
  const gone = new Promise<void>((resolve) => helper.once('exit', () => resolve()));
  let released = false;
  return async () => {
    if (!released) {
      released = true;
      // The file stays (unlinking a flock'd file lets two processes hold "the" lock).
      helper.stdin.end(); // `cat` reads the end, exits, and flock after it
      const force = setTimeout(() => killGroup(helper.pid), RELEASE_WAIT_MS);
      void gone.then(() => clearTimeout(force));
    }
    // Waiting for the exit must keep the process alive: with the helper unref'd, a caller
    // awaiting this as its last work would see Node end with exit code 13 (unsettled await).
    helper.ref();
    await gone; // the lock is free once the helper has exited
  };
}

/** How long a release waits for the helpers to end by themselves before it kills them. */
const RELEASE_WAIT_MS = 5000;

function killGroup(pid: number | undefined): void {
  try {
    if (pid) process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Fallback without flock(1): an exclusive create; a lock whose PID is gone is taken over. */
function lockByPid(dataDir: string, lockPath: string): () => Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(`${lockPath}.pid`, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return () => {
        fs.rmSync(`${lockPath}.pid`, { force: true });
        return Promise.resolve();
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(holderOf(`${lockPath}.pid`), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder))
        throw new DataDirLockedError(lockedMessage(dataDir, String(holder)), String(holder));
      fs.rmSync(`${lockPath}.pid`, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not lock the data folder ${path.resolve(dataDir)}.`);
}
