import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTransaction } from '../../src/db/transaction.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { getCreditLine } from '../../src/lines/credit-lines.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { loanById } from '../../src/servicing/loans.js';
import { renew, renewalChain } from '../../src/servicing/renewal.js';
import { RENEWAL_POLICY_2024, renewalRefusals } from '../../src/servicing/renewal-policy.js';
import { restructure } from '../../src/servicing/restructure.js';
import { recover, writeOff } from '../../src/servicing/write-off.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { simulate } from '../support/simulate.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';

const ALL_GOOD = { lawfulOperation: true, stableOperation: true, goodCredit: true, meetsLendingCriteria: true };
const FACTS = { today: '2025-06-30', loanStatus: 'active', maturityOn: '2025-07-30', workingCapital: true, sizeClass: 'micro' as const, overdue: false, interestArrears: false };
const balanceOf = (tb: Awaited<ReturnType<typeof trialBalance>>, purpose: string) => tb.rows.find((row) => row.purpose === purpose)?.balance;

describe('renewal policy (金规〔2024〕13号)', () => {
  it('allows a small or micro firm\'s normal working-capital loan before maturity', () => {
    assert.deepEqual(renewalRefusals(RENEWAL_POLICY_2024, FACTS, ALL_GOOD), []);
    assert.deepEqual(renewalRefusals(RENEWAL_POLICY_2024, { ...FACTS, sizeClass: 'small' }, ALL_GOOD), []);
  });

  it('allows a medium firm only for loans maturing before 2027-09-30', () => {
    assert.deepEqual(renewalRefusals(RENEWAL_POLICY_2024, { ...FACTS, sizeClass: 'medium', maturityOn: '2027-09-29', today: '2027-09-01' }, ALL_GOOD), []);
    const late = renewalRefusals(RENEWAL_POLICY_2024, { ...FACTS, sizeClass: 'medium', maturityOn: '2027-09-30', today: '2027-09-01' }, ALL_GOOD);
    assert.deepEqual(late.map((refusal) => refusal.code), ['SIZE_CLASS']);
  });

  it('refuses on maturity day, after it, for non-working-capital loans, arrears and each failed condition', () => {
    const codes = renewalRefusals(
      RENEWAL_POLICY_2024,
      { ...FACTS, today: '2025-07-30', workingCapital: false, overdue: true, interestArrears: true, sizeClass: 'large' },
      { lawfulOperation: false, stableOperation: false, goodCredit: false, meetsLendingCriteria: false },
    ).map((refusal) => refusal.code);
    assert.deepEqual(codes, ['AFTER_MATURITY', 'NOT_WORKING_CAPITAL', 'SIZE_CLASS', 'OVERDUE', 'INTEREST_ARREARS', 'NOT_LAWFUL', 'NOT_STABLE', 'BAD_CREDIT', 'LENDING_CRITERIA']);
  });
});

for (const backend of BACKENDS) {
  describe(`renewal, restructuring, write-off and recovery on ${backend}`, () => {
    it('a renewal replaces the loan without moving principal, collects interest, keeps the class and the chain', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const first = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '100000.00', termDays: 30 }, 'u'));
        await setBusinessDate(db, parseBusinessDate('2025-07-20', 'date'));
        await simulate(db, first.loanId, { interestAccrued: 241_67n });
        const outcome = await inTransaction(db, (trx) => renew(trx, { loanId: first.loanId, termDays: 90, attestation: ALL_GOOD }, 'credit-approver'));
        assert.equal(outcome.decision, 'renewed');
        if (outcome.decision !== 'renewed') return;
        assert.deepEqual([outcome.principal, outcome.interestCollected, outcome.maturityOn, outcome.classification], [100_000_00n, 241_67n, '2025-10-18', 'normal']);
        const old = await loanById(db, first.loanId);
        const renewed = await loanById(db, outcome.newLoanId);
        assert.equal(old.status, 'renewed');
        assert.equal(renewed.principal_not_due, 100_000_00n);
        assert.equal(renewed.renewed_from_id, first.loanId);
        assert.deepEqual(await renewalChain(db, outcome.newLoanId), [outcome.newLoanId, first.loanId]);
        // The line stays drawn by the same principal: no cash, no new availability.
        assert.equal((await getCreditLine(db, line.id)).available, 200_000_00n);
        const tb = await trialBalance(db, null);
        assert.equal(balanceOf(tb, 'loans-normal'), 100_000_00n);
        assert.equal(balanceOf(tb, 'settlement'), -100_000_00n + 241_67n);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    it('a renewal with interest arrears is refused with reasons and changes nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '10000.00', termDays: 60 }, 'u'));
        await simulate(db, loanId, { interestDue: 12_00n });
        const outcome = await inTransaction(db, (trx) => renew(trx, { loanId, termDays: 90, attestation: { ...ALL_GOOD, goodCredit: false } }, 'a'));
        assert.equal(outcome.decision, 'refused');
        if (outcome.decision === 'refused') assert.deepEqual(outcome.refusals.map((refusal) => refusal.code), ['INTEREST_ARREARS', 'BAD_CREDIT']);
        assert.equal((await loanById(db, loanId)).status, 'active');
        assert.equal((await db.selectFrom('loan').select('id').execute()).length, 1);
      });
    });

    it('restructuring reschedules billed principal, keeps interest due, and holds the loan at special mention', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db, '500000.00', 'TERM-LOAN');
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '120000.00', installments: 12 }, 'u'));
        await setBusinessDate(db, parseBusinessDate('2025-08-15', 'date'));
        await simulate(db, loanId, { principalDue: 9_800_00n, interestDue: 500_00n, dpd: 16, overdueSince: '2025-07-30', classification: 'special-mention', provision: 2_400_00n });
        const result = await inTransaction(db, (trx) => restructure(trx, { loanId, installments: 24 }, 'credit-approver'));
        assert.deepEqual([result.principal, result.classification, result.observationUntil, result.maturityOn], [120_000_00n, 'special-mention', '2026-08-15', '2027-08-15']);
        const loan = await loanById(db, loanId);
        assert.deepEqual([loan.principal_not_due, loan.principal_due, loan.interest_due, loan.restructured_until], [120_000_00n, 0n, 500_00n, '2026-08-15']);
        const installments = await db.selectFrom('loan_installment').select(['number', 'due_on']).where('loan_id', '=', loanId).orderBy('number').execute();
        assert.equal(installments.length, 24);
        assert.equal(installments[0]?.due_on, '2025-09-15');
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    it('a loss loan is written off against its provision, then recovered into income; memo accounts track it', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '20000.00', termDays: 30 }, 'u'));
        await assert.rejects(inTransaction(db, (trx) => writeOff(trx, { loanId, reason: 'too early' }, 'r')), { code: 'CONFLICT' });
        await simulate(db, loanId, { classification: 'loss', provision: 20_000_00n, principalDue: 20_000_00n, interestDue: 72_50n, penaltyDue: 1_000_00n, dpd: 400 });
        const result = await inTransaction(db, (trx) => writeOff(trx, { loanId, reason: 'bankruptcy closed, nothing distributed' }, 'risk-officer'));
        assert.deepEqual([result.total, result.provisionUsed, result.expense], [21_072_50n, 20_000_00n, 1_072_50n]);
        let tb = await trialBalance(db, null);
        assert.equal(balanceOf(tb, 'loans-loss'), 0n);
        assert.equal(balanceOf(tb, 'loan-loss-provision'), 0n);
        assert.equal(balanceOf(tb, 'written-off-loans'), 21_072_50n);
        assert.equal((await reconcile(db)).balanced, true);

        await assert.rejects(inTransaction(db, (trx) => recover(trx, { loanId, amount: '21072.51' }, 'o')), { code: 'LIMIT_EXCEEDED', field: 'amount' });
        const recovery = await inTransaction(db, (trx) => recover(trx, { loanId, amount: '5000.00' }, 'operator'));
        assert.deepEqual([recovery.recovered, recovery.outstanding], [5_000_00n, 16_072_50n]);
        tb = await trialBalance(db, null);
        assert.equal(balanceOf(tb, 'recovery-income'), -5_000_00n);
        assert.equal(balanceOf(tb, 'written-off-loans'), 16_072_50n);
        assert.equal(tb.balanced, true);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
