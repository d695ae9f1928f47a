// The worker thread that computes public projections (privacy rules, small-count
// suppression and its exact audit: src/domain/privacy.ts), and renders them, so
// that a build of thousands of movements never holds the server's event loop.
// It keeps the audit's cache of verdicts between builds, so a save that touches
// one movement re-audits only what changed, and the last few projections it made,
// so a rendition of one is asked by id; it is rendered, compressed and hashed here,
// and its bytes are moved back, so the server's thread neither encodes nor collects
// large texts. Requests are taken one at a time, each answered when it is done.
// On PostgreSQL it reads the snapshots itself, from its own small pool (setup.read),
// so their rows are parsed here, not on the server's thread; it holds the last few
// set read until the next build reads. Started by src/public/projector.ts.
import { serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { createAuditCache, printedValues } from '../domain/disclosure.ts';
import { type PublicProjection, toPublicProjection } from '../domain/privacy.ts';
import { createSnapshotReader } from '../domain/snapshot-reader.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import { type Database, openDatabase } from '../store/database.ts';
import { toWorkerError } from '../worker-thread.ts';
import { createRenderer } from '../views.ts';
import type { RenderFn } from './build.ts';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './projector.ts';
import { type PackedSnapshot, unpackSnapshots } from './projector-snapshots.ts';
import { contentChangedAt } from './last-modified.ts';
import { publicRenderer } from './render.ts';
import { encodeRenderedSync, toTransfer } from './rendition.ts';

/** Projections kept for rendering: the current, the one it replaces, and a spare. */
const KEPT = 3;

const cache = createAuditCache();
/** Reads again only the movements that changed since its last read (snapshot-reader.ts). */
const reader = createSnapshotReader();
const kept = new Map<number, { projection: PublicProjection; at: Date }>();
const reads = new Map<number, Snapshot[]>();
let database: Promise<Database> | undefined;
const setup = workerData as WorkerSetup | undefined;
let render: RenderFn | undefined;
const port = parentPort;
if (!port) throw new Error('projection-worker.ts runs as a worker thread only');

/** This worker's own pool, opened on first read (nothing connects before). */
function db(): Promise<Database> {
  const read = setup?.read;
  if (!read) throw new Error('this worker was not given a database to read');
  database ??= openDatabase({
    kind: 'postgres',
    url: read.url,
    poolSize: read.poolSize ?? 2,
    applicationName: 'corridor-public-build',
  });
  return database;
}

/**
 * Reads the snapshots of a new build. The set read before is dropped first: builds run one at
 * a time (cache-scheduler.ts), each reading once and projecting what it read (its retries
 * included) before the next reads, so nothing asks for an older set; the two are never held
 * together (at thousands of movements, several MB of this thread's heap).
 */
async function readSnapshots(request: Extract<WorkerRequest, { type: 'read' }>): Promise<WorkerResponse> {
  reads.clear();
  const snapshots = await reader.read((await db()).db, new Date(request.at));
  reads.set(request.id, snapshots);
  return { id: request.id, ok: true, operationIds: snapshots.map((s) => s.operation.id) };
}

/** The movements last sent (projector.ts: those unchanged since come back as their id). */
let sentMovements = new Map<number, Snapshot['routes'][number]['movements'][number]>();

function unpacked(packed: PackedSnapshot[]): Snapshot[] {
  const { snapshots, movements } = unpackSnapshots(packed, sentMovements);
  sentMovements = movements;
  return snapshots;
}

function renderHeld(request: Extract<WorkerRequest, { type: 'render' }>): WorkerResponse {
  const held = kept.get(request.projectionId);
  if (!held || !setup?.render)
    return request.encode
      ? { id: request.id, ok: true, encoded: null }
      : { id: request.id, ok: true, rendered: null };
  render ??= publicRenderer({ renderer: createRenderer(), ...setup.render });
  const started = performance.now();
  const rendered = render(held.projection, request.lang, request.format, request.meta);
  // Its date walks the whole projection: here too, not on the server's thread.
  const changedAt = contentChangedAt(held.projection, request.format, held.at);
  if (!request.encode) return { id: request.id, ok: true, rendered: { ...rendered, changedAt } };
  const renderedAt = performance.now();
  // Compressed here at once, so it is answered now: on the threadpool, its completion would
  // wait for this thread to finish rendering the next outputs (the page behind the feed).
  const encoded = encodeRenderedSync(rendered);
  return {
    id: request.id,
    ok: true,
    encoded: {
      encoded: toTransfer(encoded),
      changedAt,
      renderMs: renderedAt - started,
      compressMs: performance.now() - renderedAt,
    },
  };
}

/** A value serialised into an ArrayBuffer of its own, which can be moved. */
function serialized(value: unknown): ArrayBuffer {
  const bytes = serialize(value);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/** What a response moves rather than copies: a projection's bulk, an output's bytes. */
function transferList(response: WorkerResponse): ArrayBuffer[] {
  if ('body' in response) return [response.body, response.releases];
  if ('encoded' in response && response.encoded) {
    const e = response.encoded.encoded;
    // The three are distinct buffers (each encoding its own); never list one twice.
    return [...new Set([e.identity, e.gzip, e.br])];
  }
  return [];
}

function answer(request: WorkerRequest): WorkerResponse | Promise<WorkerResponse> {
  if (request.type === 'read') return readSnapshots(request);
  if (request.type === 'render') return renderHeld(request);
  const started = performance.now();
  const at = new Date(request.at);
  const before = request.previousId !== undefined ? kept.get(request.previousId) : undefined;
  const snapshots = Array.isArray(request.snapshots)
    ? unpacked(request.snapshots)
    : reads.get(request.snapshots.handle);
  if (!snapshots) throw new Error('the snapshots read for this build are no longer held');
  const timing = { discloseMs: 0 };
  const projection = toPublicProjection(snapshots, at, {
    previous: before
      ? new Map(before.projection.disclosure.releases.map((r) => [r.operationId, r]))
      : request.previous,
    memory: request.memory,
    cache,
    timing,
  });
  kept.set(request.id, { projection, at });
  for (const id of kept.keys()) if (kept.size > KEPT) kept.delete(id);
  const { operations, disclosure, ...times } = projection;
  const { releases, ...summary } = disclosure;
  // What the ledger records, made here: the server's thread then never reads the releases
  // back nor builds their tables (their states are built here already: stateOf's cache).
  const records = releases.map((r) => ({
    operationId: r.operationId,
    text: JSON.stringify(r),
    printed: printedValues(r),
  }));
  return {
    id: request.id,
    ok: true,
    head: { ...times, disclosure: { ...summary, records } },
    // Apart: the server's thread reads the (small) releases after every build, and the
    // operations (thousands of movements) only to render there or to publish files.
    body: serialized(operations),
    releases: serialized(releases),
    ms: performance.now() - started,
    auditMs: timing.discloseMs,
  };
}

/** Every failure is answered to the caller, which logs it (projector.ts): nothing is thrown here. */
async function reply(request: WorkerRequest) {
  let response: WorkerResponse;
  try {
    response = await answer(request);
  } catch (err) {
    response = { id: request.id, ok: false, error: toWorkerError(err) };
  }
  // The bulk and the bytes are moved, not copied.
  port!.postMessage(response, transferList(response));
}

/**
 * Requests taken one at a time, a turn of the event loop between them: the messages that
 * arrive together (a new build's every output) would otherwise all be handled before any
 * answer is sent, and the page would wait for the last output to be rendered.
 */
const queue: WorkerRequest[] = [];
let pumping = false;
function pump() {
  const request = queue.shift();
  if (!request) {
    pumping = false;
    return;
  }
  // Its synchronous work runs now and it is answered; a read's queries go on meanwhile.
  void reply(request);
  setImmediate(pump);
}

port.on('message', (request: WorkerRequest) => {
  queue.push(request);
  if (pumping) return;
  pumping = true;
  setImmediate(pump);
});
