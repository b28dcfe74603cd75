import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKED_ACTIONS } from '../../src/approvals/checked-actions.js';
import { decideRequest } from '../../src/approvals/maker-checker.js';
import type { BusinessDate } from '../../src/calendar/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { runEod } from '../../src/eod/run-eod.js';
import { listLprFixings, proposeLprFixing } from '../../src/servicing/lpr-fixings.js';
import { makeFloating, nextRepricingDate, repriceDueLoans } from '../../src/servicing/repricing.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';

const d = (text: string) => text as BusinessDate;
const MAKER = { username: 'wang.ops', role: 'operator' } as const;
const CHECKER = { username: 'li.risk', role: 'risk-officer' } as const;

describe('repricing dates', () => {
  it('the next anniversary of the disbursement, or the next 1 January', () => {
    assert.equal(nextRepricingDate('anniversary', d('2025-03-15'), d('2025-03-15')), '2026-03-15');
    assert.equal(nextRepricingDate('anniversary', d('2025-03-15'), d('2026-03-14')), '2026-03-15');
    assert.equal(nextRepricingDate('anniversary', d('2025-03-15'), d('2026-03-15')), '2027-03-15');
    assert.equal(nextRepricingDate('anniversary', d('2024-02-29'), d('2024-02-29')), '2025-02-28');
    assert.equal(nextRepricingDate('january-first', d('2025-03-15'), d('2025-03-15')), '2026-01-01');
    assert.equal(nextRepricingDate('january-first', d('2025-03-15'), d('2026-01-01')), '2027-01-01');
  });
});

for (const backend of BACKENDS) {
  describe(`LPR fixings and floating-rate repricing on ${backend}`, () => {
    it('a fixing needs a second person; then end of day reprices exactly the loans whose repricing date has come', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        // A new 1-year fixing of 2.80% from 2026-01-20, under maker-checker.
        const request = await inTransaction(db, (trx) => proposeLprFixing(trx, { tenor: '1y', effectiveFrom: '2026-01-20', rate: '2.8' }, MAKER));
        assert.deepEqual([request.kind, request.status], ['lpr.fixing', 'pending']);
        assert.equal((await listLprFixings(db)).some((f) => f.effectiveFrom === '2026-01-20'), false, 'not in force before a checker approves');
        await assert.rejects(inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', MAKER)), { code: 'NOT_AUTHORISED' });
        await inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', CHECKER));
        assert.deepEqual((await listLprFixings(db))[0], { tenor: '1y', effectiveFrom: '2026-01-20', rate: '2.80' });
        await assert.rejects(inTransaction(db, (trx) => proposeLprFixing(trx, { tenor: '1y', effectiveFrom: '2026-01-20', rate: '2.70' }, MAKER)), { code: 'CONFLICT', field: 'effectiveFrom' });
        await assert.rejects(inTransaction(db, (trx) => proposeLprFixing(trx, { tenor: '1y', effectiveFrom: '2026-02-20', rate: '2.805' }, MAKER)), { code: 'VALIDATION', field: 'rate' });

        const firm = await createEnterprise(db, '杭州绿芽茶叶有限公司');
        const principal = 100_000_000n; // 1,000,000.00
        const anniversary = await createLoan(db, bullet(firm, principal, '2026-08-10', { disbursedOn: '2025-02-10', rateUnits: 43_500n }));
        const january = await createLoan(db, bullet(firm, principal, '2026-09-01', { disbursedOn: '2025-03-01', rateUnits: 40_000n }));
        const notYet = await createLoan(db, bullet(firm, principal, '2026-12-15', { disbursedOn: '2025-06-15', rateUnits: 43_500n }));
        const fixed = await createLoan(db, bullet(firm, principal, '2026-08-10', { disbursedOn: '2025-02-10', rateUnits: 43_500n }));
        // The spread is the contract rate less the LPR on the signing date: 4.35 − 3.10, 4.00 − 3.10, 4.35 − 3.00.
        assert.deepEqual(await inTransaction(db, (trx) => makeFloating(trx, anniversary, { lprTenor: '1y', repricing: 'anniversary' }, 'officer')), { spreadUnits: 12_500n, nextRepricingOn: '2026-02-10' });
        assert.deepEqual(await inTransaction(db, (trx) => makeFloating(trx, january, { lprTenor: '1y', repricing: 'january-first' }, 'officer')), { spreadUnits: 9_000n, nextRepricingOn: '2026-01-01' });
        assert.deepEqual(await inTransaction(db, (trx) => makeFloating(trx, notYet, { lprTenor: '1y', repricing: 'anniversary' }, 'officer')), { spreadUnits: 13_500n, nextRepricingOn: '2026-06-15' });

        await setBusinessDate(db, d('2026-02-10'));
        await runEod(db, { date: '2026-02-10' });
        const loans = new Map((await db.selectFrom('loan').select(['id', 'annual_rate', 'rate_units', 'penalty_rate_units', 'next_repricing_on', 'interest_accrued']).execute()).map((l) => [l.id, l]));
        // The anniversary loan takes the LPR in force on 2026-02-10 (2.80) + 1.25; night 2026-02-10 accrues at it.
        assert.deepEqual({ ...loans.get(anniversary)! }, { id: anniversary, annual_rate: '4.05', rate_units: 40_500n, penalty_rate_units: 60_750n, next_repricing_on: '2027-02-10', interest_accrued: 11_250n });
        // The 1 January loan was due on 2026-01-01: the LPR in force then (3.00, before the new fixing) + 0.90.
        assert.deepEqual({ ...loans.get(january)! }, { id: january, annual_rate: '3.90', rate_units: 39_000n, penalty_rate_units: 58_500n, next_repricing_on: '2027-01-01', interest_accrued: 10_833n });
        // Not yet due, and fixed: unchanged.
        assert.deepEqual([loans.get(notYet)!.annual_rate, loans.get(notYet)!.next_repricing_on], ['4.35', '2026-06-15']);
        assert.deepEqual([loans.get(fixed)!.annual_rate, loans.get(fixed)!.next_repricing_on], ['4.35', null]);

        const records = await db.selectFrom('loan_repricing').select(['loan_id', 'repriced_on', 'lpr_rate', 'old_annual_rate', 'new_annual_rate', 'reason', 'interest_effect', 'next_repricing_on']).orderBy('repriced_on').execute();
        assert.deepEqual(records, [
          { loan_id: january, repriced_on: '2026-01-01', lpr_rate: '3.00', old_annual_rate: '4.00', new_annual_rate: '3.90', reason: '1 January repricing: 1y LPR 3.00% in force on 2026-01-01 + spread 0.90%', interest_effect: 2_210_000n, next_repricing_on: '2027-01-01' },
          { loan_id: anniversary, repriced_on: '2026-02-10', lpr_rate: '2.80', old_annual_rate: '4.35', new_annual_rate: '4.05', reason: 'anniversary repricing: 1y LPR 2.80% in force on 2026-02-10 + spread 1.25%', interest_effect: 2_047_500n, next_repricing_on: '2027-02-10' },
        ]);
        // The schedule rebuilt: the remaining installment projects 182 nights at 4.05% on 1,000,000.00 (actual/360).
        const installment = await db.selectFrom('loan_installment').select('interest').where('loan_id', '=', anniversary).executeTakeFirstOrThrow();
        assert.equal(installment.interest, 2_047_500n);
        const audit = await db.selectFrom('audit_event').select('action').where('action', '=', 'loan.reprice').execute();
        assert.equal(audit.length, 2);
        // Idempotent: nothing more is due tonight.
        assert.deepEqual(await repriceDueLoans(db, d('2026-02-10'), 'eod'), { loans: 0, interestEffect: 0n });
      });
    });
  });
}
