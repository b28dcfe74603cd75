/**
 * The embedded backend: PostgreSQL compiled to WebAssembly (PGlite), so `npm start` needs no
 * server. Data lives in a directory (default `./data`); `memory://` keeps it in memory (tests).
 */
import { parse, PGlite, protocol, types, type Results, type Transaction } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PGliteDialect } from 'kysely';
import { ValidationError } from '../errors.js';
import { searchPathStatement } from './search-path.js';
import type { Database } from './schema.js';

/** int8 as BigInt (money is fen in bigint), dates as 'YYYY-MM-DD' strings, never JS Dates. */
const PARSERS = {
  [types.INT8]: (value: string) => BigInt(value),
  [types.DATE]: (value: string) => value,
};

/**
 * Opens (creating if needed) a PGlite database in `dataDir`, or in memory for `memory://`.
 * `loadDataDir` starts it from a `dumpDataDir()` tarball instead of an empty cluster (tests load
 * one migrated database this way rather than initialising and migrating one per process);
 * `initDbStartParams` are initdb's arguments for a new cluster (the tests' dumps use small WAL
 * segments, test/support/make-pglite-template.ts).
 *
 * `SPROUT_PGLITE_SHARED_BUFFERS` (e.g. `16MB`) overrides PGlite's 128 MB of shared buffers: a
 * start costs about half the CPU with 16 MB (2.1 s → 0.9 s), which the test runner uses for its
 * many small databases (docs/decisions.md).
 *
 * @example
 * const pglite = await openPglite('./data');
 */
export async function openPglite(dataDir: string, options: { loadDataDir?: Blob; initDbStartParams?: string[] } = {}): Promise<PGlite> {
  const sharedBuffers = process.env.SPROUT_PGLITE_SHARED_BUFFERS;
  if (sharedBuffers && !/^[1-9][0-9]*(kB|MB|GB)$/.test(sharedBuffers)) {
    throw new ValidationError('SPROUT_PGLITE_SHARED_BUFFERS', `must be a size such as 16MB, got "${sharedBuffers}"`);
  }
  const startParams = sharedBuffers ? [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] : undefined;
  const pglite = new PGlite({ ...(dataDir === 'memory://' ? {} : { dataDir }), ...options, parsers: PARSERS, ...(startParams ? { startParams } : {}) });
  await pglite.waitReady;
  return pglite;
}

/**
 * A Kysely over an open PGlite instance. With `schema`, the instance's search path is set to it
 * when Kysely first connects. PGlite is a single connection, so this holds for every user of the
 * instance: tests that share one instance run their cases one after another.
 */
export function kyselyOverPglite(pglite: PGlite, schema?: string): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PGliteDialect({
      pglite: withOneCallQueries(pglite),
      onCreateConnection: async (connection) => {
        if (schema !== undefined) await connection.executeQuery(CompiledQuery.raw(searchPathStatement(schema)));
      },
    }),
  });
}

/** What Kysely's PGlite driver uses of an instance. */
type QueriedPglite = Pick<PGlite, 'closed' | 'ready' | 'waitReady' | 'close' | 'query' | 'transaction'>;

/**
 * `pglite` with `query` (alone and in a transaction) sending its statement to PostgreSQL in one
 * call instead of six. PGlite's own `query` hands the WebAssembly backend each message of the
 * extended protocol separately (parse, describe the statement, bind, describe the portal,
 * execute, sync), and each hand-over costs more than a small statement's own work; here the
 * statement's parameter types, which PGlite asks for to choose each parameter's serializer, are
 * asked once per statement text and kept, and the rest goes in one message batch. The same
 * serializers and parsers apply, so the rows and errors are PGlite's own (docs/decisions.md).
 *
 * The parameter types of a text are kept only for plain reads and writes (`select`, `insert`,
 * `update`, `delete`, `with`); any other statement (DDL, `set`) forgets every type kept for the
 * instance, since it may change what a text's parameters are.
 */
function withOneCallQueries(pglite: PGlite): QueriedPglite {
  const query = async <T>(text: string, params: unknown[] = [], options?: Parameters<PGlite['query']>[2], inTransaction = false): Promise<Results<T>> => {
    if (options?.blob !== undefined || options?.paramTypes !== undefined || options?.serializers !== undefined) {
      return pglite.query<T>(text, params, options);
    }
    const run = () => pglite._runExclusiveQuery(() => oneCallQuery<T>(pglite, text, params, options, !inTransaction));
    return inTransaction ? run() : pglite._runExclusiveTransaction(run);
  };
  return {
    get closed() {
      return pglite.closed;
    },
    get ready() {
      return pglite.ready;
    },
    waitReady: pglite.waitReady,
    close: () => pglite.close(),
    query: (text, params, options) => query(text, params, options),
    transaction: (callback) =>
      pglite.transaction((tx) =>
        callback(new Proxy(tx, { get: (target, key, receiver) => (key === 'query' ? (text: string, params?: unknown[], options?: Parameters<PGlite['query']>[2]) => query(text, params, options, true) : Reflect.get(target, key, receiver)) }) as Transaction),
      ),
  };
}

/** Parameter types by statement text, per instance. */
const parameterTypes = new WeakMap<PGlite, Map<string, number[]>>();
/** Statement texts whose parameter types may be kept: plain reads and writes. */
const KEEPS_TYPES = /^\s*(select|insert|update|delete|with)\b/i;
/** Texts kept per instance before they are all forgotten (texts with inlined values would grow it without end). */
const MAX_KEPT_TEXTS = 5000;

function concatenated(messages: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(messages.reduce((length, message) => length + message.length, 0));
  let offset = 0;
  for (const message of messages) {
    joined.set(message, offset);
    offset += message.length;
  }
  return joined;
}

async function oneCallQuery<T>(pglite: PGlite, text: string, params: unknown[], options: Parameters<PGlite['query']>[2], syncToFs: boolean): Promise<Results<T>> {
  const { serialize } = protocol;
  let kept = parameterTypes.get(pglite);
  if (kept === undefined) parameterTypes.set(pglite, (kept = new Map()));
  const keeps = KEEPS_TYPES.test(text);
  try {
    let types = keeps ? kept.get(text) : undefined;
    if (types === undefined) {
      const described = await pglite.execProtocol(concatenated([serialize.parse({ text }), serialize.describe({ type: 'S' }), serialize.sync()]), { syncToFs: false });
      types = parse.parseDescribeStatementResults(described.messages);
      if (keeps) {
        if (kept.size >= MAX_KEPT_TEXTS) kept.clear();
        kept.set(text, types);
      }
    }
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const serializer = pglite.serializers[types[index]!];
      return serializer ? serializer(value) : String(value);
    });
    const result = await pglite.execProtocol(
      concatenated([serialize.parse({ text }), serialize.bind({ values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
      { syncToFs },
    );
    return parse.parseResults(result.messages, pglite.parsers, options)[0] as Results<T>;
  } catch (error) {
    // As PGlite's own query: the statement and its parameters on the error.
    if (error !== null && typeof error === 'object' && 'code' in error) Object.assign(error, { query: text, params, queryOptions: options });
    throw error;
  } finally {
    if (!keeps) kept.clear();
  }
}
