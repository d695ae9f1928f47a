// Where public projections are computed: in a worker thread (the server; see
// projection-worker.ts), or inline (tests, CLIs). Both answer through a promise,
// so the build scheduler (cache.ts) does not care which. The worker also renders
// the projections it made (render(): the text comes back, the projection stays
// there), so neither the privacy work nor the templates hold the event loop; a
// projection it no longer holds is rendered by the caller (render() answers
// undefined). A worker that dies is logged once with its stack, its pending
// builds fail (the cache keeps serving the last good copy) and the next build
// starts a new worker. On PostgreSQL the worker also reads the snapshots, from its
// own small pool (read()): the rows are parsed there and nothing large crosses to it.
import { deserialize } from 'node:v8';
import type { Worker } from 'node:worker_threads';
import { type AuditCache, type Release, createAuditCache } from '../domain/disclosure.ts';
import { type PublicProjection, toPublicProjection } from '../domain/privacy.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import { createSnapshotPacker } from './projector-snapshots.ts';
import type { Lang } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import { startWorkerWithSemiSpace } from '../node-memory.ts';
import { fromWorkerError, startSiblingWorker } from '../worker-thread.ts';
import { type PublicFormat, type Rendered, fromTransfer } from './rendition.ts';
import type {
  EncodedOutput,
  ProjectionHead,
  ProjectionInput,
  ReadSnapshots,
  RenderMeta,
  WorkerRead,
  WorkerRequest,
  WorkerResponse,
  WorkerSetup,
} from './projector-protocol.ts';

export type {
  EncodedOutput,
  ProjectionHead,
  ProjectionInput,
  ReadSnapshots,
  WorkerRead,
  WorkerRequest,
  WorkerResponse,
  WorkerSetup,
} from './projector-protocol.ts';

const releasesOf = (p: PublicProjection | undefined) =>
  p ? new Map(p.disclosure.releases.map((r) => [r.operationId, r])) : undefined;

export interface Projector {
  /** Reads the snapshots where they will be projected; absent: the caller reads them. */
  read?(at: Date): Promise<ReadSnapshots>;
  project(input: ProjectionInput): Promise<PublicProjection>;
  /**
   * The output rendered where the projection was made (off the event loop), or
   * undefined: the caller renders it (inline projector, or a projection no longer held).
   */
  render?(
    projection: PublicProjection,
    lang: Lang,
    format: PublicFormat,
    meta: RenderMeta,
  ): Promise<Rendered | undefined>;
  /**
   * The same, also compressed and hashed there, the bytes moved back (nothing for the
   * server's thread to encode, hash or collect); undefined as render().
   */
  renderEncoded?(
    projection: PublicProjection,
    lang: Lang,
    format: PublicFormat,
    meta: RenderMeta,
  ): Promise<EncodedOutput | undefined>;
  close(): Promise<void>;
}

/** How long a projection took where it was made: all of it, and its disclosure work (suppression, audit). */
export type ProjectionTimes = { ms: number; auditMs: number };
const timesOf = new WeakMap<PublicProjection, ProjectionTimes>();
/** Measured where it was made (undefined: not measured). */
export const projectionTimes = (p: PublicProjection) => timesOf.get(p);

/** In this thread (the audit cache kept between calls). */
export function inlineProjector(): Projector {
  const cache: AuditCache = createAuditCache();
  return {
    project(input) {
      const started = performance.now();
      const timing = { discloseMs: 0 };
      const p = toPublicProjection(snapshotsOf(input), input.at, {
        previous: input.previous ?? releasesOf(input.previousFrom),
        memory: input.memory,
        cache,
        timing,
      });
      timesOf.set(p, { ms: performance.now() - started, auditMs: timing.discloseMs });
      return Promise.resolve(p);
    },
    close: () => Promise.resolve(),
  };
}

function snapshotsOf(input: ProjectionInput): Snapshot[] {
  if (Array.isArray(input.snapshots)) return input.snapshots;
  throw new ProjectionError('snapshots read in a worker cannot be projected inline');
}

/** The error a projection failed with inside the worker, its stack kept. */
export class ProjectionError extends Error {
  readonly kind = 'projection_failed';
}

/**
 * In one worker thread, started on first use; `render`: it renders there too; `read`: it reads
 * too; `semiSpaceMb`: its young generation, when not the process's (NODE_WORKER_SEMI_SPACE_MB).
 */
export function workerProjector(deps: {
  logger: Logger;
  render?: WorkerSetup['render'];
  read?: WorkerRead;
  semiSpaceMb?: number;
}): Projector {
  let worker: Worker | undefined;
  let nextId = 1;
  let closed = false;
  type Answer = Extract<WorkerResponse, { ok: true }>;
  const pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  /** Which worker made a projection, under which id (it keeps the last few). */
  const madeBy = new WeakMap<PublicProjection, { worker: Worker; id: number }>();
  /** Which worker read a set of snapshots (only that one holds them). */
  const readBy = new WeakMap<ReadSnapshots, Worker>();
  const setup: WorkerSetup = { render: deps.render, read: deps.read };

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  function spawn(): Worker {
    const w = startWorkerWithSemiSpace(deps.semiSpaceMb, () =>
      startSiblingWorker(import.meta.url, 'projection-worker', { workerData: setup }),
    );
    w.unref();
    w.on('message', (r: WorkerResponse) => {
      const p = pending.get(r.id);
      if (!p) return; // its caller gave up (closed): nothing waits for it
      pending.delete(r.id);
      if (r.ok) p.resolve(r);
      else {
        // An AppError (a route page that does not exist: not_found) keeps its code.
        const err = fromWorkerError(r.error, (message) => new ProjectionError(message));
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

  function ask(w: Worker, request: WorkerRequest): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      pending.set(request.id, { resolve, reject });
      // A worker waiting on a build keeps the process alive; an idle one does not.
      w.ref();
      w.postMessage(request);
    }).finally(() => {
      if (pending.size === 0) w.unref();
    });
  }

  /** What each movement crosses as: its id when the worker holds it (projector-snapshots.ts). */
  const packer = createSnapshotPacker<Worker>();

  /** The snapshots as the worker takes them: by handle only from the worker that read them. */
  function snapshotsFor(w: Worker, snapshots: ProjectionInput['snapshots']) {
    if (Array.isArray(snapshots)) return packer.pack(w, snapshots);
    if (readBy.get(snapshots) !== w) throw new ProjectionError('the worker that read the snapshots is gone');
    return { handle: snapshots.handle };
  }

  type RenderAsk = Pick<Extract<WorkerRequest, { type: 'render' }>, 'lang' | 'format' | 'meta' | 'encode'>;

  /** Asks the worker that made the projection to render it; undefined when it no longer holds it. */
  async function askRender(projection: PublicProjection, what: RenderAsk): Promise<Answer | undefined> {
    const made = madeBy.get(projection);
    if (closed || !deps.render || !made || made.worker !== worker) return undefined;
    return ask(made.worker, { type: 'render', id: nextId++, projectionId: made.id, ...what });
  }

  async function read(at: Date): Promise<ReadSnapshots> {
    if (closed) throw new ProjectionError('projector closed');
    worker ??= spawn();
    const w = worker;
    const id = nextId++;
    const answer = await ask(w, { type: 'read', id, at: at.getTime() });
    if (!('operationIds' in answer)) throw new ProjectionError('public build worker answered out of turn');
    const made = { operationIds: answer.operationIds, handle: id };
    readBy.set(made, w);
    return made;
  }

  return {
    ...(deps.read ? { read } : {}),
    async project(input) {
      if (closed) throw new ProjectionError('projector closed');
      worker ??= spawn();
      const w = worker;
      const id = nextId++;
      const { previousFrom, snapshots, ...rest } = input;
      const before = previousFrom ? madeBy.get(previousFrom) : undefined;
      // The previous state by reference when the worker holds it (nothing large crosses).
      const previousId = before && before.worker === w ? before.id : undefined;
      const answer = await ask(w, {
        ...rest,
        snapshots: snapshotsFor(w, snapshots),
        ...(previousId !== undefined
          ? { previousId }
          : { previous: input.previous ?? releasesOf(previousFrom) }),
        type: 'project',
        id,
        at: input.at.getTime(),
      }).catch((err: unknown) => {
        // What the worker holds is not known now: the next snapshots are sent whole.
        packer.forget();
        throw err;
      });
      if (!('head' in answer)) throw new ProjectionError('public build worker answered out of turn');
      const projection = lazyProjection(answer.head, answer.body, answer.releases);
      madeBy.set(projection, { worker: w, id });
      timesOf.set(projection, { ms: answer.ms, auditMs: answer.auditMs });
      return projection;
    },
    async render(projection, lang, format, meta) {
      const answer = await askRender(projection, { lang, format, meta });
      return answer && 'rendered' in answer ? (answer.rendered ?? undefined) : undefined;
    },
    async renderEncoded(projection, lang, format, meta) {
      const answer = await askRender(projection, { lang, format, meta, encode: true });
      if (!answer || !('encoded' in answer) || !answer.encoded) return undefined;
      return { ...answer.encoded, encoded: fromTransfer(answer.encoded.encoded) };
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

/**
 * A projection made in the worker: its head at once, the bulk deserialised on first read,
 * in two parts. The releases are read after every build (the disclosure ledger records
 * and audits with them); the operations — every movement — only to render inline or to
 * publish files. So a build normally costs the event loop, and this thread's heap, nothing
 * for the operations.
 */
function lazyProjection(
  head: ProjectionHead,
  body: ArrayBuffer,
  releasesBody: ArrayBuffer,
): PublicProjection {
  let operations: PublicProjection['operations'] | undefined;
  let releases: Release[] | undefined;
  const disclosure = { ...head.disclosure } as PublicProjection['disclosure'];
  Object.defineProperty(disclosure, 'releases', {
    enumerable: true,
    get: () => (releases ??= deserialize(Buffer.from(releasesBody)) as Release[]),
  });
  const projection = { ...head, disclosure } as PublicProjection;
  Object.defineProperty(projection, 'operations', {
    enumerable: true,
    get: () => (operations ??= deserialize(Buffer.from(body)) as PublicProjection['operations']),
  });
  return projection;
}
