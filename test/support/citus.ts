/**
 * The tests that cannot pass on Citus, by nature, each with its reason: the one list the tests read
 * (`unlessCitus`) and docs/scaling.md's table ("Tests that cannot pass on Citus") repeats. On a
 * Citus coordinator (`TEST_DATABASE_URL` at one, backend `postgres`) such a test is reported as
 * skipped, with "on Citus: <reason>" in the test report; everywhere else it runs.
 *
 * @example
 * it(name, unlessCitus(backend, name), async () => { … });
 */
import type { Backend } from '../../src/db/database.js';
import { hasCitus } from '../../src/db/distribution.js';
import { kyselyOverPostgres } from '../../src/db/postgres-backend.js';

export interface CitusExclusion {
  readonly file: string;
  /** The test's name, as given to `it`. */
  readonly test: string;
  readonly reason: string;
}

export const CITUS_EXCLUSIONS: readonly CitusExclusion[] = [
  {
    file: 'test/data/pull-data.test.ts',
    test: 'migration 0013 moves records stored one per row into one set per pull and source, reading back the same',
    reason:
      'it rebuilds the layout of before migration 0013, whose unique key data_pull (id) Citus cannot have on a distributed table (a unique key without enterprise_id)',
  },
  {
    file: 'test/servicing/repayment-batch.test.ts',
    test: 'a month end of concurrent repayments (retries, refusals, the same loan twice) gives the answers, balances, journal, receipts and audit of one at a time',
    reason: 'on Citus the batcher runs every repayment alone by design (a batch names many borrowers, and the book\'s statements are routed by one): this test is of the batch itself; the API test in the same file runs the Citus path',
  },
  {
    file: 'test/servicing/repayment-batch.test.ts',
    test: 'a batch writes the audit of all its loans, whatever their streams, in two statements, and the chains verify',
    reason: 'on Citus the batcher runs every repayment alone by design: this test counts the batch\'s own audit statements',
  },
  {
    file: 'test/servicing/repayment-batch.test.ts',
    test: 'a batch of edge values (the largest loan paid off, zero interest, overdue dates kept and cleared, no line) writes the rows one at a time writes',
    reason: 'on Citus the batcher runs every repayment alone by design: this test compares the batch\'s own statements (one array per column) with one at a time',
  },
  {
    file: 'test/servicing/repayment-batch.test.ts',
    test: 'a batch whose transaction fails runs its requests one at a time: the same answers, money moved once',
    reason: 'on Citus the batcher runs every repayment alone by design (a batch names many borrowers, and the book\'s statements are routed by one): this test is of the batch itself; the API test in the same file runs the Citus path',
  },
  {
    file: 'test/servicing/repayment-batch.test.ts',
    test: 'a batch that fails for a reason not the database\'s (a bug) answers each of its requests with it, runs none alone, moves no money',
    reason: 'on Citus the batcher runs every repayment alone by design (a batch names many borrowers, and the book\'s statements are routed by one): this test is of the batch itself; the API test in the same file runs the Citus path',
  },
  {
    file: 'test/servicing/repayment-batch.test.ts',
    test: 'the same key sent to two processes at once moves money once: the batch that loses runs its request alone and replays the winner',
    reason: 'on Citus the batcher runs every repayment alone by design (a batch names many borrowers, and the book\'s statements are routed by one): this test is of the batch itself; the API test in the same file runs the Citus path',
  },
  {
    file: 'test/servicing/drawdown-batch.test.ts',
    test: 'a burst of concurrent drawdowns (one line past its limit, refusals, a retry) gives the answers, lines, loans, journal, receipts and audit of one at a time',
    reason: 'on Citus the batcher runs every drawdown alone by design (a batch names many borrowers, and the book\'s statements are routed by one): this test is of the batch itself; the API test in the same file runs the Citus path',
  },
  {
    file: 'test/servicing/drawdown-batch.test.ts',
    test: 'a drawdown batch whose transaction fails runs its requests one at a time: the same answers, each loan booked once',
    reason: 'on Citus the batcher runs every drawdown alone by design (a batch names many borrowers, and the book\'s statements are routed by one): this test is of the batch itself; the API test in the same file runs the Citus path',
  },
];

/** Whether TEST_DATABASE_URL is a Citus coordinator: asked once per process, when a test module first imports this. */
export const ON_CITUS: boolean = await (async () => {
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined || url === '') return false;
  const db = kyselyOverPostgres(url, { maxConnections: 1 });
  try {
    return await hasCitus(db);
  } finally {
    await db.destroy();
  }
})();

/**
 * The options of the test `test` on `backend`: skipped with its listed reason on a Citus
 * coordinator, run otherwise. A test not in {@link CITUS_EXCLUSIONS} is an error, so that no test
 * is skipped without its line in the list.
 */
export function unlessCitus(backend: Backend, test: string): { skip?: string } {
  const exclusion = CITUS_EXCLUSIONS.find((entry) => entry.test === test);
  if (exclusion === undefined) throw new Error(`"${test}" is not in CITUS_EXCLUSIONS (test/support/citus.ts)`);
  return backend === 'postgres' && ON_CITUS ? { skip: `on Citus: ${exclusion.reason}` } : {};
}
