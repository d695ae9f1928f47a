// PGlite's query layer (its base class's query, exec and transaction), with the protocol
// messages of one query sent together: every exchange with the database's thread costs the
// server's thread a message each way (~25–30 µs of its CPU, measured), and PGlite's own layer
// makes seven per query (parse, describe, bind, describe, execute, sync, then a sync of the
// files). Here: one exchange for a query without parameters or for exec, two for a query with
// parameters (their types are needed to serialise them), the files' sync folded into the last.
// What a caller sees is PGlite's: the same results, parsers and serialisers, errors carrying the
// query, a failed transaction rolled back, a COMMIT that rolled back raising 25P02.
import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { concatBytes } from './pglite-thread-protocol.ts';

type Lib = typeof import('@electric-sql/pglite');
type Message = { name?: string; command?: string };
type Serializers = Record<number, (value: unknown) => string>;

/** What the layer needs of the client it serves (src/store/pglite-thread.ts). */
export type QueryIo = {
  lib: Lib;
  parsers: QueryOptions['parsers'];
  serializers: Serializers;
  /** One exchange: the messages' bytes in, the answer's messages out (a DatabaseError thrown). */
  exchange(bytes: Uint8Array, options: QueryOptions | undefined, syncFiles: boolean): Promise<Message[]>;
  handleBlob(blob?: Blob): Promise<void>;
  cleanupBlob(): Promise<void>;
  writtenBlob(): Promise<Blob | undefined>;
  checkReady(): Promise<void>;
  exclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  exclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  listen: PGlite['listen'];
};

/** A database error names the query it came from, as PGlite's own layer does. */
function withQuery(
  io: QueryIo,
  err: unknown,
  query: string,
  params: unknown[] | undefined,
  options?: unknown,
) {
  if (err instanceof io.lib.messages.DatabaseError)
    Object.assign(err, { query, params, queryOptions: options });
  return err;
}

/**
 * parseResults(messages, parsers, options) with the query's own parsers over the client's:
 * PGlite copies all of the client's ~320 parsers into a new object for every query that
 * brings its own (drizzle's do, for dates), ~100 µs of the server's thread per query,
 * measured. Layered on them instead (a parser is only looked up by type id), nothing is copied.
 */
function parsed(io: QueryIo, messages: Message[], options: QueryOptions | undefined, blob: Blob | undefined) {
  const base = (io.parsers ?? {}) as Record<number, unknown>;
  const own = options?.parsers;
  const parsers = own ? Object.assign(Object.create(base) as Record<number, unknown>, own) : base;
  return io.lib.parse.parseResults(
    messages as never,
    parsers as never,
    own ? { ...options, parsers: undefined } : options,
    blob,
  );
}

export function createQueryLayer(io: QueryIo) {
  const { serialize } = io.lib.protocol;
  const { parseDescribeStatementResults } = io.lib.parse;
  let inTransaction = false;

  async function runQuery<T>(
    query: string,
    params: unknown[] = [],
    options?: QueryOptions,
  ): Promise<Results<T>> {
    return io.exclusiveQuery(async () => {
      await io.handleBlob(options?.blob);
      const parse = serialize.parse({ text: query, types: options?.paramTypes });
      const tail = (values: (string | null)[]) =>
        concatBytes([
          serialize.bind({ values }),
          serialize.describe({ type: 'P' }),
          serialize.execute({}),
          serialize.sync(),
        ]);
      let messages: Message[];
      try {
        if (params.length === 0) {
          messages = await io.exchange(concatBytes([parse, tail([])]), options, !inTransaction);
        } else {
          const described = await exchangeThenSync(
            concatBytes([parse, serialize.describe({ type: 'S' })]),
            options,
          );
          const types = parseDescribeStatementResults(described as never);
          const values = params.map((value, i) => {
            if (value === null || value === undefined) return null;
            const type = types[i]!;
            const serializer = options?.serializers?.[type] ?? io.serializers[type];
            // PGlite's own fallback for a type it has no serialiser for.
            // eslint-disable-next-line @typescript-eslint/no-base-to-string
            return serializer ? serializer(value) : String(value);
          });
          messages = [...described, ...(await io.exchange(tail(values), options, !inTransaction))];
        }
      } catch (err) {
        throw withQuery(io, err, query, params, options);
      }
      await io.cleanupBlob();
      const blob = await io.writtenBlob();
      return parsed(io, messages, options, blob)[0] as Results<T>;
    });
  }

  /** An exchange not ending in Sync: after an error, the Sync the server waits for is sent. */
  async function exchangeThenSync(bytes: Uint8Array, options?: QueryOptions) {
    try {
      return await io.exchange(bytes, options, false);
    } catch (err) {
      await io.exchange(serialize.sync(), options, false).catch(() => undefined);
      throw err;
    }
  }

  async function runExec(query: string, options?: QueryOptions): Promise<Results[]> {
    return io.exclusiveQuery(async () => {
      await io.handleBlob(options?.blob);
      let messages: Message[];
      try {
        messages = await io.exchange(
          concatBytes([serialize.query(query), serialize.sync()]),
          options,
          !inTransaction,
        );
      } catch (err) {
        throw withQuery(io, err, query, undefined, options);
      }
      await io.cleanupBlob();
      const blob = await io.writtenBlob();
      return parsed(io, messages, options, blob);
    });
  }

  /** The SQL of a tagged template, its values as parameters $1, $2… */
  const fromTemplate = (strings: TemplateStringsArray, values: unknown[]) => ({
    query: strings.reduce((text, part, i) => `${text}$${i}${part}`),
    params: values,
  });

  return {
    async query<T>(query: string, params?: unknown[], options?: QueryOptions) {
      await io.checkReady();
      return io.exclusiveTransaction(() => runQuery<T>(query, params, options));
    },
    async exec(query: string, options?: QueryOptions) {
      await io.checkReady();
      return io.exclusiveTransaction(() => runExec(query, options));
    },
    async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      await io.checkReady();
      return io.exclusiveTransaction(async () => {
        await runExec('BEGIN');
        inTransaction = true;
        let closed = false;
        const open = () => {
          if (closed) throw new Error('Transaction is closed');
        };
        const tx: Transaction = {
          query: async (query, params, options) => (open(), runQuery(query, params, options)),
          sql: async (strings, ...values) => {
            open();
            const { query, params } = fromTemplate(strings, values);
            return runQuery(query, params);
          },
          exec: async (query, options) => (open(), runExec(query, options)),
          rollback: async () => {
            open();
            await runExec('ROLLBACK');
            closed = true;
          },
          listen: async (channel, callback) => (open(), io.listen(channel, callback, tx)),
          get closed() {
            return closed;
          },
        };
        try {
          const result = await fn(tx);
          if (!closed) {
            closed = true;
            const [committed] = await runExec('COMMIT');
            if ((committed as { command?: string } | undefined)?.command === 'ROLLBACK')
              throw withQuery(io, new io.lib.TransactionAbortedError(), 'COMMIT', undefined);
          }
          inTransaction = false;
          return result;
        } catch (err) {
          if (!closed) {
            closed = true;
            await runExec('ROLLBACK');
          }
          inTransaction = false;
          throw err;
        }
      });
    },
  };
}
