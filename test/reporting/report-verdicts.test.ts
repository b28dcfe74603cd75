import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { updateReportingProfile } from '../../src/enterprises/enterprises.js';
import { runEod } from '../../src/eod/run-eod.js';
import { openCreditLine } from '../../src/lines/credit-lines.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { pruneLoanHistory } from '../../src/reporting/history-retention.js';
import { fiveCategoryReport, foreignTradeReport, inclusiveReport, migrationReport } from '../../src/reporting/regulatory-reports.js';
import { verdictsOf } from '../../src/reporting/book-as-of.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { createRegulatoryBook } from './regulatory-book.js';

const date = (text: string) => parseBusinessDate(text, 'date');

/** Every report that folds stored verdicts, as of `asOf`: once from end of day's rows, once judged again from the history. */
async function storedAndRecomputed(db: Kysely<Database>, asOf: string) {
  const reports = async (recompute: boolean) => ({
    inclusive: await inclusiveReport(db, asOf, { recompute }),
    fiveCategory: await fiveCategoryReport(db, asOf, { recompute }),
    foreignTrade: await foreignTradeReport(db, asOf, undefined, { recompute }),
    foreignTradeSinceDecember: await foreignTradeReport(db, asOf, '2024-12-01', { recompute }),
    // The matrix takes each borrower's segment at the start date from that night's stored row.
    migrationSinceYearEnd: asOf > '2024-12-31' ? await migrationReport(db, '2024-12-31', asOf, { recompute }) : null,
  });
  return { stored: await reports(false), recomputed: await reports(true) };
}

const countOn = async (db: Kysely<Database>, table: 'borrower_day' | 'loan_day', day: string) =>
  Number((await sql<{ n: string }>`select cast(count(distinct ${sql.ref(table === 'borrower_day' ? 'enterprise_id' : 'loan_id')}) as text) as n from ${sql.table(table)} where business_date = cast(${day} as date)`.execute(db)).rows[0]!.n);

for (const backend of BACKENDS) {
  describe(`report verdicts stored at end of day on ${backend}`, () => {
    it('the reports from stored verdicts equal a recomputation, on a book whose borrowers change mid-period', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        // The book: a line crossing 10 million in January, a firm grown medium, a renewal, a write-off,
        // foreign-trade flags from 2025-01-10, loans disbursed on a day never closed (2025-01-10).
        const book = await createRegulatoryBook(db);
        // March: the grown firm is small again, a foreign-trade firm loses its flag, a large firm becomes an
        // individual business, and new lending is disbursed on a day that is closed (judged that night) and on one
        // that is not (judged at the next close).
        await setBusinessDate(db, date('2025-03-03'));
        await inTransaction(db, (trx) => updateReportingProfile(trx, book.grown, { sizeClass: 'small' }, 'risk-officer'));
        const foreignFirm = await db.selectFrom('enterprise').select('id').where('foreign_trade_from', 'is not', null).where('id', '<>', book.grown).orderBy('id').executeTakeFirstOrThrow();
        await inTransaction(db, (trx) => updateReportingProfile(trx, foreignFirm.id, { foreignTrade: null }, 'risk-officer'));
        const typed = await db.selectFrom('enterprise').select('id').where('borrower_type', '=', 'enterprise').where('size_class', '=', 'large').orderBy('id').executeTakeFirst();
        if (typed !== undefined) await inTransaction(db, (trx) => updateReportingProfile(trx, typed.id, { borrowerType: 'individual-business' }, 'risk-officer'));
        const grownLine = await inTransaction(db, (trx) => openCreditLine(trx, { enterpriseId: book.grown, productCode: 'SHORT-TERM', limit: '400000.00', annualRate: '4.05', termDays: 360 }, 'test'));
        await inTransaction(db, (trx) => drawdown(trx, { lineId: grownLine.id, amount: '300000.00', termDays: 120 }, 'test'));
        await runEod(db, { shardsPerChunk: 256 });
        await setBusinessDate(db, date('2025-03-20'));
        await inTransaction(db, (trx) => drawdown(trx, { lineId: grownLine.id, amount: '50000.00', termDays: 60 }, 'test'));
        await setBusinessDate(db, date('2025-03-31'));
        await runEod(db, { shardsPerChunk: 256 });

        const nights = ['2024-12-31', '2025-01-15', '2025-01-31', '2025-02-28', '2025-03-03', '2025-03-31'];
        for (const night of nights) {
          // Every closed night stored a row per borrower on the books, under the definition in force.
          assert.equal(await verdictsOf(db, date(night)), 'inclusive-2018', night);
          const onBooks = Number((await sql<{ n: string }>`select cast(count(distinct enterprise_id) as text) as n from loan_day where business_date = cast(${night} as date)`.execute(db)).rows[0]!.n);
          assert.ok(onBooks > 0);
          assert.equal(await countOn(db, 'borrower_day', night), onBooks, night);
        }
        // Each (borrower, day) of new lending judged once, the days never closed included.
        const judged = await db.selectFrom('new_lending').select(['day', 'enterprise_id']).execute();
        const pairs = await sql<{ day: string; enterprise_id: string }>`select distinct cast(disbursed_on as text) as day, enterprise_id from loan where renewed_from_id is null`.execute(db);
        assert.deepEqual(judged.map((r) => `${r.day} ${r.enterprise_id}`).sort(), pairs.rows.map((r) => `${r.day} ${r.enterprise_id}`).sort());
        assert.ok(judged.some((r) => r.day === '2025-01-10') && judged.some((r) => r.day === '2025-03-20'));
        // The grown firm, medium on 31 January, small again in March: out of and back into the inclusive figures.
        const grownOn = async (night: string) => (await db.selectFrom('borrower_day').select('inclusive').where('business_date', '=', date(night)).where('enterprise_id', '=', book.grown).executeTakeFirstOrThrow()).inclusive;
        assert.deepEqual([await grownOn('2025-01-15'), await grownOn('2025-01-31'), await grownOn('2025-03-31')], [true, false, true]);

        for (const night of nights) {
          const { stored, recomputed } = await storedAndRecomputed(db, night);
          assert.deepEqual(stored, recomputed, night);
        }
        const march = await inclusiveReport(db, '2025-03-31');
        assert.notEqual(march.checks.find((c) => c.id === 'new-loan-rate')!.inputs.lendingThisYear, '0.00');

        // Nights closed before the verdicts existed (migration 0051) are recomputed, with the same figures
        // (their new lending is judged by the first night after the migration, here already stored).
        const before = await storedAndRecomputed(db, '2025-01-31');
        await db.updateTable('eod_run').set({ verdicts: null }).where('business_date', '<=', date('2025-01-31')).execute();
        await db.deleteFrom('borrower_day').where('business_date', '<=', date('2025-01-31')).execute();
        assert.equal(await verdictsOf(db, date('2025-01-31')), null);
        const after = await storedAndRecomputed(db, '2025-01-31');
        assert.deepEqual(after.stored, before.stored);
      });
    });

    it('a night that lends nothing stores no new-lending pair, and the next night that does stores its pair alone', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db, '300000.00');
        const stored = async () =>
          (await db.selectFrom('new_lending').select(['day', 'enterprise_id', 'loans', 'principal']).orderBy('day').execute()).map((row) => [row.day, row.enterprise_id, Number(row.loans), BigInt(row.principal)]);
        await runEod(db);
        assert.deepEqual(await stored(), []);
        await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '10000.00', termDays: 30 }, 'test'));
        await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '2500.00', termDays: 30 }, 'test'));
        await runEod(db);
        assert.deepEqual(await stored(), [['2025-07-01', line.enterpriseId, 2, 12_500_00n]]);
        await runEod(db);
        await runEod(db);
        assert.deepEqual(await stored(), [['2025-07-01', line.enterpriseId, 2, 12_500_00n]]);
        assert.deepEqual((await db.selectFrom('eod_run').select('verdicts').execute()).map((row) => row.verdicts), ['inclusive-2018', 'inclusive-2018', 'inclusive-2018', 'inclusive-2018']);
      });
    });

    it('retention deletes a pruned night\'s borrower rows with its loans\' rows', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createRegulatoryBook(db);
        assert.ok((await countOn(db, 'borrower_day', '2025-01-15')) > 0);
        await pruneLoanHistory(db, { keepDailyYears: 2, today: parseBusinessDate('2027-01-20', 'today') });
        assert.deepEqual([await countOn(db, 'loan_day', '2025-01-15'), await countOn(db, 'borrower_day', '2025-01-15')], [0, 0]);
        assert.ok((await countOn(db, 'borrower_day', '2025-01-31')) > 0);
      });
    });
  });
}
