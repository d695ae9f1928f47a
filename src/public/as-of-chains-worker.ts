// The worker thread that holds day chains and audits their day ends (as-of-chains.ts
// says why), so that the settle after a day end and an answer that audits
// one never hold the server's event loop. Requests are taken one at a time, in order: a
// projection never interleaves with the load it is made from. Started by as-of-chains.ts.
import { parentPort } from 'node:worker_threads';
import { createAuditCache } from '../domain/disclosure.ts';
import { ChainsHolder } from '../domain/day-chains.ts';
import type { ChainsRequest, ChainsResponse } from './as-of-chains.ts';
import { toWorkerError } from '../worker-thread.ts';

const port = parentPort;
if (!port) throw new Error('as-of-chains-worker.ts runs as a worker thread only');
const holder = new ChainsHolder(createAuditCache());

async function answer(request: ChainsRequest): Promise<ChainsResponse> {
  try {
    if (request.type === 'load') {
      holder.load(request.load, request.input);
      return { id: request.id, ok: true };
    }
    return { id: request.id, ok: true, projected: await holder.project(request.load, request.points) };
  } catch (err) {
    return { id: request.id, ok: false, error: toWorkerError(err) };
  }
}

let queue = Promise.resolve();
port.on('message', (request: ChainsRequest) => {
  queue = queue.then(async () => port.postMessage(await answer(request)));
});
