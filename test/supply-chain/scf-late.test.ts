/**
 * Issue 18, the late path at end of day: a financed certificate its core enterprise does not pay
 * by the due date is aged by the nightly run as a past-due loan is — days past due, penalty
 * interest night by night, the five categories, the loan-loss provision, the balanced entries —
 * and counts in the book's past-due and non-performing figures; paying late settles the penalty
 * and releases the provision; a closed date run again adds nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import { RULES_2023 } from '../../src/classification/classification-rules.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { runEodUntil } from '../../src/eod/catch-up.js';
import { runEod } from '../../src/eod/run-eod.js';
import { applyDebtorContagion } from '../../src/eod/debtor-contagion.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { pastDueBuckets } from '../../src/reporting/past-due.js';
import { portfolioHistory } from '../../src/reporting/portfolio-history.js';
import { portfolioReport, SUPPLY_CHAIN_PRODUCT } from '../../src/reporting/portfolio.js';
import { financeCertificate } from '../../src/supply-chain/financing.js';
import { ageSupplyChainFinancing, amountDue, payReceivable } from '../../src/supply-chain/maturity.js';
import { getProgramme, programmeUsage } from '../../src/supply-chain/programmes.js';
import { reconcileSupplyChain } from '../../src/supply-chain/supply-chain-views.js';
import { getBusinessDate, setBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createLoan } from '../support/loan-fixtures.js';
import { balanceOf, confirmedCertificate, DUE, supplyChain, TODAY } from './scf-fixtures.js';

async function financing(db: Kysely<Database>) {
  const row = await db.selectFrom('scf_financing').select(['status', 'dpd', 'classification', 'penalty_due', 'penalty_remainder', 'provision', 'last_eod_on']).executeTakeFirstOrThrow();
  return [row.status, row.dpd, row.classification, row.penalty_due, row.penalty_remainder, row.provision, row.last_eod_on];
}

async function journalSize(db: Kysely<Database>): Promise<[number, number]> {
  const entries = await db.selectFrom('journal_entry').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const lines = await db.selectFrom('journal_line').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return [Number(entries.n), Number(lines.n)];
}

/**
 * The night of `date`'s closing steps and what they counted, and its borrower rows by borrower
 * name: loans, balance, overdue, provision, balance normal … loss. A financing is the supplier's in
 * these rows (the reports' borrower), the core enterprise's in the snapshot. Which half of the
 * borrowers a row is in follows its random id: the steps 'borrowers' and 'verdicts' say 'lower' and
 * 'upper' when each counted exactly the rows of its half (the last byte of the id below 128 or not).
 */
async function nightRows(db: Kysely<Database>, date: BusinessDate) {
  const steps = await db.selectFrom('eod_close_step').innerJoin('eod_run', 'eod_run.id', 'eod_close_step.run_id').select(['step', 'affected']).where('eod_run.business_date', '=', date).orderBy('step').execute();
  const borrowers = await db.selectFrom('borrower_day').innerJoin('enterprise', 'enterprise.id', 'borrower_day.enterprise_id')
    .select(['enterprise_id', 'enterprise.name', 'loans', 'balance', 'overdue', 'provision', 'b0', 'b1', 'b2', 'b3', 'b4']).where('business_date', '=', date).execute();
  const lower = borrowers.filter((row) => Number.parseInt(row.enterprise_id.slice(-2), 16) < 128).length;
  const half = { borrowers: [lower, 'lower'], verdicts: [borrowers.length - lower, 'upper'] } as Record<string, [number, string]>;
  return {
    steps: steps.map((row) => [row.step, half[row.step]?.[0] === Number(row.affected) ? half[row.step]![1] : Number(row.affected)]),
    borrowers: borrowers.map((row) => [row.name, row.loans, BigInt(row.balance), BigInt(row.overdue), BigInt(row.provision), [row.b0, row.b1, row.b2, row.b3, row.b4].map(BigInt)]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
  };
}

async function assertReconciled(db: Kysely<Database>): Promise<void> {
  for (const row of await reconcileSupplyChain(db)) {
    assert.equal(row.financingInLedger, row.financingOutstanding);
    assert.equal(row.certificatesInLedger, row.certificatesOutstanding);
    assert.equal(row.collectionsInLedger, 0n);
    assert.deepEqual([row.penaltyInLedger, row.provisionInLedger], [row.penaltyOutstanding, row.provisionHeld], 'penalty and provision against ledger');
  }
  const unbalanced = await db.selectFrom('journal_line').select('entry_id').groupBy('entry_id').having((eb) => eb.fn.sum('amount'), '<>', 0).execute();
  assert.deepEqual(unbalanced, [], 'every entry balances');
  assert.equal((await trialBalance(db, null)).balanced, true);
}

/** The book's figures for the supply-chain row and the past-due buckets; `closed`: just after an end of day, whose snapshot must say the same. */
async function bookFigures(db: Kysely<Database>, closed = true) {
  const report = await portfolioReport(db);
  const scf = report.products.find((row) => row.code === SUPPLY_CHAIN_PRODUCT.code);
  const buckets = (await pastDueBuckets(db)).filter((row) => row.loans + row.financings > 0).map((row) => [row.bucket, row.loans, row.financings, row.balance]);
  // The night's snapshot (the dashboard's history) counts the financing as the report does.
  const last = (await portfolioHistory(db, { from: '2025-01-01' })).points.at(-1);
  if (closed) assert.deepEqual(last && [last.balance, last.overdueBalance, last.nplBalance, last.provision, last.borrowers], [report.totals.balance, report.totals.overdueBalance, report.totals.nplBalance, report.totals.provision, report.totals.borrowers]);
  return { totals: [report.totals.balance, report.totals.overdueBalance, report.totals.nplBalance, report.totals.provision, report.totals.borrowers], scf: scf && [scf.loans, scf.balance, scf.overdueBalance, scf.nplBalance, scf.provision], buckets };
}

/**
 * A certificate of 100,000.00 due 2025-09-28, financed 90% (90,000.00 of claim on the core
 * enterprise) and never paid; the business date moved to 2025-12-27, the 91st night past due, and
 * a performing loan of `principal` fen to the core enterprise drawn that day. Returns the loan.
 */
async function unpaidFinancingAndLoan(db: Kysely<Database>, principal: bigint): Promise<string> {
  const chain = await supplyChain(db);
  const { certificateId } = await confirmedCertificate(db, chain, 'DEBTOR-REV', '100000.00');
  await inTransaction(db, (trx) => financeCertificate(trx, certificateId, chain.tier1, TODAY, 'tier1-user'));
  await inTransaction(db, (trx) => setBusinessDate(trx, '2025-12-27' as BusinessDate));
  return createLoan(db, bullet(chain.core, principal, '2026-12-31', { disbursedOn: '2025-12-27' }));
}

for (const backend of BACKENDS) {
  describe(`supply-chain financing past due at end of day on ${backend}`, () => {
    it('financed, due, 1, 31 and 91 days late: dpd, penalty to the fen, special mention then substandard, provision 2% then 25%, in the book figures; a closed date again adds nothing; paying late settles it all', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        assert.equal(await getBusinessDate(db), TODAY);
        const chain = await supplyChain(db);
        // 1,234,567.89 due 2025-09-28 (a make-up working Sunday), financed 90% on 2025-06-30: 1,111,111.10 advanced at 3.50%.
        const { receivableId, certificateId } = await confirmedCertificate(db, chain, 'LATE-EOD-1', '1234567.89');
        const made = await inTransaction(db, (trx) => financeCertificate(trx, certificateId, chain.tier1, TODAY, 'tier1-user'));
        assert.deepEqual([made.principal, made.rateUnits, made.days], [111_111_110n, 35_000n, 90]);
        const rate = await db.selectFrom('scf_financing').select('penalty_rate_units').executeTakeFirstOrThrow();
        assert.equal(rate.penalty_rate_units, 52_500n, 'the penalty rate: 3.50% × the programme’s 1.5');

        // Financed: the night of 06-30 ages nothing (not due), and its month end sets aside 1.5% of the risk assets, the financing included.
        await runEod(db);
        assert.deepEqual(await financing(db), ['active', 0, 'normal', 0n, 0n, 0n, '2025-06-30']);
        assert.equal(await balanceOf(db, 'general-reserve'), -1_666_666n);

        // The night before the due date: still current.
        await inTransaction(db, (trx) => setBusinessDate(trx, '2025-09-27' as BusinessDate));
        await runEod(db);
        assert.deepEqual(await financing(db), ['active', 0, 'normal', 0n, 0n, 0n, '2025-09-27']);

        // Due, not paid that day: 1 day past due. Penalty 111,111,110 × 52,500 / 360,000,000 = 16,203.70… → 16,203, the rest carried.
        await runEod(db);
        assert.deepEqual(await financing(db), ['overdue', 1, 'special-mention', 16_203n, 253_275_000n, 2_222_222n, DUE]);
        assert.equal(await balanceOf(db, 'scf-special-mention'), 111_111_110n);
        assert.equal(await balanceOf(db, 'scf-normal'), 0n);
        assert.equal(await balanceOf(db, 'penalty-receivable'), 16_203n);
        assert.equal(await balanceOf(db, 'penalty-income'), -16_203n);
        assert.equal(await balanceOf(db, 'loan-loss-provision'), -2_222_222n);
        assert.equal(await balanceOf(db, 'provision-expense'), 2_222_222n);
        assert.deepEqual(await bookFigures(db), {
          totals: [111_111_110n, 111_111_110n, 0n, 2_222_222n, 1],
          scf: [1, 111_111_110n, 111_111_110n, 0n, 2_222_222n],
          buckets: [['1-30', 0, 1, 111_111_110n]],
        });
        // The night's five closing steps; its one borrower row is the supplier's, whose financing it is.
        assert.deepEqual(await nightRows(db, DUE), {
          steps: [['borrowers', 'lower'], ['notices', 0], ['rules', 0], ['snapshot', 0], ['verdicts', 'upper']],
          borrowers: [['一级配件厂', 1, 111_111_110n, 111_111_110n, 2_222_222n, [0n, 111_111_110n, 0n, 0n, 0n]]],
        });
        // The core enterprise now owes the face and the penalty.
        assert.equal(await inTransaction(db, (trx) => amountDue(trx, receivableId)), 123_456_789n + 16_203n);
        await assertReconciled(db);

        // 31 days late (the night of 2025-10-28): the carried fractions make floor(31 × 5,833,333,275,000 / 360,000,000) = 502,314.
        await runEodUntil(db, '2025-10-28');
        assert.deepEqual(await financing(db), ['overdue', 31, 'special-mention', 502_314n, 291_525_000n, 2_222_222n, '2025-10-28']);
        assert.equal((await bookFigures(db)).buckets[0]![0], '31-60');

        // 91 days late (the night of 2025-12-27): substandard, 25% provision; 91 nights' penalty 1,474,537.
        await runEodUntil(db, '2025-12-27');
        assert.deepEqual(await financing(db), ['overdue', 91, 'substandard', 1_474_537n, 8_025_000n, 27_777_777n, '2025-12-27']);
        assert.equal(await balanceOf(db, 'scf-substandard'), 111_111_110n);
        assert.equal(await balanceOf(db, 'scf-special-mention'), 0n);
        assert.equal(await balanceOf(db, 'penalty-receivable'), 1_474_537n);
        assert.equal(await balanceOf(db, 'loan-loss-provision'), -27_777_777n);
        assert.deepEqual(await bookFigures(db), {
          totals: [111_111_110n, 111_111_110n, 111_111_110n, 27_777_777n, 1],
          scf: [1, 111_111_110n, 111_111_110n, 111_111_110n, 27_777_777n],
          buckets: [['over-90', 0, 1, 111_111_110n]],
        });
        assert.deepEqual(await nightRows(db, '2025-12-27' as BusinessDate), {
          steps: [['borrowers', 'lower'], ['notices', 0], ['rules', 0], ['snapshot', 0], ['verdicts', 'upper']],
          borrowers: [['一级配件厂', 1, 111_111_110n, 111_111_110n, 27_777_777n, [0n, 0n, 111_111_110n, 0n, 0n]]],
        });
        // Month ends on the way changed nothing of the general reserve: the risk assets did not move.
        assert.equal(await balanceOf(db, 'general-reserve'), -1_666_666n);
        await assertReconciled(db);
        const [reconciliation] = await reconcileSupplyChain(db);
        assert.deepEqual([reconciliation!.penaltyOutstanding, reconciliation!.provisionHeld], [1_474_537n, 27_777_777n]);

        // The closed date again, by the runner and by the step itself: nothing more in the journal or on the financing.
        const before = [await journalSize(db), await financing(db)];
        const again = await runEod(db, { date: '2025-12-27' });
        assert.equal(again.alreadyDone, true);
        const step = await inTransaction(db, (trx) => ageSupplyChainFinancing(trx, '2025-12-27' as BusinessDate, RULES_2023, 'eod'));
        assert.deepEqual(step, { overdue: 0, reclassified: 0, penalty: 0n, provisionDelta: 0n });
        assert.deepEqual([await journalSize(db), await financing(db)], before);

        // The core enterprise pays on 2025-12-28: face plus the penalty; the holder gets the face less the advance; the provision is released.
        const paid = await inTransaction(db, (trx) => payReceivable(trx, chain.core, receivableId, '2025-12-28' as BusinessDate, 'core-user'));
        assert.deepEqual([paid.total, paid.certificates[0]!.principal, paid.certificates[0]!.penalty, paid.certificates[0]!.toHolder], [124_931_326n, 111_111_110n, 1_474_537n, 12_345_679n]);
        for (const purpose of ['scf-substandard', 'penalty-receivable', 'loan-loss-provision', 'scf-certificates']) assert.equal(await balanceOf(db, purpose), 0n, purpose);
        assert.equal(await balanceOf(db, 'penalty-income'), -1_474_537n);
        assert.equal(await balanceOf(db, 'provision-expense'), 0n);
        const settled = await db.selectFrom('scf_financing').select(['status', 'provision', 'settled_on']).executeTakeFirstOrThrow();
        assert.deepEqual([settled.status, settled.provision, settled.settled_on], ['settled', 0n, '2025-12-28']);
        assert.equal((await programmeUsage(db, await getProgramme(db, chain.programmeId))).headroom, 500_000_000n);
        assert.deepEqual((await bookFigures(db, false)).totals, [0n, 0n, 0n, 0n, 0]);
        await assertReconciled(db);
      });
    });

    it("the debtor rule over the core enterprise's loans and financings: a non-performing loan of it makes its current financing substandard", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const chain = await supplyChain(db);
        const { certificateId } = await confirmedCertificate(db, chain, 'DEBTOR-1', '100000.00');
        await inTransaction(db, (trx) => financeCertificate(trx, certificateId, chain.tier1, TODAY, 'tier1-user'));
        // A loan of 20,000.00 to the core enterprise, non-performing: 20,000.00 of 110,000.00 in claims is above 10%.
        const loanId = await createLoan(db, bullet(chain.core, 2_000_000n, '2025-12-31'));
        await db.updateTable('loan').set({ classification: 'substandard' }).where('id', '=', loanId).execute();
        await runEod(db);
        assert.deepEqual(await financing(db), ['active', 0, 'substandard', 0n, 0n, 2_250_000n, TODAY]);
        assert.equal(await balanceOf(db, 'scf-substandard'), 9_000_000n);
        await assertReconciled(db);
      });
    });

    it("the debtor rule the other way: a core enterprise's financing 91 days unpaid pulls down its performing loan, at 25%, once", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const loanId = await unpaidFinancingAndLoan(db, 50_000_000n);
        const loanRow = () => db.selectFrom('loan').select(['classification', 'provision', 'dpd']).where('id', '=', loanId).executeTakeFirstOrThrow();
        assert.deepEqual(await loanRow(), { classification: 'normal', provision: 0n, dpd: 0 });

        // 9,000,000 of 59,000,000 in claims non-performing (15.3%, above 10%): the loan becomes substandard, provision 50,000,000 × 25%.
        const night = await runEod(db);
        assert.equal(night.debtorReclassified, 1);
        assert.deepEqual((await financing(db)).slice(0, 3), ['overdue', 91, 'substandard']);
        assert.deepEqual(await loanRow(), { classification: 'substandard', provision: 12_500_000n, dpd: 0 });
        assert.equal(await balanceOf(db, 'loans-substandard'), 50_000_000n);
        assert.equal(await balanceOf(db, 'loans-normal'), 0n);
        assert.equal(await balanceOf(db, 'scf-substandard'), 9_000_000n);
        // The supplier's row holds the financing, the core enterprise's its loan, each in its half;
        // the snapshot has both with the core enterprise (bookFigures' check, in the other tests).
        assert.deepEqual(await nightRows(db, '2025-12-27' as BusinessDate), {
          steps: [['borrowers', 'lower'], ['notices', 0], ['rules', 1], ['snapshot', 0], ['verdicts', 'upper']],
          borrowers: [['一级配件厂', 1, 9_000_000n, 9_000_000n, 2_250_000n, [0n, 0n, 9_000_000n, 0n, 0n]], ['华东重工集团', 1, 50_000_000n, 0n, 12_500_000n, [0n, 0n, 50_000_000n, 0n, 0n]]],
        });
        const [total] = (await portfolioHistory(db, { from: '2025-12-27', to: '2025-12-27' })).points;
        assert.deepEqual(total && [total.loans, total.borrowers, total.balance, total.overdueBalance, total.nplBalance, total.provision], [2, 1, 59_000_000n, 9_000_000n, 59_000_000n, 14_750_000n]);
        // The loan's 12,500,000 and the financing's 2,250,000.
        assert.equal(await balanceOf(db, 'loan-loss-provision'), -14_750_000n);
        const history = await db.selectFrom('loan_day').select(['classification', 'provision']).where('loan_id', '=', loanId).where('business_date', '=', '2025-12-27' as BusinessDate).executeTakeFirstOrThrow();
        assert.deepEqual(history, { classification: 'substandard', provision: 12_500_000n });
        const entries = await db.selectFrom('journal_entry').select('kind').where('description', 'like', '%debtor-level%').orderBy('kind').execute();
        assert.deepEqual(entries.map((entry) => entry.kind), ['eod-provision', 'eod-reclassification']);
        await assertReconciled(db);
        assert.equal((await reconcile(db)).balanced, true);

        // A second pass over the same date moves nothing, and neither does the next night.
        const before = await journalSize(db);
        const again = await inTransaction(db, (trx) => applyDebtorContagion(trx, '2025-12-27' as BusinessDate, RULES_2023, 'eod'));
        assert.deepEqual([again.loans, again.provisionDelta, again.moves], [0, 0n, []]);
        assert.deepEqual(await journalSize(db), before);
        const next = await runEod(db);
        assert.equal(next.debtorReclassified, 0);
        assert.deepEqual(await loanRow(), { classification: 'substandard', provision: 12_500_000n, dpd: 0 });
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    it('the debtor rule the other way stops at the share: a financing of exactly 10% of the claims leaves the loan normal', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        // 9,000,000 of 90,000,000: exactly 10%, not above it.
        const loanId = await unpaidFinancingAndLoan(db, 81_000_000n);
        const night = await runEod(db);
        assert.equal(night.debtorReclassified, 0);
        assert.deepEqual((await financing(db)).slice(0, 3), ['overdue', 91, 'substandard']);
        const row = await db.selectFrom('loan').select(['classification', 'provision']).where('id', '=', loanId).executeTakeFirstOrThrow();
        assert.deepEqual(row, { classification: 'normal', provision: 0n });
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
