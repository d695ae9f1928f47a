// The embedded database's own thread (src/store/pglite-thread.ts says why). It holds the
// one PGlite and runs what the server's thread sends, one message at a time, in order:
// the raw protocol exchanges (PGlite's WebAssembly and its file system), a sync of the
// files, a dump of the data folder, the close. It parses nothing for the server: the
// answers go back as the raw protocol bytes (moved, not copied), which the server's
// thread parses as PGlite itself would.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import {
  type ThreadCall,
  type ThreadReply,
  type ThreadSetup,
  concatBytes,
} from './pglite-thread-protocol.ts';

const port = parentPort!;
const setup = workerData as ThreadSetup;

const failure = (err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message, stack: e.stack };
};

const send = (reply: ThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

/** The chunks as one array that owns its buffer (so the buffer can be moved, not copied). */
const joined = (chunks: Uint8Array[]): Uint8Array<ArrayBuffer> =>
  chunks.length === 1 && chunks[0]!.buffer instanceof ArrayBuffer
    ? (chunks[0] as Uint8Array<ArrayBuffer>)
    : concatBytes(chunks);

let pg: PGlite;

/** Started before any call is taken (calls wait on it): a failed start ends the thread. */
const started = (async () => {
  try {
    pg = new PGlite({
      dataDir: setup.dataDir,
      loadDataDir: setup.loadDataDir ? new Blob([setup.loadDataDir]) : undefined,
      startParams: setup.startParams,
    });
    await pg.waitReady;
    send({ id: 0, ok: true });
  } catch (err) {
    send({ id: 0, ok: false, error: failure(err) });
    port.close();
  }
})();

async function run(call: ThreadCall): Promise<void> {
  switch (call.method) {
    case 'raw': {
      // The stream form hands over the answer's bytes as they are written, unparsed: the
      // server's thread parses them. (execProtocolRaw would also parse them here, into a
      // list PGlite only empties in execProtocol: it grew by every answer, ~0.3 KB a call.)
      const chunks: Uint8Array[] = [];
      await pg.execProtocolRawStream(call.message, {
        syncToFs: call.syncToFs,
        onRawData: (chunk) => void chunks.push(chunk.slice()), // a view of PGlite's memory
      });
      const data = joined(chunks);
      // COPY … TO '/dev/blob' leaves a file for the caller: it goes back with the answer.
      const written = await pg._getWrittenBlob();
      const blob = written ? new Uint8Array(await written.arrayBuffer()) : undefined;
      send({ id: call.id, ok: true, data, blob }, [data.buffer]);
      return;
    }
    case 'blob':
      await (call.blob ? pg._handleBlob(new Blob([call.blob])) : pg._cleanupBlob());
      return send({ id: call.id, ok: true });
    case 'sync':
      await pg.syncToFs();
      return send({ id: call.id, ok: true });
    case 'dump': {
      const file = await pg.dumpDataDir(call.compression);
      const data = new Uint8Array(await file.arrayBuffer());
      const name = file instanceof File ? file.name : 'pgdata.tar';
      send({ id: call.id, ok: true, data, name, type: file.type }, [data.buffer]);
      return;
    }
    case 'close':
      await pg.close();
      send({ id: call.id, ok: true });
      port.close();
      return;
  }
}

// One at a time, in the order sent: the server's thread already serialises queries and
// transactions (its mutexes), this keeps a dump or a close from overtaking them.
let queue = started;
port.on('message', (call: ThreadCall) => {
  queue = queue.then(() =>
    run(call).catch((err: unknown) => send({ id: call.id, ok: false, error: failure(err) })),
  );
});
