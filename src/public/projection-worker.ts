// The worker thread that computes public projections (privacy rules, small-count
// suppression and its exact audit: src/domain/privacy.ts), so that a build of
// thousands of movements never holds the server's event loop. It keeps the
// audit's cache of verdicts between builds, so a save that touches one movement
// re-audits only what changed. Started by src/public/projector.ts.
import { parentPort } from 'node:worker_threads';
import { createAuditCache } from '../domain/disclosure.ts';
import { toPublicProjection } from '../domain/privacy.ts';
import type { ProjectionRequest, ProjectionResponse } from './projector.ts';

const cache = createAuditCache();
const port = parentPort;
if (!port) throw new Error('projection-worker.ts runs as a worker thread only');

port.on('message', (request: ProjectionRequest) => {
  const started = performance.now();
  let response: ProjectionResponse;
  try {
    const projection = toPublicProjection(request.snapshots, new Date(request.at), {
      previous: request.previous,
      memory: request.memory,
      cache,
    });
    response = { id: request.id, ok: true, projection, ms: performance.now() - started };
  } catch (err) {
    const e = err as Error;
    response = { id: request.id, ok: false, error: { message: e.message, stack: e.stack ?? '' } };
  }
  port.postMessage(response);
});
