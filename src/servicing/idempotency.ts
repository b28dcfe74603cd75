/**
 * Idempotent money movement. A client retrying a request (a timeout, a double click) sends the
 * same `Idempotency-Key`; the first result is stored in the same transaction as the money it
 * moved, and a replay returns it and moves nothing.
 */
import { createHash } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, IdempotencyRecordTable } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { columnNames, unnestRows } from '../db/unnest-rows.js';
import { isUniqueViolation } from '../db/sqlstate.js';
import { ConflictError, ValidationError } from '../errors.js';

/**
 * Runs `operation` once per (`name`, `caller`, `key`): in one transaction with the record of its
 * result. The same caller's same key with a different request is a CONFLICT; two identical
 * requests racing both get the first one's result.
 *
 * Keys are scoped to the caller (the user's id): a key another user chose is invisible, so it can
 * neither be probed (a 409 would say "someone used this key") nor taken first to block someone
 * else's payment, nor replay someone else's result.
 *
 * @example
 * const result = await once(db, 'repayment', user.id, key, body, (trx) => repay(trx, …));
 */
export async function once<T>(db: Kysely<Database>, name: string, caller: string, key: string, request: unknown, operation: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const scopedKey = scopeKey(caller, key);
  const requestHash = hashRequest(request);
  const stored = await replay<T>(db, name, scopedKey, key, requestHash);
  if (stored !== undefined) return stored;
  try {
    return await inTransaction(db, async (trx) => {
      const result = await operation(trx);
      await trx.insertInto('idempotency_record').values(idempotencyRecord(name, scopedKey, requestHash, result)).execute();
      return result;
    });
  } catch (error) {
    // A concurrent twin committed first: its result is ours.
    if (isUniqueViolation(error)) {
      const twin = await replay<T>(db, name, scopedKey, key, requestHash);
      if (twin !== undefined) return twin;
    }
    throw error;
  }
}

/**
 * The key as stored for `caller`, "caller/key"; a VALIDATION_ERROR on `Idempotency-Key` when it is
 * not 8 to 128 key characters. "/" is not a key character, so two callers' keys never meet, and
 * records written before keys were scoped (no "/") match no one.
 *
 * @example
 * scopeKey(user.id, 'repay-2025-06-30-001'); // `${user.id}/repay-2025-06-30-001`
 */
export function scopeKey(caller: string, key: string): string {
  if (!/^[A-Za-z0-9._:-]{8,128}$/.test(key)) {
    throw new ValidationError('Idempotency-Key', 'must be 8 to 128 letters, digits, ".", "_", ":" or "-" (a UUID is ideal)');
  }
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(caller)) throw new Error(`idempotency caller must be an id, got ${JSON.stringify(caller)}`);
  return `${caller}/${key}`;
}

/** The row that records `result` as the answer to (`name`, `scopedKey`). */
export function idempotencyRecord(name: string, scopedKey: string, requestHash: string, result: unknown): IdempotencyRow {
  return { key: scopedKey, operation: name, request_hash: requestHash, response: JSON.stringify(result, bigintAsString), created_at: new Date() };
}

/** An idempotency record's row as {@link idempotencyRecord} builds it. */
export type IdempotencyRow = Insertable<IdempotencyRecordTable> & { response: string; created_at: Date };

const RECORD_COLUMNS = { key: 'text', operation: 'text', request_hash: 'text', response: 'jsonb', created_at: 'timestamptz' } as const;

/**
 * Writes a batch's records in one statement, one array parameter per column (src/db/unnest-rows.ts).
 *
 * @example
 * await storeIdempotencyRecords(trx, [idempotencyRecord('repayment', scopedKey, hash, answer)]);
 */
export async function storeIdempotencyRecords(trx: Transaction<Database>, records: readonly IdempotencyRow[]): Promise<void> {
  if (records.length === 0) return;
  await trx.insertInto('idempotency_record').columns(columnNames(RECORD_COLUMNS)).expression(sql`select * from ${unnestRows(RECORD_COLUMNS, records)}`).execute();
}

/** The stored answer of `row` for a request hashing to `requestHash`; a CONFLICT when the key was used for another request. */
export function storedAnswer<T>(row: { readonly request_hash: string; readonly response: unknown }, name: string, key: string, requestHash: string): T {
  if (row.request_hash !== requestHash) throw new ConflictError(`Idempotency-Key ${key} was used for a different ${name} request`, 'Idempotency-Key');
  return row.response as T;
}

async function replay<T>(db: Kysely<Database>, name: string, scopedKey: string, key: string, requestHash: string): Promise<T | undefined> {
  const row = await db.selectFrom('idempotency_record').selectAll().where('operation', '=', name).where('key', '=', scopedKey).executeTakeFirst();
  return row ? storedAnswer<T>(row, name, key, requestHash) : undefined;
}

/** What identifies a request under its key: the SHA-256 of its JSON. */
export function hashRequest(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request, bigintAsString)).digest('hex');
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
