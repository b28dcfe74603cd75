/**
 * Transactions that survive serialization failures.
 *
 * Distributed engines (CockroachDB, YugabyteDB) and PostgreSQL at SERIALIZABLE abort a
 * transaction with SQLSTATE 40001 when it lost a race; the remedy is to run it again. The body
 * must therefore be safe to re-run: no side effects outside the database.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Bound on attempts: a hot row under constant contention must fail loudly, not spin forever. */
const MAX_ATTEMPTS = 8;

/**
 * Runs `body` in a transaction, retrying it on 40001 (serialization failure) and 40P01 (deadlock).
 *
 * @example
 * await inTransaction(db, async (trx) => { await trx.insertInto('app_user').values(row).execute(); });
 */
export async function inTransaction<T>(db: Kysely<Database>, body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(body);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      // Back off a little, with jitter, so the racers do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

/** True for the SQLSTATEs that mean "run the transaction again". */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}
