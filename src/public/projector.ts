// Where public projections are computed: in a worker thread (the server; see
// projection-worker.ts), or inline (tests, CLIs). Both answer through a promise,
// so the build scheduler (cache.ts) does not care which. A worker that dies is
// logged once with its stack, its pending builds fail (the cache keeps serving
// the last good copy) and the next build starts a new worker.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  type AuditCache,
  type DisclosureMemory,
  type Release,
  createAuditCache,
} from '../domain/disclosure.ts';
import { type PublicProjection, toPublicProjection } from '../domain/privacy.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { Logger } from '../log.ts';

export type ProjectionInput = {
  snapshots: Snapshot[];
  at: Date;
  previous?: ReadonlyMap<number, Release>;
  memory?: ReadonlyMap<number, DisclosureMemory>;
};

export type ProjectionRequest = Omit<ProjectionInput, 'at'> & { id: number; at: number };
export type ProjectionResponse =
  | { id: number; ok: true; projection: PublicProjection; ms: number }
  | { id: number; ok: false; error: { message: string; stack: string } };

export interface Projector {
  project(input: ProjectionInput): Promise<PublicProjection>;
  close(): Promise<void>;
}

/** In this thread (the audit cache kept between calls). */
export function inlineProjector(): Projector {
  const cache: AuditCache = createAuditCache();
  return {
    project: (input) =>
      Promise.resolve(
        toPublicProjection(input.snapshots, input.at, {
          previous: input.previous,
          memory: input.memory,
          cache,
        }),
      ),
    close: () => Promise.resolve(),
  };
}

/** The error a projection failed with inside the worker, its stack kept. */
export class ProjectionError extends Error {
  readonly kind = 'projection_failed';
}

/** tsx's require hook; only where sources are .ts (Node 20 gives workers no ESM loader hooks). */
function tsxRequireHook(): string {
  return createRequire(import.meta.url).resolve('tsx/cjs/api');
}

/** In one worker thread, started on first use. */
export function workerProjector(deps: { logger: Logger }): Projector {
  let worker: Worker | undefined;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve: (p: PublicProjection) => void; reject: (e: Error) => void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  function spawn(): Worker {
    // Sources run through tsx in development and tests; the built server runs dist/*.js.
    const typescript = import.meta.url.endsWith('.ts');
    const url = new URL(`./projection-worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
    // (A worker does not inherit tsx's loader: it registers tsx's require hook first.)
    const w = typescript
      ? new Worker(
          `require(${JSON.stringify(tsxRequireHook())}).register(); require(${JSON.stringify(fileURLToPath(url))});`,
          { eval: true },
        )
      : new Worker(url);
    w.unref();
    w.on('message', (r: ProjectionResponse) => {
      const p = pending.get(r.id);
      if (!p) return; // its caller gave up (closed): nothing waits for it
      pending.delete(r.id);
      if (r.ok) p.resolve(r.projection);
      else {
        const err = new ProjectionError(r.error.message);
        err.stack = r.error.stack;
        p.reject(err);
      }
    });
    w.on('error', (err) => {
      deps.logger.error({ err, kind: 'projection_worker_error' }, 'public build worker failed');
      failAll(err);
      if (worker === w) worker = undefined;
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      if (closed || pending.size === 0) return;
      const err = new ProjectionError(`public build worker exited with code ${code}`);
      deps.logger.error({ err, kind: 'projection_worker_exit' }, 'public build worker exited');
      failAll(err);
    });
    return w;
  }

  return {
    project(input) {
      if (closed) return Promise.reject(new ProjectionError('projector closed'));
      worker ??= spawn();
      const id = nextId++;
      const request: ProjectionRequest = { ...input, id, at: input.at.getTime() };
      const w = worker;
      return new Promise<PublicProjection>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // A worker waiting on a build keeps the process alive; an idle one does not.
        w.ref();
        w.postMessage(request);
      }).finally(() => {
        if (pending.size === 0) w.unref();
      });
    },
    async close() {
      closed = true;
      failAll(new ProjectionError('projector closed'));
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}
