/**
 * The embedded backend: PostgreSQL compiled to WebAssembly (PGlite), so `npm start` needs no
 * server. Data lives in a directory (default `./data`); `memory://` keeps it in memory (tests).
 */
import { PGlite, types } from '@electric-sql/pglite';
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
      pglite,
      onCreateConnection: async (connection) => {
        if (schema !== undefined) await connection.executeQuery(CompiledQuery.raw(searchPathStatement(schema)));
      },
    }),
  });
}
