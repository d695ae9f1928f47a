// What the server's thread and the embedded database's thread say to each other
// (src/store/pglite-thread.ts, pglite-thread-worker.ts). Bytes cross as Uint8Arrays whose
// buffers are moved; errors cross as their name, message and stack.

export type ThreadSetup = {
  dataDir?: string;
  /** A dump to start from (PGlite's loadDataDir), as bytes. */
  loadDataDir?: Uint8Array<ArrayBuffer>;
  startParams: string[];
};

export type ThreadCall =
  | { id: number; method: 'raw'; message: Uint8Array<ArrayBuffer>; syncToFs: boolean }
  /** A file for COPY … FROM '/dev/blob' (bytes), or none: the one handed before is dropped. */
  | { id: number; method: 'blob'; blob?: Uint8Array<ArrayBuffer> }
  | { id: number; method: 'sync' }
  | { id: number; method: 'dump'; compression?: 'none' | 'gzip' | 'auto' }
  | { id: number; method: 'close' };

export type ThreadFailure = { name: string; message: string; stack?: string };

/** id 0 answers the start. */
export type ThreadReply =
  | {
      id: number;
      ok: true;
      data?: Uint8Array<ArrayBuffer>;
      blob?: Uint8Array<ArrayBuffer>;
      name?: string;
      type?: string;
    }
  | { id: number; ok: false; error: ThreadFailure };

/** A call before its id is given. */
export type ThreadRequest = ThreadCall extends infer C
  ? C extends { id: number }
    ? Omit<C, 'id'>
    : never
  : never;

/** Byte arrays one after another, in one array that owns its buffer (so it can be moved). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
