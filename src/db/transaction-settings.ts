/**
 * Settings for the rest of a transaction, in one statement: `set_config(name, value, true)` is
 * transaction-local, back to the session's own when the transaction commits or rolls back. End of
 * day's chunks and closing steps and the portfolio snapshot each start their transaction with one
 * (src/eod/process-chunk.ts, src/eod/closing-steps.ts, src/reporting/portfolio-history.ts).
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The statement setting each of `settings` for the rest of the transaction, each only where the
 * engine has it (current_setting(…, true) is null where it does not). With `asynchronousCommit`,
 * also `synchronous_commit = off`, only where the server flushes (fsync on): PGlite has fsync off
 * and no WAL writer, so an asynchronous commit there stays in the WAL buffers and a killed process
 * loses it (docs/decisions.md, "The night's chunks commit asynchronously").
 *
 * @example
 * await transactionSettingsSql({ jit: 'off', work_mem: '64MB' }, { asynchronousCommit: true }).execute(trx);
 */
export function transactionSettingsSql(settings: Readonly<Record<string, string>>, options: { readonly asynchronousCommit?: boolean } = {}): RawBuilder<unknown> {
  const each = Object.entries(settings).map(([name, value]) => sql`case when current_setting(${sql.lit(name)}, true) is not null then set_config(${sql.lit(name)}, ${sql.lit(value)}, true) end`);
  if (options.asynchronousCommit === true) each.push(asynchronousCommitSql());
  return sql`select ${sql.join(each)}`;
}

/**
 * `synchronous_commit` off until the transaction ends, as an expression (its value: 'off', or null
 * where the server does not flush, fsync off as on PGlite, and nothing is set): for a statement that
 * is its own transaction, whose commit then does not wait for the WAL flush.
 *
 * @example
 * sql`update eod_chunk set … returning chunk_no, ${asynchronousCommitSql()} as asynchronous`;
 */
export function asynchronousCommitSql(): RawBuilder<string | null> {
  return sql<string | null>`case when current_setting('fsync', true) = 'on' then set_config('synchronous_commit', 'off', true) end`;
}

/**
 * Runs `statement` with `settings` for it alone. `set_config(…, true)` lasts until the transaction
 * ends: outside one, the statement gets a transaction of its own; inside a caller's, the previous
 * values are put back after it, for what else the caller's transaction plans. A setting the engine
 * does not have (`current_setting(…, true)` is null, e.g. no JIT) is left alone.
 *
 * @example
 * await withSettings(trx, { enable_hashagg: 'off' }, (trx) => sql`insert into … select …`.execute(trx));
 */
export async function withSettings<T>(db: Executor, settings: Readonly<Record<string, string>>, statement: (trx: Executor) => Promise<T>): Promise<T> {
  const apply = async (trx: Executor, values: Readonly<Record<string, string>>) => {
    const previous: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      const row = (
        await sql<{ previous: string }>`select current_setting(${name}, true) as previous, set_config(${name}, ${value}, true) as now
          where current_setting(${name}, true) is not null`.execute(trx)
      ).rows[0];
      if (row !== undefined) previous[name] = row.previous;
    }
    return previous;
  };
  if (!db.isTransaction) return db.transaction().execute(async (trx) => (await apply(trx, settings), statement(trx)));
  const previous = await apply(db, settings);
  // A failed statement aborts the caller's transaction, which ends the settings with it.
  const result = await statement(db);
  await apply(db, previous);
  return result;
}
