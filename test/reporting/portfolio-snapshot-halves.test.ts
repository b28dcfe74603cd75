/**
 * Issue 21: end of day sums the portfolio snapshot in halves of the borrowers, each in the closing
 * step that writes the half's borrower rows, and the step 'snapshot' adds the halves up
 * (src/reporting/portfolio-history.ts). The added-up rows are the whole snapshot's, on a book whose
 * corrections cross the halves: a supply-chain financing of a lower-half supplier owed by an
 * upper-half core enterprise that has no loan (a borrower only the corrections have), new lending
 * in both halves, and a group with borrowers of both halves. Without both halves' parts (a close
 * begun by a version that wrote none), the snapshot is computed whole, to the same rows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import type { ClosingStep } from '../../src/eod/closing-steps.js';
import { runEod } from '../../src/eod/run-eod.js';
import { uuidv7 } from '../../src/ids.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import type { BorrowerHalf } from '../../src/reporting/book-as-of.js';
import { snapshotRowsSql, writePortfolioSnapshot } from '../../src/reporting/portfolio-history.js';
import { financeCertificate } from '../../src/supply-chain/financing.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';
import { confirmedCertificate, supplyChain, TODAY } from '../supply-chain/scf-fixtures.js';

class Crash extends Error {}
class Rollback extends Error {}

/** A new id in `half`: its last byte 0x00 + n (lower) or 0xff − n (upper), as `borrowerHalf` reads it. */
function idIn(half: BorrowerHalf, n: number): string {
  const last = half === 'lower' ? n : 255 - n;
  return uuidv7().slice(0, -2) + last.toString(16).padStart(2, '0');
}

/**
 * The book on TODAY (2025-06-30): a supply chain whose supplier (tier 1, lower half, with a loan of
 * 500,000.00 from 2025-06-01) is financed 90,000.00 today by a certificate of its core enterprise
 * (upper half, no loan); a Hangzhou retail micro firm in each half (the lower's a loan of
 * 100,000.00 from 2025-06-01 and one of 50,000.00 today, the upper's one of 70,000.00 today); and a
 * Shenzhen catering firm (upper, 200,000.00 from 2025-06-01) and a medium manufacturer (lower,
 * 300,000.00 from 2025-06-01).
 */
async function crossingBook(db: Kysely<Database>): Promise<void> {
  const chain = await supplyChain(db, {}, '', { core: idIn('upper', 0), tier1: idIn('lower', 0) });
  const { certificateId } = await confirmedCertificate(db, chain, 'HALVES-1', '100000.00');
  await inTransaction(db, (trx) => financeCertificate(trx, certificateId, chain.tier1, TODAY, 'tier1-user'));
  const firm = async (half: BorrowerHalf, n: number, regionCode: string, industry: string, sizeClass: 'micro' | 'small' | 'medium') => {
    const id = await createEnterprise(db, `${half} ${n}`, idIn(half, n));
    await db.updateTable('enterprise').set({ region_code: regionCode, industry, size_class: sizeClass }).where('id', '=', id).execute();
    return id;
  };
  const lowerRetail = await firm('lower', 1, '330106', 'retail', 'micro');
  const upperRetail = await firm('upper', 1, '330106', 'retail', 'micro');
  const catering = await firm('upper', 2, '440305', 'catering', 'small');
  const maker = await firm('lower', 2, '440305', 'manufacturing', 'medium');
  await createLoan(db, bullet(chain.tier1, 500_000_00n, '2025-12-31', { disbursedOn: '2025-06-01' }));
  await createLoan(db, bullet(lowerRetail, 100_000_00n, '2025-12-31', { disbursedOn: '2025-06-01' }));
  await createLoan(db, bullet(lowerRetail, 50_000_00n, '2025-12-31', { disbursedOn: TODAY }));
  await createLoan(db, bullet(upperRetail, 70_000_00n, '2025-12-31', { disbursedOn: TODAY }));
  await createLoan(db, bullet(catering, 200_000_00n, '2025-12-31', { disbursedOn: '2025-06-01' }));
  await createLoan(db, bullet(maker, 300_000_00n, '2025-12-31', { disbursedOn: '2025-06-01' }));
}

const text = (rows: readonly unknown[]) => rows.map((row) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
const COLUMNS = sql`business_date, dimension, key, loans, borrowers, balance, overdue_balance, npl_balance, provision, rate_weighted, new_loans, new_lending`;

/** Rows of `query` (snapshot rows, `COLUMNS` first) in the key's order, as text. */
async function rowsOf(db: Kysely<Database>, query: ReturnType<typeof sql>): Promise<string[]> {
  return text((await sql`select ${COLUMNS} from (${query}) x order by dimension, key`.execute(db)).rows);
}

/** What `writePortfolioSnapshot` does now, which path and the rows it writes, rolled back. */
async function snapshotWritten(db: Kysely<Database>, date: BusinessDate): Promise<{ path: string; rows: string[] }> {
  let written: { path: string; rows: string[] } | undefined;
  await assert.rejects(
    inTransaction(db, async (trx) => {
      const path = await writePortfolioSnapshot(trx, date);
      written = { path, rows: text((await sql`select ${COLUMNS} from portfolio_snapshot where business_date = cast(${date} as date) order by dimension, key`.execute(trx)).rows) };
      throw new Rollback();
    }),
    Rollback,
  );
  return written!;
}

for (const backend of BACKENDS) {
  describe(`the portfolio snapshot in halves on ${backend}`, () => {
    // On PostgreSQL two workers: the halves at once, on two connections.
    const workers = backend === 'postgres' ? 2 : 1;
    const crashAfterVerdicts = { workers, afterClosingStep: (step: ClosingStep) => { if (step === 'verdicts') throw new Crash('killed'); } };

    it("each half's part is the snapshot over its borrowers, every correction in the half of the borrower it is summed for; the parts add up to the whole snapshot", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await crossingBook(db);
        await assert.rejects(runEod(db, crashAfterVerdicts), Crash);
        const whole = await rowsOf(db, snapshotRowsSql(TODAY, 'history'));
        // The total; three regions, four industries (the chain's firms have neither: 'unknown'), three sizes.
        assert.equal(whole.length, 1 + 3 + 4 + 3);
        // Each half's part, as the closing steps of the halves wrote it, is the snapshot of its
        // borrowers from their rows of the night and from the loans as they stand.
        for (const half of ['lower', 'upper'] as const) {
          const part = await rowsOf(db, sql`select * from portfolio_snapshot_half where half = ${half} and business_date = cast(${TODAY} as date)`);
          assert.deepEqual(part, await rowsOf(db, snapshotRowsSql(TODAY, 'history', half)), `${half}: from the night's rows`);
          assert.deepEqual(part, await rowsOf(db, snapshotRowsSql(TODAY, 'loans', half)), `${half}: from the loans`);
        }
        // The lower half: the supplier (its loan; the financing is its core enterprise's), the
        // manufacturer and the lower retail firm (two loans, one new); the upper: the core enterprise
        // (the financing of 90,000.00, new), the caterer and the upper retail firm (one loan, new).
        const totals = await db.selectFrom('portfolio_snapshot_half').select(['half', 'loans', 'borrowers', 'balance', 'new_loans', 'new_lending']).where('dimension', '=', 'total').orderBy('half').execute();
        assert.deepEqual(totals.map((row) => [row.half, Number(row.loans), Number(row.borrowers), row.balance, Number(row.new_loans), row.new_lending]), [
          ['lower', 4, 3, 950_000_00n, 1, 50_000_00n],
          ['upper', 3, 3, 360_000_00n, 2, 160_000_00n],
        ]);
        // The Hangzhou retail micro group has a borrower in each half: its row is the two halves' sum.
        const retail = await db.selectFrom('portfolio_snapshot_half').select(['half', 'balance']).where('dimension', '=', 'industry').where('key', '=', 'retail').orderBy('half').execute();
        assert.deepEqual(retail.map((row) => [row.half, row.balance]), [['lower', 150_000_00n], ['upper', 70_000_00n]]);
        assert.deepEqual(await snapshotWritten(db, TODAY), { path: 'halves', rows: whole });

        // The next call closes the night: the snapshot is the halves added up, and the parts are gone.
        const closed = await runEod(db, { workers });
        assert.equal(closed.businessDate, '2025-07-01');
        assert.equal((await reconcile(db)).balanced, true);
        const stored = await rowsOf(db, sql`select * from portfolio_snapshot where business_date = cast(${TODAY} as date)`);
        assert.deepEqual(stored, whole);
        assert.deepEqual(stored, await rowsOf(db, snapshotRowsSql(TODAY, 'loans')));
        assert.deepEqual(await db.selectFrom('portfolio_snapshot_half').select('half').execute(), []);
        // The next night, every loan and the financing a day older: the same again, through the halves.
        await runEod(db, { workers });
        const next = '2025-07-01' as BusinessDate;
        const nextStored = await rowsOf(db, sql`select * from portfolio_snapshot where business_date = cast(${next} as date)`);
        assert.deepEqual(nextStored, await rowsOf(db, snapshotRowsSql(next, 'history')));
        assert.deepEqual(nextStored, await rowsOf(db, snapshotRowsSql(next, 'loans')));
      });
    });

    it('a night with one half\'s part missing (that step committed by a version that wrote none) writes the whole snapshot, the same rows, and leaves no part', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await crossingBook(db);
        await assert.rejects(runEod(db, crashAfterVerdicts), Crash);
        const whole = await rowsOf(db, snapshotRowsSql(TODAY, 'history'));
        await db.deleteFrom('portfolio_snapshot_half').where('half', '=', 'lower').execute();
        assert.deepEqual(await snapshotWritten(db, TODAY), { path: 'whole', rows: whole });
        // With no part at all, the same.
        await db.deleteFrom('portfolio_snapshot_half').execute();
        assert.deepEqual(await snapshotWritten(db, TODAY), { path: 'whole', rows: whole });
        // The upper half's part back, as a close whose 'verdicts' this version committed after an
        // older one committed 'borrowers': the step 'snapshot' writes the whole and deletes the part.
        await sql`insert into portfolio_snapshot_half (half, ${COLUMNS}) select 'upper', ${COLUMNS} from (${snapshotRowsSql(TODAY, 'history', 'upper')}) x`.execute(db);
        const closed = await runEod(db, { workers });
        assert.equal(closed.businessDate, '2025-07-01');
        assert.deepEqual(await rowsOf(db, sql`select * from portfolio_snapshot where business_date = cast(${TODAY} as date)`), whole);
        assert.deepEqual(await db.selectFrom('portfolio_snapshot_half').select('half').execute(), []);
      });
    });
  });
}
