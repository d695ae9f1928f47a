// The embedded database on a thread of its own (issue 16: the public pages' p99 on PGlite).
// PGlite runs each protocol exchange as one synchronous call into its WebAssembly, with its
// file system behind it; on the server's thread that was 10–40 ms at a time that every
// request arriving meanwhile waited through (docs/benchmarks.md). Here a worker thread
// (pglite-thread-worker.ts) holds the PGlite and runs the exchanges; this side is PGlite's
// own query layer (its base class: query, exec, transaction, parsers, serializers) over
// that thread, and parses the answers' bytes as PGlite does (#answer below mirrors its
// message handling: errors, notices, notifications). So drizzle, the transactions, LISTEN
// and the errors' SQLSTATE codes work as with an in-thread PGlite, and the server's thread
// only waits. Queries and transactions are serialised here, by the same two locks PGlite
// keeps; the thread takes its messages one at a time, in order.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Worker } from 'node:worker_threads';
import { startSiblingWorker } from '../worker-thread.ts';
import { type QueryIo, createQueryLayer } from './pglite-thread-queries.ts';
import type {
  ThreadCall,
  ThreadFailure,
  ThreadReply,
  ThreadRequest,
  ThreadSetup,
} from './pglite-thread-protocol.ts';

type Lib = typeof import('@electric-sql/pglite');
type Message = { name?: string; channel?: string; payload?: string };
type ExecOptions = { syncToFs?: boolean; throwOnError?: boolean; onNotice?: (notice: never) => void };
type Callback = (payload: string) => void;
type GlobalCallback = (channel: string, payload: string) => void;
type Queryable = { exec(sql: string): Promise<unknown> };
/** PGlite's base class (not exported by name): its query layer over the abstract exchanges. */
type BaseClass = abstract new () => { _initArrayTypes(): Promise<void> };

export type PgliteThreadOptions = { dataDir?: string; loadDataDir?: Blob; startParams: string[] };

/** An error that crossed from the database's thread, as it was there (name, message, stack). */
function revive(failure: ThreadFailure): Error {
  const err = new Error(failure.message);
  err.name = failure.name;
  if (failure.stack) err.stack = failure.stack;
  return err;
}

/** PostgreSQL's folding of an identifier: quoted as written, else lower case (as PGlite's listen). */
const postgresName = (name: string) =>
  name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name.toLowerCase();

/** A started PGlite on its own thread, used exactly as a PGlite is. */
export async function startPgliteThread(options: PgliteThreadOptions): Promise<PGlite> {
  const lib: Lib = await import('@electric-sql/pglite');
  const setup: ThreadSetup = {
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir ? new Uint8Array(await options.loadDataDir.arrayBuffer()) : undefined,
    startParams: options.startParams,
  };
  // The dump is copied, not moved: the caller's Blob may share its buffer (the tests' does).
  const worker = startSiblingWorker(import.meta.url, 'pglite-thread-worker', { workerData: setup });
  const client = new (threadedClass(lib))(worker);
  await client.waitReady;
  return client as unknown as PGlite;
}

function threadedClass(lib: Lib) {
  const Base = Object.getPrototypeOf(lib.PGlite) as BaseClass;
  const { DatabaseError, NoticeMessage, NotificationResponseMessage } = lib.messages;

  return class ThreadedPGlite extends Base {
    debug = 0;
    readonly waitReady: Promise<void>;
    #worker: Worker;
    #nextId = 1;
    #pending = new Map<
      number,
      { resolve: (r: ThreadReply & { ok: true }) => void; reject: (e: Error) => void }
    >();
    #parser = new lib.protocol.Parser();
    #queryLock = new lib.Mutex();
    #transactionLock = new lib.Mutex();
    #listenLock = new lib.Mutex();
    #listeners = new Map<string, Set<Callback>>();
    #globalListeners = new Set<GlobalCallback>();
    #ready = false;
    #closing = false;
    #closed = false;
    /** Why the thread is gone, when it went by itself: every later call says so. */
    #lost: Error | undefined;
    #blobHanded = false;
    #written: Blob | undefined;
    /** PGlite's query layer, with each query's messages sent together (pglite-thread-queries.ts). */
    #layer = createQueryLayer(this.#io());

    constructor(worker: Worker) {
      super();
      this.#worker = worker;
      worker.unref();
      // The thread's first message (id 0) says whether PGlite started.
      const start = new Promise<void>((resolve, reject) =>
        this.#pending.set(0, { resolve: () => resolve(), reject }),
      );
      worker.ref();
      worker.on('message', (reply: ThreadReply) => this.#settle(reply));
      worker.on('error', (err) => this.#lose(err));
      worker.on('exit', (code) =>
        this.#lose(new Error(`the embedded database's thread exited (code ${code})`)),
      );
      this.waitReady = start.then(async () => {
        this.#ready = true;
        await this._initArrayTypes();
      });
    }

    #io(): QueryIo {
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the layer reads the client's state as it changes
      const client = this;
      return {
        lib,
        get parsers() {
          return (client as unknown as { parsers: QueryIo['parsers'] }).parsers;
        },
        get serializers() {
          return (client as unknown as { serializers: QueryIo['serializers'] }).serializers;
        },
        exchange: async (bytes, options, syncFiles) =>
          this.#answer(await this.execProtocolRaw(bytes, { syncToFs: syncFiles }), {
            onNotice: options?.onNotice,
          }),
        handleBlob: (blob) => this._handleBlob(blob),
        cleanupBlob: () => this._cleanupBlob(),
        writtenBlob: () => this._getWrittenBlob(),
        checkReady: () => this._checkReady(),
        exclusiveQuery: (fn) => this._runExclusiveQuery(fn),
        exclusiveTransaction: (fn) => this._runExclusiveTransaction(fn),
        listen: (channel, callback, tx) => this.listen(channel, callback, tx),
      };
    }

    query(...args: Parameters<ReturnType<typeof createQueryLayer>['query']>) {
      return this.#layer.query(...args);
    }

    exec(...args: Parameters<ReturnType<typeof createQueryLayer>['exec']>) {
      return this.#layer.exec(...args);
    }

    transaction<T>(fn: (tx: Transaction) => Promise<T>) {
      return this.#layer.transaction<T>(fn);
    }

    get ready() {
      return this.#ready && !this.#closing && !this.#closed;
    }

    get closed() {
      return this.#closed;
    }

    #settle(reply: ThreadReply) {
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (reply.ok) waiting.resolve(reply);
      else waiting.reject(revive(reply.error));
    }

    #lose(err: Error) {
      if (this.#closed) return;
      // Exiting after close() asked it to is no loss.
      if (!this.#closing) this.#lost ??= err;
      this.#closed = true;
      for (const waiting of this.#pending.values()) waiting.reject(err);
      this.#pending.clear();
    }

    #call(call: ThreadRequest, transfer: ArrayBuffer[] = []): Promise<ThreadReply & { ok: true }> {
      if (this.#lost) return Promise.reject(this.#lost);
      const id = this.#nextId++;
      return new Promise((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        this.#worker.ref();
        this.#worker.postMessage({ ...call, id } satisfies ThreadCall, transfer);
      });
    }

    /** The answer's messages, handled as PGlite handles them (its #parse and #handleMessage). */
    #answer(data: Uint8Array, { throwOnError = true, onNotice }: ExecOptions) {
      const results: Message[] = [];
      let error: Error | undefined;
      this.#parser.parse(data, (message: Message) => {
        if (error) return;
        if (message instanceof DatabaseError) {
          if (throwOnError) error = message;
        } else if (message instanceof NoticeMessage) {
          onNotice?.(message as never);
        } else if (message instanceof NotificationResponseMessage) {
          const { channel = '', payload = '' } = message;
          for (const cb of this.#listeners.get(channel) ?? []) queueMicrotask(() => cb(payload));
          for (const cb of this.#globalListeners) queueMicrotask(() => cb(channel, payload));
        }
        results.push(message);
      });
      if (error) {
        this.#parser = new lib.protocol.Parser();
        throw error;
      }
      return results;
    }

    async execProtocolRaw(message: Uint8Array, { syncToFs = true }: { syncToFs?: boolean } = {}) {
      const copy = message.slice();
      const reply = await this.#call({ method: 'raw', message: copy, syncToFs }, [copy.buffer]);
      if (reply.blob) this.#written = new Blob([reply.blob]);
      return reply.data ?? new Uint8Array(0);
    }

    async execProtocol(message: Uint8Array, options: ExecOptions = {}) {
      const data = await this.execProtocolRaw(message, { syncToFs: options.syncToFs ?? true });
      return { messages: this.#answer(data, options), data };
    }

    async execProtocolStream(message: Uint8Array, options: ExecOptions = {}) {
      const data = await this.execProtocolRaw(message, { syncToFs: options.syncToFs ?? true });
      return this.#answer(data, options);
    }

    async execProtocolRawStream(
      message: Uint8Array,
      { syncToFs = true, onRawData }: { syncToFs?: boolean; onRawData: (data: Uint8Array) => void },
    ) {
      onRawData(await this.execProtocolRaw(message, { syncToFs }));
    }

    async syncToFs() {
      await this.#call({ method: 'sync' });
    }

    async _handleBlob(blob?: Blob) {
      if (!blob && !this.#blobHanded) return;
      const bytes = blob ? new Uint8Array(await blob.arrayBuffer()) : undefined;
      await this.#call({ method: 'blob', blob: bytes }, bytes ? [bytes.buffer] : []);
      this.#blobHanded = blob !== undefined;
    }

    async _cleanupBlob() {
      if (this.#blobHanded) await this._handleBlob(undefined);
    }

    _getWrittenBlob(): Promise<Blob | undefined> {
      const written = this.#written;
      this.#written = undefined;
      return Promise.resolve(written);
    }

    async _checkReady() {
      if (this.#lost) throw this.#lost;
      if (this.#closing) throw new Error('PGlite is closing');
      if (this.#closed) throw new Error('PGlite is closed');
      if (!this.#ready) await this.waitReady;
    }

    _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T> {
      return this.#queryLock.runExclusive(fn);
    }

    _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T> {
      return this.#transactionLock.runExclusive(fn);
    }

    async listen(channel: string, callback: Callback, tx?: Queryable) {
      return this.#listenLock.runExclusive(async () => {
        const name = postgresName(channel);
        const callbacks = this.#listeners.get(name) ?? new Set<Callback>();
        this.#listeners.set(name, callbacks.add(callback));
        try {
          await (tx ?? this).exec(`LISTEN ${channel}`);
        } catch (err) {
          callbacks.delete(callback);
          if (callbacks.size === 0) this.#listeners.delete(name);
          throw err;
        }
        return (again?: Queryable) => this.unlisten(name, callback, again);
      });
    }

    async unlisten(channel: string, callback?: Callback, tx?: Queryable) {
      return this.#listenLock.runExclusive(async () => {
        const name = postgresName(channel);
        const callbacks = this.#listeners.get(name);
        if (callback) callbacks?.delete(callback);
        if (callback && callbacks && callbacks.size > 0) return;
        await (tx ?? this).exec(`UNLISTEN ${channel}`);
        this.#listeners.delete(name);
      });
    }

    onNotification(callback: GlobalCallback) {
      this.#globalListeners.add(callback);
      return () => this.#globalListeners.delete(callback);
    }

    offNotification(callback: GlobalCallback) {
      this.#globalListeners.delete(callback);
    }

    async dumpDataDir(compression?: 'none' | 'gzip' | 'auto') {
      return this.#queryLock.runExclusive(async () => {
        await this._checkReady();
        const reply = await this.#call({ method: 'dump', compression });
        return new File([reply.data ?? new Uint8Array(0)], reply.name ?? 'pgdata.tar', { type: reply.type });
      });
    }

    async close() {
      await this._checkReady();
      await this.#transactionLock.runExclusive(() =>
        this.#queryLock.runExclusive(() => {
          this.#closing = true;
          return Promise.resolve();
        }),
      );
      try {
        await this.#call({ method: 'close' });
      } finally {
        this.#closing = false;
        this.#closed = true;
        await this.#worker.terminate();
      }
    }

    async [Symbol.asyncDispose]() {
      await this.close();
    }
  };
}
