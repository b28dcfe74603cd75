/**
 * Reads that may come from a standby (`DATABASE_READ_URL`): reports and dashboards, which tolerate
 * being a moment behind, take load off the primary. Every such answer says where it was read and
 * how far behind that was, so nobody mistakes a standby's figure for the latest.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Where a read was answered: on a standby or not, and its replay lag in seconds (0 on a primary or a standby that has replayed all it received). */
export interface ReadSource {
  readonly standby: boolean;
  readonly lagSeconds: number;
}

/**
 * The lag of the server under `db`. On a standby: 0 when it has replayed everything it received,
 * else the age of the last transaction it replayed (PostgreSQL's own measure; an idle primary
 * sends nothing, so "all received is replayed" is what says it is current).
 *
 * @example
 * await readSource(readDb); // { standby: true, lagSeconds: 0.42 }
 */
export async function readSource(db: Kysely<Database>): Promise<ReadSource> {
  const result = await sql<ReadSourceRow>`select ${READ_SOURCE_COLUMNS}`.execute(db);
  return toReadSource(result.rows[0]);
}

/** The columns `standby` and `lag` as select-list items, for a statement that reads its source with its figures (src/reporting/portfolio-dashboard.ts). */
export const READ_SOURCE_COLUMNS = sql`pg_is_in_recovery() as standby,
      case when not pg_is_in_recovery() then 0::float8
           when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() then 0::float8
           else coalesce(extract(epoch from (now() - pg_last_xact_replay_timestamp()))::float8, 0::float8)
      end as lag`;

/** A row with {@link READ_SOURCE_COLUMNS}. */
export interface ReadSourceRow {
  readonly standby: boolean;
  readonly lag: number | string | null;
}

/** The source a row of {@link READ_SOURCE_COLUMNS} says. */
export function toReadSource(row: ReadSourceRow | undefined): ReadSource {
  const lag = Number(row?.lag ?? 0);
  // Three decimals: milliseconds are as fine as the replay timestamp means anything.
  return { standby: row?.standby === true, lagSeconds: Math.max(0, Math.round(lag * 1000) / 1000) };
}
