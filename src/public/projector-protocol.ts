// What the server's thread and the projection worker (projection-worker.ts) say to each
// other, and what a caller asks a projector for (projector.ts): types only, so that both
// threads share them without either loading the other's code.
import type { DisclosureMemory, HeldStates } from '../domain/disclosure.ts';
import type { PublicProjection } from '../domain/privacy.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { WorkerError } from '../worker-thread.ts';
import type { Lang } from '../i18n/index.ts';
import type { PackedSnapshot } from './projector-snapshots.ts';
import type { Encoded, EncodedTransfer, PublicFormat, Rendered } from './rendition.ts';

/** Snapshots read in the worker (read()), held there until projected: their operations and a handle. */
export type ReadSnapshots = { operationIds: number[]; handle: number };

export type ProjectionInput = {
  /** Read here, or read where they are projected (the worker's own pool). */
  snapshots: Snapshot[] | ReadSnapshots;
  at: Date;
  /** Per operation: the state published before, or every state a reader can hold with the new one. */
  previous?: ReadonlyMap<number, HeldStates>;
  /** The projection published before (its releases are `previous`; the worker may still hold it). */
  previousFrom?: PublicProjection;
  memory?: ReadonlyMap<number, DisclosureMemory>;
};

/** What crosses back from the worker at once; the rest (`operations`, `releases`) only when read. */
export type ProjectionHead = Pick<PublicProjection, 'generatedAt' | 'lastUpdatedAt' | 'validUntil'> & {
  disclosure: Omit<PublicProjection['disclosure'], 'releases'>;
};

export type RenderMeta = { degradedAsOf?: Date };

/** An output rendered, compressed and hashed in the worker, and how long each took there. */
export type EncodedOutput = { encoded: Encoded; changedAt?: Date; renderMs: number; compressMs: number };
export type WorkerEncoded = Omit<EncodedOutput, 'encoded'> & { encoded: EncodedTransfer };

/** Where the worker reads the snapshots itself (PostgreSQL; from the composition root). */
export type WorkerRead = { url: string; poolSize?: number };
/** What the worker is started with: how to render (render.ts's options), where to read. */
export type WorkerSetup = { render?: { baseUrl: string; tagAuthority?: string }; read?: WorkerRead };
export type WorkerRequest =
  | { type: 'read'; id: number; at: number }
  | (Omit<ProjectionInput, 'at' | 'previousFrom' | 'snapshots'> & {
      /** The snapshots (packed: packSnapshots), or the id of the read request that read them in the worker. */
      snapshots: PackedSnapshot[] | { handle: number };
      type: 'project';
      id: number;
      at: number;
      /** The worker's id of the previous projection, when it still holds it (then no `previous`). */
      previousId?: number;
    })
  | {
      type: 'render';
      id: number;
      projectionId: number;
      lang: Lang;
      format: PublicFormat;
      meta: RenderMeta;
      /** Also compress and hash it there, and send the bytes back moved (renderEncoded). */
      encode?: boolean;
    };
export type WorkerResponse =
  | {
      id: number;
      ok: true;
      head: ProjectionHead;
      /** The operations, serialised (node:v8); read on this side only to render here or publish files. */
      body: ArrayBuffer;
      /** The releases, serialised apart: the ledger reads them after every build, never the operations. */
      releases: ArrayBuffer;
      ms: number;
      auditMs: number;
    }
  | { id: number; ok: true; operationIds: number[] }
  | { id: number; ok: true; rendered: Rendered | null }
  | { id: number; ok: true; encoded: WorkerEncoded | null }
  | { id: number; ok: false; error: WorkerError };
