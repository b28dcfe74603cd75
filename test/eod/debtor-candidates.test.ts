/**
 * The debtor-level rule's candidates from the chunks' record (migration 0079, src/eod/debtor-contagion.ts):
 * each chunk keeps the borrowers of the loans it closed non-performing, and the rule starts from
 * them. What runs between the chunks and the rule — the guarantee cover, the supply-chain ageing —
 * must not change whom it judges: a loan the cover lifts no longer counts (its borrower is a
 * candidate with nothing non-performing left), and a run whose chunks kept no record is judged
 * from the night's history as before. (A core enterprise whose only non-performing claim is a
 * financing aged tonight, in no chunk's record: test/supply-chain/scf-late.test.ts, "the debtor
 * rule the other way".)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { addGuarantee, createGuarantor } from '../../src/collateral/guarantees.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { runEod } from '../../src/eod/run-eod.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { openCreditLine } from '../../src/lines/credit-lines.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { loanById } from '../../src/servicing/loans.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { simulate } from '../support/simulate.js';

/** A borrower with line A (4,000,000) guaranteed 1,200,000 by a guarantee company, and line B (1,500,000); 1,000,000 drawn on A, 500,000 on B. */
async function borrowerWithTwoLoans(db: Kysely<Database>) {
  const ids = await inTransaction(db, async (trx) => {
    const firm = await createEnterprise(trx, { name: '浙江青禾机械有限公司', sizeClass: 'small' }, 'test');
    const a = await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'TERM-LOAN', limit: '4000000.00' }, 'test');
    const b = await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'TERM-LOAN', limit: '1500000.00' }, 'test');
    const company = await createGuarantor(trx, { kind: 'company', name: '浙江省融资担保有限公司', creditCode: '91330000MA27U0AA6C', exposureCap: '10000000.00', marginRatioBp: 1000 }, 'wang.am');
    await addGuarantee(trx, { guarantorId: company.id, enterpriseId: firm.id, lineId: a.id, type: 'joint-and-several', amount: '1200000.00', startOn: '2025-06-30', endOn: '2028-06-30' }, 'wang.am');
    return { firmId: firm.id, a: a.id, b: b.id };
  });
  const onA = await inTransaction(db, (trx) => drawdown(trx, { lineId: ids.a, amount: '1000000.00', installments: 12 }, 'u'));
  const onB = await inTransaction(db, (trx) => drawdown(trx, { lineId: ids.b, amount: '500000.00', installments: 12 }, 'u'));
  return { firmId: ids.firmId, onA: onA.loanId, onB: onB.loanId };
}

/** The borrowers the night's chunks recorded (null when a chunk kept no record). */
async function recorded(db: Kysely<Database>, date: string): Promise<(string | null)[]> {
  const { rows } = await sql<{ npl: string[] | null }>`
    select c.npl_borrowers as npl from eod_chunk c join eod_run r on r.id = c.run_id where r.business_date = cast(${date} as date) order by c.chunk_no`.execute(db);
  return rows.flatMap((row) => (row.npl === null ? [null] : row.npl));
}

for (const backend of BACKENDS) {
  describe(`the debtor-level rule's candidates from the chunks on ${backend}`, () => {
    it('a loan the guarantee cover lifts tonight does not count: its borrower, recorded by its chunk, keeps its other loan normal', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { firmId, onA, onB } = await borrowerWithTwoLoans(db);
        // The loan on A 30 days past due tonight yet substandard (as a reviewer left it): 1,000,000 of
        // 1,500,000 non-performing as the chunk closes it, none once the guarantee covers line A.
        await simulate(db, onA, { principalDue: 80_000_00n, interestDue: 3_000_00n, dpd: 29, overdueSince: '2025-06-01', classification: 'substandard', provision: 250_000_00n });
        const summary = await runEod(db);
        assert.deepEqual(await recorded(db, '2025-06-30'), [firmId]);
        assert.equal(summary.debtorReclassified, 0);
        assert.deepEqual([(await loanById(db, onA)).classification, (await loanById(db, onB)).classification], ['special-mention', 'normal']);
        const history = await db.selectFrom('loan_day').select(['loan_id', 'classification']).where('business_date', '=', '2025-06-30' as never).orderBy('classification').execute();
        assert.deepEqual(history.map((row) => [row.loan_id, row.classification]), [[onB, 'normal'], [onA, 'special-mention']]);
        assert.equal((await trialBalance(db, null)).balanced, true);
      });
    });

    it('the rule takes the uncovered performing loan of a borrower over the share, from the chunks\' record and, when a chunk kept none, from the history', async () => {
      for (const record of [true, false]) {
        await withTestDatabase(backend, async ({ db }) => {
          const { firmId, onA, onB } = await borrowerWithTwoLoans(db);
          const b = (await loanById(db, onB)).line_id!;
          const third = await inTransaction(db, (trx) => drawdown(trx, { lineId: b, amount: '500000.00', installments: 6 }, 'u'));
          // The loan on B 94 days past due: beyond the cover's 90 days and on an uncovered line, 500,000 of 2,000,000 (25% > 10%).
          await simulate(db, onB, { principalDue: 40_000_00n, dpd: 94, overdueSince: '2025-03-28', classification: 'substandard', provision: 125_000_00n });
          // A chunk done by a process that kept no record (before migration 0079) leaves it null.
          const summary = await runEod(db, record ? {} : { beforeChunkCommit: async (_chunkNo, trx) => void (await sql`update eod_chunk set npl_borrowers = null`.execute(trx)) });
          assert.deepEqual(await recorded(db, '2025-06-30'), record ? [firmId] : [null]);
          // The third loan, on uncovered line B, goes substandard; the loan on A, covered, stays normal.
          assert.equal(summary.debtorReclassified, 1);
          assert.deepEqual(await Promise.all([onA, onB, third.loanId].map(async (id) => (await loanById(db, id)).classification)), ['normal', 'substandard', 'substandard']);
          const provision = await db.selectFrom('loan_day').select('provision').where('loan_id', '=', third.loanId).where('business_date', '=', '2025-06-30' as never).executeTakeFirstOrThrow();
          // 500,000.00 × 25%.
          assert.equal(provision.provision, 125_000_00n);
          assert.equal((await trialBalance(db, null)).balanced, true);
        });
      }
    });
  });
}
