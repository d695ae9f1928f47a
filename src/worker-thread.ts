// Starting a worker thread from a module beside the caller's, the same way in development
// and in production: sources run through tsx in development and tests (a worker does not
// inherit tsx's loader on Node 20, so it registers tsx's require hook first), the built
// server runs dist/*.js (scripts/build.mjs keeps each module's unbundled URL, so a sibling
// is found from dist/ as from src/). Used by the projection worker (src/public/projector.ts)
// and the embedded database's thread (src/store/pglite-thread.ts); and how a failure crosses
// back from the projection and as-of chains workers, code included.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { AppError, type ErrorCode } from './errors.ts';

/**
 * A worker running `./<name>.ts` (or `.js` when built) next to the module whose
 * `import.meta.url` is `from`.
 */
export function startSiblingWorker(from: string, name: string, options: WorkerOptions = {}): Worker {
  const typescript = from.endsWith('.ts');
  const url = new URL(`./${name}.${typescript ? 'ts' : 'js'}`, from);
  if (!typescript) return new Worker(url, options);
  const hook = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return new Worker(
    `require(${JSON.stringify(hook)}).register(); require(${JSON.stringify(fileURLToPath(url))});`,
    {
      ...options,
      eval: true,
    },
  );
}

/** An error as it crosses back from a worker thread: its message, its stack, an AppError's code. */
export type WorkerError = { message: string; stack: string; code?: ErrorCode };

export function toWorkerError(err: unknown): WorkerError {
  const e = err instanceof Error ? err : new Error(String(err));
  return { message: e.message, stack: e.stack ?? '', ...(err instanceof AppError ? { code: err.code } : {}) };
}

/**
 * The error again on the caller's side: an AppError keeps its code (a route page that does
 * not exist stays not_found), any other is `other`'s, with the worker's stack.
 */
export function fromWorkerError(e: WorkerError, other: (message: string) => Error): Error {
  const err = e.code ? new AppError(e.code, e.message) : other(e.message);
  err.stack = e.stack;
  return err;
}
