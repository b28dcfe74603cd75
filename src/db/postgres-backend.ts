/**
 * The server backend: PostgreSQL (or a wire-compatible distributed engine) through `pg`.
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { invariant } from '../errors.js';
import type { Database } from './schema.js';

const INT8_OID = 20;
const DATE_OID = 1082;

/**
 * int8 as BigInt and dates as 'YYYY-MM-DD' strings, for this pool only (not pg's global parsers,
 * so two pools in one process never disagree).
 */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => BigInt(value);
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/**
 * A Kysely over a `pg` pool for `url`. With `schema`, every pooled connection starts with that
 * search path (tests give each case its own schema).
 *
 * @example
 * const db = kyselyOverPostgres('postgres://postgres@127.0.0.1:5432/test');
 */
export function kyselyOverPostgres(url: string, options: { schema?: string; maxConnections?: number } = {}): Kysely<Database> {
  const { schema, maxConnections = 10 } = options;
  invariant(schema === undefined || /^[a-z_][a-z0-9_]{0,62}$/.test(schema), 'schema must be a plain identifier');
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    types: TYPES,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
