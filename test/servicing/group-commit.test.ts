/**
 * What every group commit does whatever it books (src/servicing/group-commit.ts): here with a batch
 * that books nothing but its idempotency records, so that what is tested is the queue and the answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { GroupCommit, type KeyedSubmission, type Outcome } from '../../src/servicing/group-commit.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { unlessCitus } from '../support/citus.js';

/** Answers each request (a number) with its double, in batches of up to 100. */
class Doubler extends GroupCommit<KeyedSubmission & { readonly request: number }, number> {
  constructor(db: Kysely<Database>) {
    super(db, 'doubling', { maxBatch: 100, maxInFlight: 1 }, 100);
  }

  protected async many(_trx: Transaction<Database>, submissions: readonly (KeyedSubmission & { readonly request: number })[]): Promise<Outcome<number>[]> {
    return submissions.map(({ request }) => ({ ok: true, value: request * 2 }));
  }

  protected async one(_trx: Transaction<Database>, submission: KeyedSubmission & { readonly request: number }): Promise<number> {
    return submission.request * 2;
  }
}

for (const backend of BACKENDS) {
  describe(`a group commit (${backend})`, () => {
    const name = "a batch's answers come a few dozen a turn of the event loop, each its own, in order";
    it(name, unlessCitus(backend, name), async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const batcher = new Doubler(db);
        const arrived: number[] = [];
        // Queued when the first answer arrives: it runs once the loop turns, which it does between slices of answers.
        let answeredWhenTheLoopTurned: number | undefined;
        const answers = await Promise.all(
          Array.from({ length: 80 }, (_, index) =>
            batcher.submit({ caller: 'user-1', key: `doubling-${String(index).padStart(4, '0')}`, request: index }).then((answer) => {
              if (arrived.length === 0) setImmediate(() => (answeredWhenTheLoopTurned = arrived.length));
              arrived.push(index);
              return answer;
            }),
          ),
        );
        assert.deepEqual(answers, Array.from({ length: 80 }, (_, index) => index * 2));
        assert.deepEqual(arrived, Array.from({ length: 80 }, (_, index) => index));
        assert.deepEqual(batcher.stats, { batches: 1, transactions: 1, alone: 0 });
        // 25 a turn: the loop turned after the first slice or the second, long before the 80th answer.
        assert.ok(answeredWhenTheLoopTurned !== undefined && answeredWhenTheLoopTurned >= 25 && answeredWhenTheLoopTurned <= 50, `the loop turned after ${answeredWhenTheLoopTurned} answers`);
        // Each was recorded under its key, in the batch's transaction.
        const stored = await db.selectFrom('idempotency_record').select((eb) => eb.fn.countAll<string>().as('n')).where('operation', '=', 'doubling').executeTakeFirstOrThrow();
        assert.equal(Number(stored.n), 80);
      });
    });
  });
}
