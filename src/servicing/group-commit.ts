/**
 * Group commit of concurrent money requests (docs/decisions.md, "Repayments arriving together are
 * committed together", and "Drawdowns arriving together are booked together"). The requests that
 * arrive while a batch's transaction is in flight wait, and the next batch commits them all in one
 * transaction of set-based statements. What a batch does is the subclass's (repayment-batch.ts,
 * drawdown-batch.ts); what is common is here: the queue, the idempotency keys (a replay answered
 * from the stored record, the records written in the batch's transaction), the refusal of one
 * request leaving the others alone, and the fall back to one request at a time when the database
 * refuses the batch's transaction. On Citus, whose statements on the book must name one borrower,
 * every request runs one at a time.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { hasCitus } from '../db/distribution.js';
import { isDatabaseUnavailable, sqlState } from '../db/sqlstate.js';
import { anyOf } from '../db/unnest-rows.js';
import { invariant, InvariantError, SproutError } from '../errors.js';
import { hashRequest, idempotencyRecord, once, scopeKey, storedAnswer, storeIdempotencyRecords } from './idempotency.js';

/** A request's outcome: what it would have returned alone, or what it would have thrown. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** A request handed to a batcher: what `once` takes, and the request the batch applies. */
export interface KeyedSubmission {
  /** The caller's user id: the idempotency key's scope. */
  readonly caller: string;
  readonly key: string;
  readonly request: unknown;
}

/** How big a batch may be and how many may be in flight at once. */
export interface GroupCommitOptions {
  readonly maxBatch: number;
  readonly maxInFlight: number;
}

type Waiting<S, T> = S & { readonly resolve: (answer: T) => void; readonly reject: (error: unknown) => void };

/**
 * Gathers the requests that arrive while the previous batch is in flight and commits them
 * together. Each submission is answered as `once(db, operation, caller, key, request, (trx) =>
 * one(trx, submission))` would answer it: the stored answer for a key already used, the refusal of
 * its own checks, or its result, recorded under its key in the batch's transaction. One request per
 * caller's key (and per `exclusive` name) goes into a batch; a second waits for the next, so a
 * retried key replays the first answer. When the batch's transaction fails (a serialization failure,
 * a deadlock, a twin under the same key committed by another process) its requests run one at a time.
 *
 * @example
 * class RepaymentBatcher<T> extends MoneyBatcher<RepaymentRequest, LoanCheck, Repayment, T> { … }
 * const answer = await batcher.submit({ caller: user.id, key, request, actor: user.username });
 */
export abstract class GroupCommit<S extends KeyedSubmission, T> {
  private waiting: Waiting<S, T>[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Batches taken, batch transactions begun, and requests run alone (on Citus, or after a batch's transaction failed). */
  readonly stats = { batches: 0, transactions: 0, alone: 0 };

  protected readonly db: Kysely<Database>;
  /** The idempotency records' operation (`repayment`, `drawdown`). */
  private readonly operation: string;
  private readonly options: GroupCommitOptions;

  protected constructor(db: Kysely<Database>, operation: string, options: GroupCommitOptions, maxBatch: number) {
    this.db = db;
    this.operation = operation;
    this.options = options;
    invariant(options.maxBatch >= 1 && options.maxBatch <= maxBatch && options.maxInFlight >= 1, `a batch of 1 to ${maxBatch}, at least one in flight`);
  }

  /**
   * Applies `submissions` (each key and `exclusive` name once) in the batch's transaction; returns
   * each one's outcome. A refused request must write nothing: the others commit.
   */
  protected abstract many(trx: Transaction<Database>, submissions: readonly S[]): Promise<Outcome<T>[]>;

  /** One request the way it goes without batching, in `once`'s transaction. */
  protected abstract one(trx: Transaction<Database>, submission: S): Promise<T>;

  /** What at most one request of a batch may name (the loan a repayment repays); none by default. */
  protected exclusive(_submission: S): string | undefined {
    return undefined;
  }

  /** The answer to `submission`, once its batch has committed (or it was refused alone). */
  submit(submission: S): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ ...submission, resolve, reject });
      this.schedule();
    });
  }

  /** Starts a batch on the next turn of the event loop (requests that arrived together go together). */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
      this.schedule();
    });
  }

  /** The next batch, in arrival order: at most one request per key and per exclusive name; the rest wait. */
  private take(): Waiting<S, T>[] {
    const batch: Waiting<S, T>[] = [];
    const left: Waiting<S, T>[] = [];
    const names = new Set<string>();
    const keys = new Set<string>();
    for (const item of this.waiting) {
      const key = `${item.caller}\u0000${item.key}`;
      const name = this.exclusive(item);
      if (batch.length < this.options.maxBatch && (name === undefined || !names.has(name)) && !keys.has(key)) {
        batch.push(item);
        if (name !== undefined) names.add(name);
        keys.add(key);
      } else {
        left.push(item);
      }
    }
    this.waiting = left;
    return batch;
  }

  /** One request the way it goes without batching. */
  private alone(item: Waiting<S, T>): Promise<void> {
    this.stats.alone++;
    return once(this.db, this.operation, item.caller, item.key, item.request, (trx) => this.one(trx, item)).then(item.resolve, item.reject);
  }

  private async run(batch: readonly Waiting<S, T>[]): Promise<void> {
    this.stats.batches++;
    // A failed question (asked again with the next batch, src/db/distribution.ts) runs this one alone.
    if (await hasCitus(this.db).catch(() => true)) {
      await Promise.all(batch.map((item) => this.alone(item)));
      return;
    }
    // The key's checks and a replay of a key already used, as `once` does first.
    const keyed: { item: Waiting<S, T>; scopedKey: string; hash: string }[] = [];
    for (const item of batch) {
      try {
        keyed.push({ item, scopedKey: scopeKey(item.caller, item.key), hash: hashRequest(item.request) });
      } catch (error) {
        item.reject(error);
      }
    }
    if (keyed.length === 0) return;
    let fresh: typeof keyed;
    try {
      const stored = await this.db.selectFrom('idempotency_record').selectAll().where('operation', '=', this.operation).where('key', '=', anyOf(keyed.map(({ scopedKey }) => scopedKey), 'text')).execute();
      const byKey = new Map(stored.map((row) => [row.key, row]));
      fresh = [];
      for (const entry of keyed) {
        const row = byKey.get(entry.scopedKey);
        if (row === undefined) fresh.push(entry);
        else {
          try {
            entry.item.resolve(storedAnswer<T>(row, this.operation, entry.item.key, entry.hash));
          } catch (error) {
            entry.item.reject(error);
          }
        }
      }
    } catch (error) {
      if (!worthRunningAlone(error)) return rejectAll(keyed.map(({ item }) => item), error);
      await Promise.all(keyed.map(({ item }) => this.alone(item)));
      return;
    }
    if (fresh.length === 0) return;
    let answers: Outcome<T>[];
    this.stats.transactions++;
    try {
      answers = await this.db.transaction().execute(async (trx) => {
        const outcomes = await this.many(
          trx,
          fresh.map(({ item }) => item),
        );
        invariant(outcomes.length === fresh.length, `a batch of ${fresh.length} answered ${outcomes.length}`);
        const records = fresh.flatMap(({ scopedKey, hash }, index) => {
          const answer = outcomes[index]!;
          return answer.ok ? [idempotencyRecord(this.operation, scopedKey, hash, answer.value)] : [];
        });
        await storeIdempotencyRecords(trx, records);
        return outcomes;
      });
    } catch (error) {
      // Not the database refusing the batch (a bug, a lost connection): every request hears of it, none is retried.
      if (!worthRunningAlone(error)) return rejectAll(fresh.map(({ item }) => item), error);
      // The batch wrote nothing: each request again, alone, as if it had never been batched.
      await Promise.all(fresh.map(({ item }) => this.alone(item)));
      return;
    }
    fresh.forEach(({ item }, index) => {
      const answer = answers[index]!;
      if (answer.ok) item.resolve(answer.value);
      else item.reject(answer.error);
    });
  }
}

/**
 * True when running the batch's requests one at a time may answer them: the database refused the
 * batch (a serialization failure or deadlock, a twin under the same key committed by another
 * process: any SQLSTATE but a lost server), or a refusal the set-based statements could not pin on
 * one request. Not for a broken invariant or an error without a SQLSTATE (a bug, a dropped
 * connection): retried alone, it would be hidden; every request of the batch is answered with it.
 */
function worthRunningAlone(error: unknown): boolean {
  if (error instanceof InvariantError) return false;
  if (error instanceof SproutError) return true;
  return /^[0-9A-Z]{5}$/.test(sqlState(error) ?? '') && !isDatabaseUnavailable(error);
}

function rejectAll(items: readonly { readonly reject: (error: unknown) => void }[], error: unknown): void {
  for (const item of items) item.reject(error);
}

/** A money request handed to a batcher: the keyed request, who asks, and the check of the caller's right to it. */
export interface MoneySubmission<Q, C> extends KeyedSubmission {
  readonly request: Q;
  readonly actor: string;
  readonly check?: C | undefined;
}

/** What a money batcher books: a batch set-wise (`repayMany`, `drawMany`) or one request alone (`repay`, `drawdown`). */
export interface MoneyBook<Q, C, R> {
  readonly many: (trx: Transaction<Database>, items: readonly MoneySubmission<Q, C>[]) => Promise<Outcome<R>[]>;
  readonly one: (trx: Transaction<Database>, request: Q, actor: string, check?: C) => Promise<R>;
}

/**
 * A group commit of money requests whose answers are `present`ed (the HTTP shape stored under the
 * key and sent) from what `book` returns, batched or alone alike.
 */
export abstract class MoneyBatcher<Q, C, R, T> extends GroupCommit<MoneySubmission<Q, C>, T> {
  private readonly book: MoneyBook<Q, C, R>;
  private readonly present: (result: R) => T;

  protected constructor(db: Kysely<Database>, operation: string, book: MoneyBook<Q, C, R>, present: (result: R) => T, options: GroupCommitOptions, maxBatch: number) {
    super(db, operation, options, maxBatch);
    this.book = book;
    this.present = present;
  }

  protected async many(trx: Transaction<Database>, submissions: readonly MoneySubmission<Q, C>[]): Promise<Outcome<T>[]> {
    const outcomes = await this.book.many(trx, submissions);
    return outcomes.map((outcome): Outcome<T> => (outcome.ok ? { ok: true, value: this.present(outcome.value) } : outcome));
  }

  protected async one(trx: Transaction<Database>, submission: MoneySubmission<Q, C>): Promise<T> {
    return this.present(await this.book.one(trx, submission.request, submission.actor, submission.check));
  }
}
