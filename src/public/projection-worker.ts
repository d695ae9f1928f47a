// The worker thread that computes public projections (privacy rules, small-count
// suppression and its exact audit: src/domain/privacy.ts), and renders them, so
// that a build of thousands of movements never holds the server's event loop.
// It keeps the audit's cache of verdicts between builds, so a save that touches
// one movement re-audits only what changed, and the last few projections it made,
// so a rendition of one is asked by id (nothing large crosses back but the text).
// Started by src/public/projector.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { createAuditCache } from '../domain/disclosure.ts';
import { type PublicProjection, toPublicProjection } from '../domain/privacy.ts';
import { AppError } from '../errors.ts';
import { createRenderer } from '../views.ts';
import type { RenderFn } from './build.ts';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './projector.ts';
import { publicRenderer } from './render.ts';

/** Projections kept for rendering: the current, the one it replaces, and a spare. */
const KEPT = 3;

const cache = createAuditCache();
const kept = new Map<number, PublicProjection>();
const setup = workerData as WorkerSetup | undefined;
let render: RenderFn | undefined;
const port = parentPort;
if (!port) throw new Error('projection-worker.ts runs as a worker thread only');

function answer(request: WorkerRequest): WorkerResponse {
  const started = performance.now();
  if (request.type === 'render') {
    const projection = kept.get(request.projectionId);
    if (!projection || !setup?.render) return { id: request.id, ok: true, rendered: null };
    render ??= publicRenderer({ renderer: createRenderer(), ...setup.render });
    const rendered = render(projection, request.lang, request.format, request.meta);
    return { id: request.id, ok: true, rendered };
  }
  const projection = toPublicProjection(request.snapshots, new Date(request.at), {
    previous: request.previous,
    memory: request.memory,
    cache,
  });
  kept.set(request.id, projection);
  for (const id of kept.keys()) if (kept.size > KEPT) kept.delete(id);
  return { id: request.id, ok: true, projection, ms: performance.now() - started };
}

port.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = answer(request);
  } catch (err) {
    const e = err as Error;
    response = {
      id: request.id,
      ok: false,
      error: {
        message: e.message,
        stack: e.stack ?? '',
        code: err instanceof AppError ? err.code : undefined,
      },
    };
  }
  port.postMessage(response);
});
