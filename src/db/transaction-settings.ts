/**
 * Settings for the rest of a transaction, in one statement: `set_config(name, value, true)` is
 * transaction-local, back to the session's own when the transaction commits or rolls back. End of
 * day's chunks and closing steps and the portfolio snapshot each start their transaction with one
 * (src/eod/process-chunk.ts, src/eod/closing-steps.ts, src/reporting/portfolio-history.ts).
 */
import { sql, type RawBuilder } from 'kysely';

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
  if (options.asynchronousCommit === true) each.push(sql`case when current_setting('fsync', true) = 'on' then set_config('synchronous_commit', 'off', true) end`);
  return sql`select ${sql.join(each)}`;
}
