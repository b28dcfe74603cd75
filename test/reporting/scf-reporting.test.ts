/**
 * Issue 18: supply-chain financing in the regulatory reports. The night's ageing writes each
 * financing on the books into `scf_financing_day`; the reports as of a date count it as a loan of
 * the supplier that received the money (its size, region and industry), under the financing's own
 * category, which follows the core enterprise; new lending counts it on the day it was financed.
 * The book: a loan of 300,000.00 to a small supplier in 南京, a financing of 450,000.00 (90% of a
 * 500,000.00 certificate) to a small supplier in 杭州, and a loan of 1,000,000.00 to the core
 * enterprise, large, in 北京 — all made on 2025-06-30; the financing falls due on 2025-07-02 unpaid.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { runEodUntil } from '../../src/eod/catch-up.js';
import { pruneLoanHistory } from '../../src/reporting/history-retention.js';
import { fiveCategoryReport, foreignTradeReport, inclusiveReport } from '../../src/reporting/regulatory-reports.js';
import { formatMoney } from '../../src/money/format-money.js';
import { minor } from '../../src/money/minor.js';
import { financeCertificate } from '../../src/supply-chain/financing.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createLoan } from '../support/loan-fixtures.js';
import { confirmedCertificate, supplyChain, TODAY } from '../supply-chain/scf-fixtures.js';

async function profile(db: Kysely<Database>, enterpriseId: string, sizeClass: 'small' | 'large', regionCode: string, industryCode: string): Promise<void> {
  await db.insertInto('enterprise_profile').values({ enterprise_id: enterpriseId, valid_from: '2025-01-01' as BusinessDate, size_class: sizeClass, borrower_type: 'enterprise', region_code: regionCode, industry_code: industryCode, foreign_trade_from: null }).execute();
}

/** The book above; returns the chain's parties. */
async function bookWithFinancing(db: Kysely<Database>) {
  const chain = await supplyChain(db);
  await profile(db, chain.core, 'large', '110101', 'C34');
  await profile(db, chain.tier1, 'small', '330102', 'C33');
  await profile(db, chain.tier2, 'small', '320102', 'F51');
  await createLoan(db, bullet(chain.tier2, 300_000_00n, '2026-06-30', { disbursedOn: TODAY }));
  await createLoan(db, bullet(chain.core, 1_000_000_00n, '2026-06-30', { disbursedOn: TODAY }));
  const { certificateId } = await confirmedCertificate(db, chain, 'RPT-001', '500000.00', '2025-07-02' as BusinessDate);
  const financing = await inTransaction(db, (trx) => financeCertificate(trx, certificateId, chain.tier1, TODAY, 'tier1-user'));
  assert.equal(financing.principal, 450_000_00n);
  return chain;
}

async function reports(db: Kysely<Database>, asOf: string, recompute: boolean) {
  return {
    inclusive: await inclusiveReport(db, asOf, { recompute }),
    fiveCategory: await fiveCategoryReport(db, asOf, { recompute }),
    foreignTrade: await foreignTradeReport(db, asOf, undefined, { recompute }),
  };
}

for (const backend of BACKENDS) {
  describe(`supply-chain financing in the regulatory reports on ${backend}`, () => {
    it('counts a financing under the supplier that received the money, in its own category; stored verdicts equal recomputed', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const chain = await bookWithFinancing(db);
        await runEodUntil(db, '2025-07-03');

        // The night's history of the financing: one row a night, under the supplier, aged as end of day left it.
        const days = await db.selectFrom('scf_financing_day').select(['business_date', 'enterprise_id', 'core_enterprise_id', 'principal', 'dpd', 'classification']).orderBy('business_date').execute();
        assert.deepEqual(
          days.map((d) => [d.business_date, d.enterprise_id, d.core_enterprise_id, d.principal, d.dpd, d.classification]),
          [
            ['2025-06-30', chain.tier1, chain.core, 450_000_00n, 0, 'normal'],
            ['2025-07-01', chain.tier1, chain.core, 450_000_00n, 0, 'normal'],
            ['2025-07-02', chain.tier1, chain.core, 450_000_00n, 1, 'special-mention'],
            ['2025-07-03', chain.tier1, chain.core, 450_000_00n, 2, 'special-mention'],
          ],
        );

        // 2025-06-30: inclusive = the two small suppliers: 300,000.00 + 450,000.00, 2 loans, 2 borrowers;
        // rate (300,000 × 4.35 + 450,000 × 3.50) / 750,000 = 3.84%. All: + 1,000,000.00 of the core enterprise.
        const june = await inclusiveReport(db, '2025-06-30');
        assert.deepEqual([june.inclusive.balance, june.inclusive.loans, june.inclusive.borrowers, june.inclusive.averageRate], ['750000.00', 2, 2, '3.84']);
        assert.deepEqual([june.all.balance, june.all.loans, june.all.borrowers], ['1750000.00', 3, 3]);
        // The financing is under its supplier's province (浙江) and industry (C), the loan under its borrower's.
        assert.deepEqual(june.breakdowns.province.map((row) => [row.key, row.balance, row.loans]), [['330000', '450000.00', 1], ['320000', '300000.00', 1]]);
        assert.deepEqual(june.breakdowns.size.map((row) => [row.key, row.balance, row.loans]), [['small', '750000.00', 2]]);
        // New lending this year: the loan and the financing, each on its day.
        const rate = june.checks.find((c) => c.id === 'new-loan-rate')!;
        assert.deepEqual([rate.inputs.lendingThisYear, rate.inputs.rateThisYear], ['750000.00', '3.84']);

        // 2025-07-03: the financing is 2 days past due, special mention as its core enterprise's exposure is.
        const july = await inclusiveReport(db, '2025-07-03');
        assert.deepEqual([july.inclusive.balance, july.inclusive.loans, july.inclusive.nplBalance], ['750000.00', 2, '0.00']);
        const five = await fiveCategoryReport(db, '2025-07-03');
        assert.deepEqual(
          five.categories.map((c) => [c.category, c.balance, c.loans]),
          [['normal', '1300000.00', 2], ['special-mention', '450000.00', 1], ['substandard', '0.00', 0], ['doubtful', '0.00', 0], ['loss', '0.00', 0]],
        );
        assert.deepEqual([five.total.balance, five.total.loans], ['1750000.00', 3]);
        // Provision: 2% of the special-mention financing, 9,000.00, plus the normal loans' (as the loan rows hold it).
        const loanProvision = (await db.selectFrom('loan_day').select('provision').where('business_date', '=', '2025-07-03' as BusinessDate).execute()).reduce((sum, row) => sum + row.provision, 0n);
        const financingProvision = (await db.selectFrom('scf_financing_day').select('provision').where('business_date', '=', '2025-07-03' as BusinessDate).executeTakeFirstOrThrow()).provision;
        assert.equal(financingProvision, 9_000_00n);
        assert.equal(five.total.provision, formatMoney(minor(loanProvision + 9_000_00n)));
        const smallSize = five.breakdowns.size.find((row) => row.key === 'small')!;
        assert.deepEqual([smallSize.balance, smallSize.categories], ['750000.00', ['300000.00', '450000.00', '0.00', '0.00', '0.00']]);

        // What end of day stored equals what the history recomputes, every night.
        for (const night of ['2025-06-30', '2025-07-01', '2025-07-02', '2025-07-03']) {
          assert.deepEqual(await reports(db, night, false), await reports(db, night, true), night);
        }
        // The stored borrower row of the financed supplier: one loan, its balance, overdue from the first night past due.
        const row = await db.selectFrom('borrower_day').select(['loans', 'balance', 'overdue', 'inclusive', 'size_class', 'region_code']).where('business_date', '=', '2025-07-03' as BusinessDate).where('enterprise_id', '=', chain.tier1).executeTakeFirstOrThrow();
        assert.deepEqual([row.loans, BigInt(row.balance), BigInt(row.overdue), row.inclusive, row.size_class, row.region_code], [1, 450_000_00n, 450_000_00n, true, 'small', '330102']);
        const pairs = await db.selectFrom('new_lending').select(['day', 'enterprise_id', 'loans', 'principal', 'inclusive']).where('enterprise_id', '=', chain.tier1).execute();
        assert.deepEqual(pairs.map((p) => [p.day, p.loans, BigInt(p.principal), p.inclusive]), [['2025-06-30', 1, 450_000_00n, true]]);

        // Retention takes a pruned night's financing rows with its loans' rows; month ends stay.
        await pruneLoanHistory(db, { keepDailyYears: 2, today: '2027-07-10' as BusinessDate });
        const kept = await db.selectFrom('scf_financing_day').select('business_date').orderBy('business_date').execute();
        assert.deepEqual(kept.map((k) => k.business_date), ['2025-06-30']);
      });
    });
  });
}
